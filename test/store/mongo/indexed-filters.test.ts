import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import { parseListRequest } from '../../../src/scim/list/list-request';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { compileFilter, type MongoQuery } from '../../../src/store/mongo/compile-filter';
import { COLLECTIONS, LIVE } from '../../../src/store/mongo/documents';
import { compileSort } from '../../../src/store/mongo/compile-sort';
import { INDEXES, indexesOf, LEGACY_INDEXES } from '../../../src/store/mongo/indexes';
import { scopedFilter } from '../../../src/store/mongo/scoped-collection';
import { withIds } from '../../support/fixtures/filter-fixtures';
import { fixtureRelations, type RecordingRelations } from './fixture-relations';
import { buildMongoFixtures } from './mongo-fixtures';

const registry = loadSchemaRegistry();
const fixtures = buildMongoFixtures(registry);
let relations: RecordingRelations;
beforeAll(async () => {
  relations = await fixtureRelations(fixtures);
});

/**
 * The fields a query constrains in its top-level conjunction (through $and and $elemMatch, the
 * predicates MongoDB's planner can bound an index with), each with its operators. Predicates
 * under $or / $nor are left out: they cannot select an index scan by themselves.
 */
function conjunctFields(query: MongoQuery, prefix = ''): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(query)) {
    if (key === '$and') Object.assign(fields, ...(value as MongoQuery[]).map((part) => conjunctFields(part, prefix)));
    if (key.startsWith('$')) continue;
    // A plain value is an equality.
    const condition = typeof value === 'object' && value !== null ? value as MongoQuery : { $eq: value };
    if ('$elemMatch' in condition) Object.assign(fields, conjunctFields(condition.$elemMatch as MongoQuery, `${prefix}${key}.`));
    else fields[`${prefix}${key}`] = Object.keys(condition);
  }
  return fields;
}

type ResourceCollection = typeof COLLECTIONS.users | typeof COLLECTIONS.groups;

/**
 * The equalities every list query of the collection carries besides its filter: the tenant
 * (scoped-collection.ts) and, for users, `live: true` (deleted users are never listed).
 */
const listScope = (collection: ResourceCollection): readonly string[] => (collection === COLLECTIONS.users ? ['tenantId', 'live'] : ['tenantId']);

/**
 * The fields an index of the collection bounds right after the list's own equalities (tenantId,
 * and live for users, in any leading order), and _id, which is unique by itself.
 */
const indexedAfterTenant = (collection: ResourceCollection) => {
  const scope = new Set(listScope(collection));
  const next = (keys: string[]) => keys.find((key) => !scope.has(key));
  return new Set(['_id', ...indexesOf(collection).map((i) => Object.keys(i.fields)).filter((keys) => keys[0] === 'tenantId').map(next)]);
};

/** The query a list sends: the compiled filter under the store's scope (users: live ones only), with the tenant. */
const asListed = (collection: ResourceCollection, compiled: MongoQuery) =>
  scopedFilter(collection === COLLECTIONS.users ? { $and: [LIVE, compiled] } : compiled, 'acme');

/** [resource type, filter an identity provider sends, the indexed field that must answer it]. */
const providerFilters = [
  ['User', 'userName eq "Alice"', 'userNameKey'],
  ['User', 'externalId eq "EXT-001"', 'q.externalId'],
  ['User', 'emails.value eq "Alice@Example.com"', 'q.emails.value'],
  ['User', 'emails[type eq "work"].value eq "alice@example.com"', 'q.emails.value'],
  ['User', 'id eq "{{alice.id}}"', '_id'],
  ['User', 'userName sw "al"', 'userNameKey'],
  // sw is an anchored regex over a folded, indexed field: a range of the index (issue 13).
  ['User', 'emails.value sw "al"', 'q.emails.value'],
  ['User', 'displayName sw "al"', 'q.displayName'],
  ['User', 'meta.lastModified gt "2021-06-01T00:00:00Z"', 'lastModified'],
  ['User', 'groups.value eq "{{Admins.id}}"', 'groupIds'],
  ['User', 'groups[value eq "{{Admins.id}}"]', 'groupIds'],
  ['User', 'userName eq "alice" or userName eq "bob"', 'userNameKey'],
  ['Group', 'displayName eq "Engineering"', 'displayNameKey'],
  ['Group', 'displayName sw "eng"', 'displayNameKey'],
  ['Group', 'externalId eq "grp-eng"', 'q.externalId'],
  ['Group', 'id eq "{{Sales.id}}"', '_id'],
  ['Group', 'members[value eq "{{alice.id}}"]', '_id'],
] as const;

describe('the filters identity providers send use an index', () => {
  it.each(providerFilters)('%s: %s → %s', async (type, text, field) => {
    const resourceType = type === 'User' ? registry.user : registry.group;
    const collection = type === 'User' ? COLLECTIONS.users : COLLECTIONS.groups;
    const compiled = await compileFilter(resourceType, resolveFilter(resourceType, parseFilter(withIds(text, fixtures.ids))), relations);
    const fields = conjunctFields(asListed(collection, compiled));

    for (const equality of listScope(collection)) expect(fields[equality]).toEqual(['$eq']);
    expect(indexedAfterTenant(collection).has(field)).toBe(true);
    // A bound the planner can use: equality, a set, a range or a ^prefix regex, never a negation.
    expect(fields[field]?.[0]).toMatch(/^\$(eq|in|gt|gte|lt|lte|regex)$/);
    if (fields[field]?.[0] === '$regex') expect(JSON.stringify(compiled)).toContain('"^');
    // Nothing unindexed rides along, except the sibling sub-attribute matched inside the same element.
    const others = Object.keys(fields).filter((f) => !listScope(collection).includes(f) && f !== field && !indexedAfterTenant(collection).has(f));
    expect(others).toEqual(text.startsWith('emails[type') ? ['q.emails.type'] : []);
  });

  it('keeps the Entra form inside one $elemMatch, so the indexed value and the type are matched on the same email', async () => {
    const filter = resolveFilter(registry.user, parseFilter('emails[type eq "work"].value eq "Alice@Example.com"'));
    expect(await compileFilter(registry.user, filter, relations)).toEqual({
      'q.emails': { $elemMatch: { $and: [{ type: { $eq: 'work' } }, { value: { $eq: 'alice@example.com' } }] } },
    });
  });
});

