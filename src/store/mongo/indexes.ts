import { COLLECTIONS } from './documents';

type CollectionName = (typeof COLLECTIONS)[keyof typeof COLLECTIONS];

/** One index, in the shape of `collection.createIndex(fields, options)`. */
export interface IndexDeclaration {
  readonly collection: CollectionName;
  readonly fields: Readonly<Record<string, 1 | -1>>;
  readonly options: { readonly name: string; readonly unique?: boolean; readonly partialFilterExpression?: Readonly<Record<string, unknown>> };
}

interface Extra {
  readonly unique?: boolean;
  /** Only the documents matching this are indexed; a query uses the index only when it implies the expression. */
  readonly partial?: Readonly<Record<string, unknown>>;
}

const index = (collection: CollectionName, name: string, fields: Record<string, 1 | -1>, extra: Extra = {}): IndexDeclaration =>
  ({
    collection,
    fields,
    options: {
      name,
      ...(extra.unique ? { unique: true } : {}),
      ...(extra.partial ? { partialFilterExpression: extra.partial } : {}),
    },
  });

/** An index of one tenant's documents: tenantId first, so every scoped query bounds it by equality. */
const tenantIndex = (collection: CollectionName, name: string, fields: Record<string, 1 | -1>, extra: Extra = {}) =>
  index(collection, `tenant_${name}`, { tenantId: 1, ...fields }, extra);

/**
 * The account extension's status and deactivation time in the `q` copy (query-document.ts
 * encodes the "2.0" of the URN). The retention sweep's filter is the domain's (inactiveSince);
 * this index is the store's answer to it, checked by test/store/mongo/index-plans.test.ts.
 */
const ACCOUNT_Q = 'q.urn:ietf:params:scim:schemas:extension:roster:2%2E0:Account';
const GROUP_Q = 'q.urn:ietf:params:scim:schemas:extension:roster:2%2E0:Group';

/** OAuth access tokens: the tokens issued to a client (mongo-clients.ts queries name this, so the partial indexes serve them). */
export const ACCESS_TOKENS = { clientId: { $type: 'string' } } as const;

/**
 * Every index the MongoDB adapter creates. Every query names one tenant (scoped-collection.ts),
 * so each index leads with tenantId and uniqueness holds per tenant: the same userName may live
 * in two tenants. After tenantId, each serves a filter identity providers send or a sort
 * compile-sort.ts leaves to the index (fields as compile-filter.ts and compile-sort.ts write
 * them; `q.*` holds folded values, so equality and `^prefix` regexes on them use the index):
 *   - users userNameKey (unique, deleted users included): `userName eq`, sortBy=userName;
 *   - users/groups q.externalId: `externalId eq` (Okta, Entra);
 *   - users q.emails.value (multikey): `emails.value eq`, `emails[type eq "work"].value eq`;
 *   - users q.displayName: `displayName eq` and `members.display` look-ups;
 *   - users {live, created, _id}: the count of live users (a COUNT_SCAN, no document read), the
 *     default order and sortBy=meta.created, a forward or backward scan; groups {created, _id};
 *   - users {live, lastModified, created, _id}: `meta.lastModified gt` (incremental sync) and its sort;
 *   - users groupIds (multikey): `groups.value eq` and the other membership filters;
 *   - users deletedAt, partial on deleted users only: the purge of soft-deleted users (a full
 *     index would be almost all null and lure the planner into scanning every live key);
 *   - users {status, deactivatedAt} of the account extension, partial on live users: the
 *     retention sweep of inactive accounts;
 *   - groups displayNameKey (unique): `displayName eq`, sortBy=displayName;
 *   - memberships {group, member} (unique) and {member}: a group's members, a user's groups;
 *   - tokens userId: a scope's service tokens (userId null) and a user's tokens;
 *   - events seq (unique: the tenant's event ids), {resourceId, seq}, {memberId, seq} (partial
 *     on member events) and {actorTokenId, seq}: the feed's pages in id order, all events, a
 *     resource's (as the resource or as a member: both walked, mongo-events.ts) or a token's;
 *     {occurredAt}: retention;
 *   - webhooks {created, _id}: a tenant's webhooks in order;
 *   - deliveries {webhookId, eventId} (unique: one delivery of an event per webhook, newest
 *     first for the listing), {webhookId, state, eventId}: the pending queue in event order and
 *     the listing by state; {eventId}: retention;
 *   - clients {created, _id}: a tenant's OAuth clients in order (their _id, the client_id, is
 *     unique across tenants by the _id index); client_secrets {clientId, created, _id}: a
 *     client's secrets in order, and all of them when the client is removed;
 *   - tokens {secretId}, {clientId} and {expires}, each partial on OAuth access tokens only (the
 *     other tokens never pay for them): a secret's tokens revoked with it, a client's erased with
 *     it, and the expired ones erased by the retention sweep.
 *   - request_failures seq (unique: the tenant's failure ids), newest first, and the oldest
 *     beyond the cap erased by a range of it; {status, seq}: the log filtered by status;
 *   - activity_hours {hour, type} (unique: one count per hour and type, which writes upsert):
 *     the chart's range of hours, and the retention sweep's.
 * The exceptions, look-ups across tenants: tokens.hash is unique across tenants, because a
 * request's token is found by its hash before anyone knows its tenant (Credentials.findByHash),
 * and so is client_secrets.hash, for the same reason (POST /oauth/token: findClientSecret);
 * the dispatcher claims webhooks of any tenant (webhooks.claimable and webhooks.leaseOwner, the
 * two sides of the claim's condition) and skips the tenants being deleted (tenants.deleting).
 */
