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

/**
 * Every index the MongoDB adapter creates. Each serves a filter identity providers send or a
 * sort compile-sort.ts leaves to the index (fields as compile-filter.ts and compile-sort.ts
 * write them; `q.*` holds folded values, so equality and `^prefix` regexes on them use the index):
 *   - users.userNameKey (unique, deleted users included): `userName eq`, sortBy=userName;
 *   - users/groups q.externalId: `externalId eq` (Okta, Entra);
 *   - users q.emails.value (multikey): `emails.value eq`, `emails[type eq "work"].value eq`;
 *   - users q.displayName: `displayName eq` and `members.display` look-ups;
 *   - users.deletedAt: the retention purge of soft-deleted users;
 *   - {created, _id}: the default order and sortBy=meta.created, a forward or backward scan;
 *   - users {lastModified, created, _id}: `meta.lastModified gt` (incremental sync) and its sort;
 *   - groups.displayNameKey (unique): `displayName eq`, sortBy=displayName;
 *   - memberships {group, member} (unique) and {member}: a group's members, a user's groups;
 *   - tokens.hash (unique): authenticating a request; tokens.userId: a user's tokens.
 */
export const INDEXES: readonly IndexDeclaration[] = [
  index(COLLECTIONS.users, 'userNameKey_unique', { userNameKey: 1 }, true),
  index(COLLECTIONS.users, 'externalId', { 'q.externalId': 1 }),
  index(COLLECTIONS.users, 'emails_value', { 'q.emails.value': 1 }),
  index(COLLECTIONS.users, 'displayName', { 'q.displayName': 1 }),
  index(COLLECTIONS.users, 'deletedAt', { deletedAt: 1 }),
  index(COLLECTIONS.users, 'created_id', { created: 1, _id: 1 }),
  index(COLLECTIONS.users, 'lastModified_created_id', { lastModified: 1, created: 1, _id: 1 }),
  index(COLLECTIONS.groups, 'displayNameKey_unique', { displayNameKey: 1 }, true),
  index(COLLECTIONS.groups, 'externalId', { 'q.externalId': 1 }),
  index(COLLECTIONS.groups, 'created_id', { created: 1, _id: 1 }),
  index(COLLECTIONS.memberships, 'group_member_unique', { group: 1, member: 1 }, true),
  index(COLLECTIONS.memberships, 'member', { member: 1 }),
  index(COLLECTIONS.tokens, 'hash_unique', { hash: 1 }, true),
  index(COLLECTIONS.tokens, 'userId', { userId: 1 }),
];

/** The indexes of one collection. */
export const indexesOf = (collection: CollectionName): readonly IndexDeclaration[] =>
  INDEXES.filter((declaration) => declaration.collection === collection);