describe('substring searches MongoDB cannot serve from an index', () => {
  // No trigram index here: co and ew are unanchored regexes, which read every key of the tenant's
  // index on the field (or every document), bounded by maxTimeMS (time-limit.ts).
  it.each([
    ['userName co "li"', 'userNameKey', 'li'],
    ['userName ew "ce"', 'userNameKey', 'ce(?![\\s\\S])'],
    ['name.familyName co "li"', 'q.name.familyName', 'li'],
    ['emails.value co "@ex"', 'q.emails.value', '@ex'],
  ])('%s is an unanchored regex on %s', async (text, field, pattern) => {
    const compiled = await compileFilter(registry.user, resolveFilter(registry.user, parseFilter(text)), relations);
    expect(conjunctFields(compiled)[field]).toEqual(['$regex']);
    expect(JSON.stringify(compiled)).toContain(JSON.stringify(pattern));
  });
});

describe('every index leads with the tenant', () => {
  it('declares the unique keys the stores rely on, per tenant, and every index once', () => {
    const unique = INDEXES.filter((i) => i.options.unique).map((i) => `${i.collection}:${Object.keys(i.fields).join('+')}`);
    expect(unique).toEqual([
      'users:tenantId+userNameKey', 'groups:tenantId+displayNameKey', 'memberships:tenantId+group+member', 'tokens:hash',
      'events:tenantId+seq', 'deliveries:tenantId+webhookId+eventId', 'client_secrets:hash',
      'request_failures:tenantId+seq', 'activity_hours:tenantId+hour+type',
    ]);
    expect(new Set(INDEXES.map((i) => `${i.collection}:${i.options.name}`)).size).toBe(INDEXES.length);
    expect(indexesOf(COLLECTIONS.memberships).map((i) => i.fields)).toEqual([{ tenantId: 1, group: 1, member: 1 }, { tenantId: 1, member: 1 }]);
    expect(indexesOf(COLLECTIONS.tokens).map((i) => i.fields)).toEqual([
      { hash: 1 }, { tenantId: 1, userId: 1 }, { tenantId: 1, secretId: 1 }, { tenantId: 1, clientId: 1 }, { tenantId: 1, expires: 1 },
    ]);
  });

  it('has no index without tenantId first but those of the look-ups across tenants: the token and client secret hashes, the dispatcher\'s claims', () => {
    const unscoped = INDEXES.filter((i) => Object.keys(i.fields)[0] !== 'tenantId').map((i) => `${i.collection}:${i.options.name}`);
    // A token or client secret is found before its tenant is known; webhooks are leased whatever their tenant, except a tenant being deleted.
    expect(unscoped).toEqual(['tokens:hash_unique', 'tenants:deleting', 'webhooks:claimable', 'webhooks:leaseOwner', 'client_secrets:hash_unique']);
  });

  it('drops every single-tenant index and the users indexes without live, and none of the new names is an old one', () => {
    const legacy = new Set(LEGACY_INDEXES.map((i) => `${i.collection}:${i.name}`));
    expect(legacy).toEqual(new Set([
      'users:userNameKey_unique', 'users:externalId', 'users:emails_value', 'users:displayName', 'users:deletedAt', 'users:created_id', 'users:lastModified_created_id',
      'groups:displayNameKey_unique', 'groups:externalId', 'groups:created_id', 'memberships:group_member_unique', 'memberships:member', 'tokens:userId',
      'users:tenant_deletedAt', 'users:tenant_created_id', 'users:tenant_lastModified_created_id',
    ]));
    expect(INDEXES.filter((i) => legacy.has(`${i.collection}:${i.options.name}`))).toEqual([]);
  });

  it.each([
    ['User', 'userName', 'ascending'],
    ['User', 'meta.created', 'descending'],
    ['User', 'meta.lastModified', 'ascending'],
    ['Group', 'displayName', 'descending'],
    ['Group', 'meta.created', 'ascending'],
  ] as const)('%s sortBy=%s %s is one scan of a {tenantId, …} index', (type, sortBy, sortOrder) => {
    const resourceType = type === 'User' ? registry.user : registry.group;
    const collection = type === 'User' ? COLLECTIONS.users : COLLECTIONS.groups;
    const { sort } = parseListRequest(resourceType, { sortBy, sortOrder }, 100);
    const keys = Object.entries(compileSort(resourceType, sort).sort);
    // Equality on tenantId (and live, for users) first, then the sort's keys, all forward or all backward.
    const served = indexesOf(collection).some((i) => {
      const fields = Object.entries(i.fields);
      const prefix = fields.findIndex(([field]) => !listScope(collection).includes(field));
      const rest = fields.slice(prefix);
      if (fields[0][0] !== 'tenantId' || prefix < 1 || rest.length !== keys.length) return false;
      const flip = keys[0][1] === rest[0][1] ? 1 : -1;
      return keys.every(([key, direction], n) => rest[n][0] === key && rest[n][1] * flip === direction);
    });
    expect(served).toBe(true);
  });
});