export const INDEXES: readonly IndexDeclaration[] = [
  tenantIndex(COLLECTIONS.users, 'userNameKey_unique', { userNameKey: 1 }, { unique: true }),
  tenantIndex(COLLECTIONS.users, 'externalId', { 'q.externalId': 1 }),
  tenantIndex(COLLECTIONS.users, 'emails_value', { 'q.emails.value': 1 }),
  tenantIndex(COLLECTIONS.users, 'displayName', { 'q.displayName': 1 }),
  tenantIndex(COLLECTIONS.users, 'live_created_id', { live: 1, created: 1, _id: 1 }),
  tenantIndex(COLLECTIONS.users, 'live_lastModified_created_id', { live: 1, lastModified: 1, created: 1, _id: 1 }),
  tenantIndex(COLLECTIONS.users, 'groupIds', { groupIds: 1 }),
  tenantIndex(COLLECTIONS.users, 'deleted', { deletedAt: 1 }, { partial: { deletedAt: { $type: 'string' } } }),
  tenantIndex(COLLECTIONS.users, 'inactive', { [`${ACCOUNT_Q}.status`]: 1, [`${ACCOUNT_Q}.deactivatedAt`]: 1 }, { partial: { live: true } }),
  tenantIndex(COLLECTIONS.groups, 'displayNameKey_unique', { displayNameKey: 1 }, { unique: true }),
  tenantIndex(COLLECTIONS.groups, 'externalId', { 'q.externalId': 1 }),
  tenantIndex(COLLECTIONS.groups, 'created_id', { created: 1, _id: 1 }),
  tenantIndex(COLLECTIONS.memberships, 'group_member_unique', { group: 1, member: 1 }, { unique: true }),
  tenantIndex(COLLECTIONS.memberships, 'member', { member: 1 }),
  index(COLLECTIONS.tokens, 'hash_unique', { hash: 1 }, { unique: true }),
  tenantIndex(COLLECTIONS.tokens, 'userId', { userId: 1 }),
  index(COLLECTIONS.tenants, 'deleting', { deleting: 1 }, { partial: { deleting: { $type: 'string' } } }),
  tenantIndex(COLLECTIONS.events, 'seq_unique', { seq: 1 }, { unique: true }),
  tenantIndex(COLLECTIONS.events, 'resourceId_seq', { resourceId: 1, seq: 1 }),
  tenantIndex(COLLECTIONS.events, 'memberId_seq', { memberId: 1, seq: 1 }, { partial: { memberId: { $exists: true } } }),
  tenantIndex(COLLECTIONS.events, 'actorTokenId_seq', { actorTokenId: 1, seq: 1 }),
  tenantIndex(COLLECTIONS.events, 'occurredAt', { occurredAt: 1 }),
  tenantIndex(COLLECTIONS.webhooks, 'created_id', { created: 1, _id: 1 }),
  index(COLLECTIONS.webhooks, 'claimable', { active: 1, leaseUntil: 1 }),
  index(COLLECTIONS.webhooks, 'leaseOwner', { leaseOwner: 1 }, { partial: { leaseOwner: { $type: 'string' } } }),
  tenantIndex(COLLECTIONS.deliveries, 'webhookId_eventId_unique', { webhookId: 1, eventId: 1 }, { unique: true }),
  tenantIndex(COLLECTIONS.deliveries, 'webhookId_state_eventId', { webhookId: 1, state: 1, eventId: 1 }),
  tenantIndex(COLLECTIONS.deliveries, 'eventId', { eventId: 1 }),
  tenantIndex(COLLECTIONS.clients, 'created_id', { created: 1, _id: 1 }),
  index(COLLECTIONS.clientSecrets, 'hash_unique', { hash: 1 }, { unique: true }),
  tenantIndex(COLLECTIONS.clientSecrets, 'clientId_created_id', { clientId: 1, created: 1, _id: 1 }),
  tenantIndex(COLLECTIONS.tokens, 'secretId', { secretId: 1 }, { partial: ACCESS_TOKENS }),
  tenantIndex(COLLECTIONS.tokens, 'clientId', { clientId: 1 }, { partial: ACCESS_TOKENS }),
  tenantIndex(COLLECTIONS.tokens, 'accessExpires', { expires: 1 }, { partial: ACCESS_TOKENS }),
  // Also schema 3: effectivePermissions filters start from the groups granting a permission, or
  // the users who hold it as an entitlement (permission-filter.ts).
  tenantIndex(COLLECTIONS.users, 'entitlements_value', { 'q.entitlements.value': 1 }),
  tenantIndex(COLLECTIONS.groups, 'permissions', { [`${GROUP_Q}.permissions`]: 1 }),
  // Schema 5: the failed-request log and the hourly activity counts.
  tenantIndex(COLLECTIONS.failures, 'seq_unique', { seq: 1 }, { unique: true }),
  tenantIndex(COLLECTIONS.failures, 'status_seq', { status: 1, seq: 1 }),
  tenantIndex(COLLECTIONS.activityHours, 'hour_type_unique', { hour: 1, type: 1 }, { unique: true }),
];

