import type { EventActor, EventResourceType } from './events-port';

/** The failed-request log's part of the store port (re-exported by port.ts). */

/**
 * What a failed request was about, when it is cheap to know: the type and id its URL names,
 * and the userName or displayName its body gave. Never any other body field: bodies hold passwords.
 */
export interface FailureResource {
  readonly type: EventResourceType;
  readonly id?: string;
  readonly userName?: string;
  readonly displayName?: string;
}

/** A failure as the application describes it; the store gives it its id. */
export interface FailureDraft {
  readonly occurredAt: string;
  readonly requestId: string;
  readonly actor: EventActor;
  readonly method: string;
  /** The URL path and query as received (a /Bulk operation: its own path, relative to the SCIM base). */
  readonly path: string;
  readonly status: number;
  readonly scimType?: string;
  /** The SCIM error's detail sentence, as the client read it. */
  readonly detail: string;
  readonly resource?: FailureResource;
  /** A failed operation of POST /Bulk: its bulkId, when it had one. */
  readonly bulkId?: string;
}

/** A recorded failure: ids are per tenant and increase with each one recorded. */
export interface RequestFailure extends FailureDraft {
  readonly id: number;
}

export interface FailureQuery {
  /** Failures with an id below this one (absent: from the newest). */
  readonly before?: number;
  readonly limit: number;
  /** Only failures answered with this status. */
  readonly status?: number;
}

/**
 * How many failures a tenant keeps: recording one beyond it erases the oldest, in the same
 * transaction, so the log never holds more (docs/events.md, Failed requests).
 */
export const MAX_KEPT_FAILURES = 1000;

/**
 * One tenant's failed requests (status ≥ 400, after authentication, inside the tenant). Each
 * recorded failure also counts as `request.failed` in the tenant's hourly activity
 * (EventLog.activity), in the same transaction.
 */
export interface FailureLog {
  /** Records the failures (a /Bulk request may have many) in one transaction, then keeps the newest MAX_KEPT_FAILURES. */
  record(...failures: readonly FailureDraft[]): Promise<void>;
  /** Newest first. */
  read(query: FailureQuery): Promise<readonly RequestFailure[]>;
}
