import { COLLECTIONS } from '../../../src/store/mongo/documents';
import type { IndexDeclaration } from '../../../src/store/mongo/indexes';
import type { CollectionRules, Validators } from '../../../src/store/mongo/validators';
import { FakeDatabase } from '../contract/mingo-collections';

/**
 * What `mongo migrate` and the start-up check are tested over: the in-memory collections
 * (mingo-collections.ts), a database as the previous version left it, and the two things the
 * stand-in does not keep on its own.
 */

const index = (collection: string, name: string, fields: Record<string, 1>, unique = false): IndexDeclaration =>
  ({ collection, fields: { tenantId: 1, ...fields }, options: { name, ...(unique ? { unique: true } : {}) } }) as IndexDeclaration;

/** The indexes the previous version built (tenant-leading, no `live`, a full deletedAt index). */
export const PREVIOUS_INDEXES: readonly IndexDeclaration[] = [
  index(COLLECTIONS.users, 'tenant_userNameKey_unique', { userNameKey: 1 }, true),
  index(COLLECTIONS.users, 'tenant_externalId', { 'q.externalId': 1 }),
  index(COLLECTIONS.users, 'tenant_emails_value', { 'q.emails.value': 1 }),
  index(COLLECTIONS.users, 'tenant_displayName', { 'q.displayName': 1 }),
  index(COLLECTIONS.users, 'tenant_deletedAt', { deletedAt: 1 }),
  index(COLLECTIONS.users, 'tenant_created_id', { created: 1, _id: 1 }),
  index(COLLECTIONS.users, 'tenant_lastModified_created_id', { lastModified: 1, created: 1, _id: 1 }),
  index(COLLECTIONS.groups, 'tenant_displayNameKey_unique', { displayNameKey: 1 }, true),
  index(COLLECTIONS.groups, 'tenant_externalId', { 'q.externalId': 1 }),
  index(COLLECTIONS.groups, 'tenant_created_id', { created: 1, _id: 1 }),
  index(COLLECTIONS.memberships, 'tenant_group_member_unique', { group: 1, member: 1 }, true),
  index(COLLECTIONS.memberships, 'tenant_member', { member: 1 }),
  { collection: COLLECTIONS.tokens, fields: { hash: 1 }, options: { name: 'hash_unique', unique: true } },
  index(COLLECTIONS.tokens, 'tenant_userId', { userId: 1 }),
];

const at = '2024-01-01T00:00:00.000Z';
const resource = (tenantId: string, id: string) => ({ _id: id, tenantId, version: 1, created: at, lastModified: at, q: {} });
type Inserting = Record<string, { insertOne(document: object): Promise<unknown> }>;

/**
 * A database of the previous version: users without `live` and `groupIds` (ada and cy live,
 * bob soft-deleted), groups team {ada, bob} and ops {ada} in `default`, and in `acme` a user
 * in one group; the default tenant registered.
 */
export async function previousVersionDatabase(): Promise<FakeDatabase> {
  const database = new FakeDatabase(PREVIOUS_INDEXES);
  const c = database.asCollections() as unknown as Inserting;
  await c.tenants.insertOne({ _id: 'default', name: 'Default', created: at, lastModified: at, settings: {}, deleting: null });
  await c.tenants.insertOne({ _id: 'acme', name: 'Acme', created: at, lastModified: at, settings: {}, deleting: null });
  for (const [tenantId, id, userName, deletedAt] of [['default', 'u-ada', 'ada', null], ['default', 'u-bob', 'bob', at], ['default', 'u-cy', 'cy', null], ['acme', 'u-acme', 'ada', null]]) {
    await c.users.insertOne({ ...resource(tenantId!, id!), userNameKey: userName, deletedAt, lastDeletedAt: deletedAt, passwordHash: null, data: { userName } });
  }
  for (const [tenantId, id, name] of [['default', 'g-team', 'team'], ['default', 'g-ops', 'ops'], ['acme', 'g-acme', 'team']]) {
    await c.groups.insertOne({ ...resource(tenantId, id), displayNameKey: name, data: { displayName: name } });
  }
  for (const [tenantId, group, member] of [['default', 'g-team', 'u-ada'], ['default', 'g-team', 'u-bob'], ['default', 'g-ops', 'u-ada'], ['acme', 'g-acme', 'u-acme']]) {
    await c.memberships.insertOne({ tenantId, group, member });
  }
  await c.tokens.insertOne({ _id: 't-okta', tenantId: 'default', name: 'okta', hash: 'h1', created: at, userId: null, bootstrap: false });
  return database;
}

/** Validators kept in memory, as listCollections would report them after collMod. */
export function memoryValidators(): Validators & { readonly rules: Map<string, CollectionRules> } {
  const rules = new Map<string, CollectionRules>();
  return {
    rules,
    read: async (collection) => structuredClone(rules.get(collection)),
    write: async (collection, set) => void rules.set(collection, structuredClone(set)),
  };
}
