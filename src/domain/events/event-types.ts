/**
 * The event catalogue: every type Roster records, with when it occurs. The names are part of
 * the API (feeds are filtered and webhooks subscribe by them): add types, never rename one.
 * Each type is `<resource>.<what happened>`, so a prefix pattern such as `user.*` selects a
 * resource's events (type-pattern.ts).
 */
export const EVENT_TYPES = [
  { type: 'user.created', description: 'A user was created; its changes hold every attribute it was created with (and password, changed: true, when one was set).' },
  { type: 'user.updated', description: 'A user\'s attributes or password changed, without a change of active.' },
  { type: 'user.activated', description: 'A user became active (active: true, status Active), possibly with other changes.' },
  { type: 'user.deactivated', description: 'An active user stopped being active (active: false, status Inactive), possibly with other changes.' },
  { type: 'user.deleted', description: 'A user was deleted (soft): hidden, with its memberships kept, until restored or erased.' },
  { type: 'user.restored', description: 'A soft-deleted user was restored, with its memberships.' },
  { type: 'user.erased', description: 'A soft-deleted user was erased for good by the retention purge.' },
  { type: 'group.created', description: 'A group was created; followed by one group.member_added per initial member.' },
  { type: 'group.updated', description: 'A group\'s attributes (such as displayName) changed.' },
  { type: 'group.deleted', description: 'A group was deleted, ending every membership in it (no member_removed events are recorded for them).' },
  { type: 'group.member_added', description: 'A user became a member of a group (one event per member).' },
  { type: 'group.member_removed', description: 'A user stopped being a member of a group (one event per member).' },
  { type: 'token.created', description: 'A bearer token was created (service token, or user-bound: changes name its userId).' },
  { type: 'token.revoked', description: 'A bearer token was revoked: it no longer authenticates.' },
  { type: 'token.deleted', description: 'A bearer token was removed.' },
  { type: 'tenant.created', description: 'The tenant was created: the first event of its stream.' },
  { type: 'tenant.updated', description: 'The tenant\'s name or settings changed.' },
  { type: 'webhook.created', description: 'A webhook was created.' },
  { type: 'webhook.updated', description: 'A webhook\'s url, subscribed events, description or active changed.' },
  { type: 'webhook.deleted', description: 'A webhook was deleted, with its deliveries.' },
  { type: 'webhook.disabled', description: 'Roster disabled a webhook after too many consecutive failed events.' },
  { type: 'client.created', description: 'An OAuth client (client credentials grant) was created.' },
  { type: 'client.deleted', description: 'An OAuth client was deleted, with its secrets and the access tokens issued to it.' },
  { type: 'client.secret_added', description: 'A secret was added to an OAuth client; changes name its id and expiry, never its value.' },
  { type: 'client.secret_revoked', description: 'A client secret was revoked, and with it every access token issued with it.' },
] as const satisfies readonly { readonly type: string; readonly description: string }[];

export type EventType = (typeof EVENT_TYPES)[number]['type'];

export const EVENT_TYPE_NAMES: readonly EventType[] = EVENT_TYPES.map((entry) => entry.type);
