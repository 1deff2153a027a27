import { checkTenantAdministrator } from '../domain/access';
import { eventActorOf } from '../domain/events/event-actor';
import { invalidValue } from '../scim/errors';
import type { ScimError } from '../scim/errors';
import type { EventResourceType, FailureDraft, FailureLog, FailureResource, RequestFailure } from '../store/port';
import type { RequestContext } from './context';
import { wholeNumber } from './whole-number';

/** A failed request (or /Bulk operation) as the HTTP layer saw it: the log's record without who and when. */
export type FailedRequest = Omit<FailureDraft, 'occurredAt' | 'requestId' | 'actor'>;

/** The failed request of `method` on `path` that `error` answered, about `resource`. */
export const failedRequest = (method: string, path: string, error: ScimError, resource?: FailureResource, bulkId?: string): FailedRequest => ({
  method,
  path,
  status: error.status,
  ...(error.scimType === undefined ? {} : { scimType: error.scimType }),
  detail: error.detail,
  ...(resource === undefined ? {} : { resource }),
  ...(bulkId === undefined ? {} : { bulkId }),
});

/** The log's parameters as a client sends them. */
export interface FailureParameters {
  readonly before?: string;
  readonly limit?: string;
  readonly status?: string;
}

export interface FailurePage {
  readonly failures: readonly RequestFailure[];
  /** The `before` of the next page, when this one is full. */
  readonly next?: number;
}

export const DEFAULT_FAILURE_PAGE = 50;
export const MAX_FAILURE_PAGE = 200;
/** What one record keeps of a path, a detail and a name: the log stays small whatever a client sends. */
const MAX_PATH = 2048;
const MAX_DETAIL = 1000;
const MAX_NAME = 256;

const clip = (text: string, most: number) => (text.length > most ? `${text.slice(0, most - 1)}…` : text);

/**
 * A failed request's only trace of its body: the userName of a user, the displayName of a group,
 * when the body gave one as a string. Nothing else is ever read from it (bodies hold passwords).
 */
export function failureResource(type: EventResourceType, id: string | undefined, body: unknown): FailureResource {
  const named = type === 'User' ? 'userName' : type === 'Group' ? 'displayName' : undefined;
  const value = named && body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>)[named] : undefined;
  return {
    type,
    ...(id === undefined || id === '' ? {} : { id: clip(id, MAX_NAME) }),
    ...(typeof value === 'string' && value !== '' ? { [named!]: clip(value, MAX_NAME) } : {}),
  };
}

/** The resource kinds a tenant's paths name in their first segment: /Users/{id} (SCIM), /users/{id}/tokens (admin), … */
const SEGMENTS: Readonly<Record<string, EventResourceType>> = { users: 'User', groups: 'Group', webhooks: 'Webhook', clients: 'Client' };
/** Second segments that are actions, not ids: /Users/.search, /admin/users/restore and /admin/users/deleted (ids are UUIDs). */
const isAction = (segment: string) => segment.startsWith('.') || segment === 'restore' || segment === 'deleted';

/**
 * What a failed request was about, from its path below the tenant's prefix ("/Users/2819c223…",
 * "/groups", "/webhooks/5c7e…/deliveries") and its body; undefined when the path names no resource
 * kind. A second segment is the resource's id, unless it is an action (isAction).
 */
export function failureResourceAt(tenantPath: string, body: unknown): FailureResource | undefined {
  const [, kind = '', second] = tenantPath.split('/');
  const type = Object.hasOwn(SEGMENTS, kind.toLowerCase()) ? SEGMENTS[kind.toLowerCase()] : undefined;
  if (!type) return undefined;
  let id: string | undefined;
  try {
    id = second === undefined || isAction(second) ? undefined : decodeURIComponent(second);
  } catch {
    id = undefined;
  }
  return failureResource(type, id, body);
}

/**
 * One tenant's failed requests: recorded for whoever made them (an IdP whose push failed cannot
 * be asked), read by the tenant's administrators, the same who may read its events, to answer
 * "why did Okta's last push fail" (docs/events.md, Failed requests).
 */
export class FailureRecords {
  constructor(private readonly log: FailureLog, private readonly context: RequestContext, private readonly now: () => Date = () => new Date()) {}

  /** Records the failures of this request; the caller decides what a failure to record means (it never changes the answer). */
  record(...failures: readonly FailedRequest[]): Promise<void> {
    const occurredAt = this.now().toISOString();
    const { requestId, actor } = this.context;
    return this.log.record(...failures.map((failure) => ({
      occurredAt,
      requestId,
      actor: eventActorOf(actor),
      method: failure.method,
      path: clip(failure.path, MAX_PATH),
      status: failure.status,
      ...(failure.scimType === undefined ? {} : { scimType: failure.scimType }),
      detail: clip(failure.detail, MAX_DETAIL),
      ...(failure.resource === undefined ? {} : { resource: failure.resource }),
      ...(failure.bulkId === undefined ? {} : { bulkId: clip(failure.bulkId, MAX_NAME) }),
    })));
  }

  async read(parameters: FailureParameters): Promise<FailurePage> {
    checkTenantAdministrator(this.context.actor, 'read the tenant\'s failed requests');
    const status = wholeNumber(parameters.status, 'status', 400);
    if (status !== undefined && status > 599) throw invalidValue('status must be an HTTP error status, 400 to 599');
    // Like the event feed, a larger limit is served at the cap rather than refused.
    const limit = Math.min(wholeNumber(parameters.limit, 'limit', 1) ?? DEFAULT_FAILURE_PAGE, MAX_FAILURE_PAGE);
    const failures = await this.log.read({ before: wholeNumber(parameters.before, 'before', 1), limit, status });
    return { failures, ...(failures.length === limit ? { next: failures[failures.length - 1].id } : {}) };
  }
}
