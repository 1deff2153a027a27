import { checkTenantAdministrator } from '../domain/access';
import { parseTypePatterns, typeMatcher } from '../domain/events/type-pattern';
import type { Principal } from '../domain/principal';
import { invalidValue } from '../scim/errors';
import { wholeNumber } from './whole-number';
import { MAX_EVENT_PAGE, MAX_EVENT_SCAN, type ChangeEvent, type EventLog, type EventPage } from '../store/port';

/** The feed's parameters as a client sends them (query strings, CLI options). */
export interface FeedParameters {
  readonly after?: string;
  /** Newest first: events below this id (order=newest; without it, below the latest). */
  readonly before?: string;
  /** oldest (the default: a feed to poll) or newest (an audit trail read from the latest). */
  readonly order?: string;
  readonly limit?: string;
  readonly type?: string;
  readonly resourceId?: string;
  readonly actor?: string;
}

export const DEFAULT_EVENT_PAGE = 100;
/** Longest resource or token id the feed takes: ids are UUIDs; anything longer is a mistake. */
const MAX_ID_LENGTH = 256;

function identifier(text: string | undefined, name: string): string | undefined {
  if (text === undefined) return undefined;
  if (text === '' || text.length > MAX_ID_LENGTH) throw invalidValue(`${name} must be an id of 1 to ${MAX_ID_LENGTH} characters`);
  return text;
}

/**
 * One tenant's events, read by its administrators: the audit trail (`resourceId`: the history of
 * one user or group; `actor`: what one token did) and the feed an application polls instead of
 * receiving webhooks (`after` = the previous page's `next`).
 */
export class EventFeed {
  constructor(private readonly events: EventLog, private readonly actor: Principal) {}

  async read(parameters: FeedParameters): Promise<EventPage> {
    checkTenantAdministrator(this.actor, 'read the tenant\'s events');
    const patterns = parameters.type === undefined ? undefined : parseTypePatterns(parameters.type.split(',').map((p) => p.trim()));
    const newest = newestFirst(parameters);
    return this.events.read({
      after: wholeNumber(parameters.after, 'after', 0) ?? 0,
      ...(newest ? { before: wholeNumber(parameters.before, 'before', 1) ?? Number.MAX_SAFE_INTEGER } : {}),
      // Like a SCIM count, a larger limit is served at the cap rather than refused.
      limit: Math.min(wholeNumber(parameters.limit, 'limit', 1) ?? DEFAULT_EVENT_PAGE, MAX_EVENT_PAGE),
      scan: MAX_EVENT_SCAN,
      ...(patterns === undefined ? {} : { type: typeMatcher(patterns) }),
      ...(parameters.resourceId === undefined ? {} : { resourceId: identifier(parameters.resourceId, 'resourceId') }),
      ...(parameters.actor === undefined ? {} : { actorTokenId: identifier(parameters.actor, 'actor') }),
    });
  }

  async get(id: number): Promise<ChangeEvent | undefined> {
    checkTenantAdministrator(this.actor, 'read the tenant\'s events');
    return this.events.get(id);
  }
}

/** Whether a read goes newest first: order=newest, or a `before`; `after` belongs to the other direction. */
function newestFirst(parameters: FeedParameters): boolean {
  if (parameters.order !== undefined && parameters.order !== 'newest' && parameters.order !== 'oldest') {
    throw invalidValue(`order is oldest (the default) or newest, not ${JSON.stringify(parameters.order)}`);
  }
  const newest = parameters.order === 'newest' || (parameters.order === undefined && parameters.before !== undefined);
  if (newest && parameters.after !== undefined) throw invalidValue('after pages oldest first; newest first, continue with before=<next>');
  if (!newest && parameters.before !== undefined) throw invalidValue('before pages newest first: leave out order=oldest');
  return newest;
}