/**
 * Indexes of earlier versions, which `mongo migrate` drops once their replacements exist: those
 * of the single-tenant schema (their unique keys would forbid the same userName, displayName or
 * membership pair in two tenants), and the users indexes that did not lead with `live` or
 * indexed every null deletedAt. The others only cost writes.
 */
export const LEGACY_INDEXES: readonly { readonly collection: CollectionName; readonly name: string }[] = [
  ...['userNameKey_unique', 'externalId', 'emails_value', 'displayName', 'deletedAt', 'created_id', 'lastModified_created_id'].map((name) => ({ collection: COLLECTIONS.users, name })),
  ...['displayNameKey_unique', 'externalId', 'created_id'].map((name) => ({ collection: COLLECTIONS.groups, name })),
  ...['group_member_unique', 'member'].map((name) => ({ collection: COLLECTIONS.memberships, name })),
  { collection: COLLECTIONS.tokens, name: 'userId' },
  ...['tenant_deletedAt', 'tenant_created_id', 'tenant_lastModified_created_id'].map((name) => ({ collection: COLLECTIONS.users, name })),
];

/** The indexes of one collection. */
export const indexesOf = (collection: CollectionName): readonly IndexDeclaration[] =>
  INDEXES.filter((declaration) => declaration.collection === collection);
