import { call } from './http';

/**
 * A tenant's activity per hour and its failed requests: the two reads behind the console's
 * Activity page (docs/events.md, "Activity per hour" and "Failed requests").
 */

/** The feed's types by family: what the chart stacks and the type filter offers (docs/events.md, Event types). */
export const EVENT_TYPES = [
  'user.created', 'user.updated', 'user.activated', 'user.deactivated', 'user.deleted', 'user.restored', 'user.erased',
  'group.created', 'group.updated', 'group.deleted', 'group.member_added', 'group.member_removed',
  'token.created', 'token.revoked', 'token.deleted',
  'tenant.created', 'tenant.updated',
  'webhook.created', 'webhook.updated', 'webhook.deleted', 'webhook.disabled',
  'client.created', 'client.deleted', 'client.secret_added', 'client.secret_revoked',
] as const;

/** The chart's count of a failed request (not an event: the feed never holds it). */
export const REQUEST_FAILED = 'request.failed';

/** One UTC hour: when it starts, and how many of each type it holds ({} when silent). */
export interface ActivityHour {
  readonly hour: string;
  readonly counts: Readonly<Record<string, number>>;
}

export interface ActivityReport {
  /** The start of the first hour. */
  readonly from: string;
  /** The start of the hour after the last (the current hour is the last). */
  readonly to: string;
  /** Every hour of the range, oldest first, silent ones included. */
  readonly hours: readonly ActivityHour[];
}

/** GET {admin}/events/activity?hours=: events (and failed requests) per hour and type. */
export const readActivity = (token: string, admin: string, hours = 168): Promise<ActivityReport> =>
  call<ActivityReport>(token, 'GET', `${admin}/events/activity`, { query: { hours } }).then((a) => a.body);

/** A failed request as the tenant's log recorded it: never a body field but userName/displayName. */
export interface RequestFailure {
  readonly id: number;
  readonly occurredAt: string;
  readonly requestId: string;
  readonly actor: { readonly kind: 'service' | 'operator' | 'user' | 'system'; readonly tokenId?: string; readonly tokenName?: string; readonly userId?: string };
  readonly method: string;
  /** The path and query as received (a /Bulk operation: its own path). */
  readonly path: string;
  readonly status: number;
  readonly scimType?: string;
  /** The sentence the client was answered with. */
  readonly detail: string;
  readonly resource?: { readonly type: string; readonly id?: string; readonly userName?: string; readonly displayName?: string };
  readonly bulkId?: string;
}

export interface FailurePage {
  readonly failures: readonly RequestFailure[];
  /** The `before` of the next (older) page, present when this one is full. */
  readonly next?: number;
}

export interface FailureQuery {
  readonly before?: number;
  readonly limit?: number;
  readonly status?: number;
}

/** GET {admin}/failures: newest first. */
export const readFailures = (token: string, admin: string, query: FailureQuery): Promise<FailurePage> =>
  call<FailurePage>(token, 'GET', `${admin}/failures`, { query: { ...query } }).then((a) => a.body);
