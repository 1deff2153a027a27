import type { Change, EventDraft } from '../../store/port';
import { attributeChanges } from './attribute-changes';
import { tokenResource } from './event-resources';
import { withoutUndefined } from './json-record';

type TokenChange = Extract<Change, { of: 'token' }>;

const TYPES = { created: 'token.created', revoked: 'token.revoked', removed: 'token.deleted' } as const;

/**
 * The event of a change of a token. A new token's changes say whom it acts as (userId, when
 * user-bound) and until when (expires, when set); its hash is the token's secret and never
 * appears, nor does anything derived from it. OAuth access tokens record no event.
 */
export function tokenEvents(change: TokenChange): EventDraft[] {
  // An OAuth access token is issued every hour or so per identity provider: an event each would
  // bury the trail. Its client's events (client-events.ts) say what an auditor needs.
  if (change.token.clientId !== undefined) return [];
  const resource = tokenResource(change.token);
  if (change.kind !== 'created') return [{ type: TYPES[change.kind], resource }];
  const { userId, expires } = change.token;
  const changes = attributeChanges(undefined, withoutUndefined({ userId, expires }));
  // Like every event, none rather than an empty list (a service token that never expires).
  return [changes.length ? { type: TYPES.created, resource, changes } : { type: TYPES.created, resource }];
}
