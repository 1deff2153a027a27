import { COLLECTIONS } from './documents';

type CollectionName = (typeof COLLECTIONS)[keyof typeof COLLECTIONS];

/** One index, in the shape of `collection.createIndex(fields, options)`. */
export interface IndexDeclaration {
  readonly collection: CollectionName;
  readonly fields: Readonly<Record<string, 1 | -1>>;
  readonly options: { readonly name: string; readonly unique?: boolean };
}

const index = (collection: CollectionName, name: string, fields: Record<string, 1 | -1>, unique = false): IndexDeclaration =>
  ({ collection, fields, options: unique ? { name, unique } : { name } });

/** An index of one tenant's documents: tenantId first, so every scoped query bounds it by equality. */
const tenantIndex = (collection: CollectionName, name: string, fields: Record<string, 1 | -1>, unique = false) =>
  index(collection, `tenant_${name}`, { tenantId: 1, ...fields }, unique);

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
 *   - users deletedAt: the retention purge of soft-deleted users;
 *   - {created, _id}: the default order and sortBy=meta.created, a forward or backward scan;
 *   - users {lastModified, created, _id}: `meta.lastModified gt` (incremental sync) and its sort;
 *   - groups displayNameKey (unique): `displayName eq`, sortBy=displayName;
 *   - memberships {group, member} (unique) and {member}: a group's members, a user's groups;
 *   - tokens userId: a scope's service tokens (userId null) and a user's tokens.
 * The one exception: tokens.hash is unique across tenants, because a request's token is found
 * by its hash before anyone knows its tenant (Credentials.findByHash).
 */
export const INDEXES: readonly IndexDeclaration[] = [
  tenantIndex(COLLECTIONS.users, 'userNameKey_unique', { userNameKey: 1 }, true),
  tenantIndex(COLLECTIONS.users, 'externalId', { 'q.externalId': 1 }),
  tenantIndex(COLLECTIONS.users, 'emails_value', { 'q.emails.value': 1 }),
  tenantIndex(COLLECTIONS.users, 'displayName', { 'q.displayName': 1 }),
  tenantIndex(COLLECTIONS.users, 'deletedAt', { deletedAt: 1 }),
  tenantIndex(COLLECTIONS.users, 'created_id', { created: 1, _id: 1 }),
  tenantIndex(COLLECTIONS.users, 'lastModified_created_id', { lastModified: 1, created: 1, _id: 1 }),
  tenantIndex(COLLECTIONS.groups, 'displayNameKey_unique', { displayNameKey: 1 }, true),
  tenantIndex(COLLECTIONS.groups, 'externalId', { 'q.externalId': 1 }),
  tenantIndex(COLLECTIONS.groups, 'created_id', { created: 1, _id: 1 }),
  tenantIndex(COLLECTIONS.memberships, 'group_member_unique', { group: 1, member: 1 }, true),
  tenantIndex(COLLECTIONS.memberships, 'member', { member: 1 }),
  index(COLLECTIONS.tokens, 'hash_unique', { hash: 1 }, true),
  tenantIndex(COLLECTIONS.tokens, 'userId', { userId: 1 }),
];

/**
 * The indexes of the single-tenant schema, which start-up drops once their tenant-leading
 * replacements exist: the unique ones would forbid the same userName (or displayName, or
 * membership pair) in two tenants, the others only cost writes.
 */
export const LEGACY_INDEXES: readonly { readonly collection: CollectionName; readonly name: string }[] = [
  ...['userNameKey_unique', 'externalId', 'emails_value', 'displayName', 'deletedAt', 'created_id', 'lastModified_created_id'].map((name) => ({ collection: COLLECTIONS.users, name })),
  ...['displayNameKey_unique', 'externalId', 'created_id'].map((name) => ({ collection: COLLECTIONS.groups, name })),
  ...['group_member_unique', 'member'].map((name) => ({ collection: COLLECTIONS.memberships, name })),
  { collection: COLLECTIONS.tokens, name: 'userId' },
];

/** The indexes of one collection. */
export const indexesOf = (collection: CollectionName): readonly IndexDeclaration[] =>
  INDEXES.filter((declaration) => declaration.collection === collection);
