import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { compileFilter, type MongoQuery } from '../../../src/store/mongo/compile-filter';
import { COLLECTIONS } from '../../../src/store/mongo/documents';
import { INDEXES, indexesOf } from '../../../src/store/mongo/indexes';
import { withIds } from '../../support/fixtures/filter-fixtures';
import { buildMongoFixtures, fixtureResolver } from './mongo-fixtures';

const registry = loadSchemaRegistry();
const fixtures = buildMongoFixtures(registry);

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
    const condition = value as MongoQuery;
    if ('$elemMatch' in condition) Object.assign(fields, conjunctFields(condition.$elemMatch as MongoQuery, `${prefix}${key}.`));
    else fields[`${prefix}${key}`] = Object.keys(condition);
  }
  return fields;
}

const leadingFields = (collection: typeof COLLECTIONS.users | typeof COLLECTIONS.groups) =>
  new Set(['_id', ...indexesOf(collection).map((i) => Object.keys(i.fields)[0])]);

/** [resource type, filter an identity provider sends, the indexed field that must answer it]. */
const providerFilters = [
  ['User', 'userName eq "Alice"', 'userNameKey'],
  ['User', 'externalId eq "EXT-001"', 'q.externalId'],
  ['User', 'emails.value eq "Alice@Example.com"', 'q.emails.value'],
  ['User', 'emails[type eq "work"].value eq "alice@example.com"', 'q.emails.value'],
  ['User', 'id eq "{{alice.id}}"', '_id'],
  ['User', 'userName sw "al"', 'userNameKey'],
  ['User', 'meta.lastModified gt "2021-06-01T00:00:00Z"', 'lastModified'],
  ['Group', 'displayName eq "Engineering"', 'displayNameKey'],
  ['Group', 'externalId eq "grp-eng"', 'q.externalId'],
  ['Group', 'id eq "{{Sales.id}}"', '_id'],
  ['Group', 'members[value eq "{{alice.id}}"]', '_id'],
] as const;

describe('the filters identity providers send use an index', () => {
  it.each(providerFilters)('%s: %s → %s', async (type, text, field) => {
    const resourceType = type === 'User' ? registry.user : registry.group;
    const collection = type === 'User' ? COLLECTIONS.users : COLLECTIONS.groups;
    const query = await compileFilter(resourceType, resolveFilter(resourceType, parseFilter(withIds(text, fixtures.ids))), fixtureResolver(fixtures));
    const fields = conjunctFields(query);

    expect(leadingFields(collection).has(field)).toBe(true);
    // A bound the planner can use: equality, a set, a range or a ^prefix regex, never a negation.
    expect(fields[field]?.[0]).toMatch(/^\$(eq|in|gt|gte|lt|lte|regex)$/);
    if (fields[field]?.[0] === '$regex') expect(JSON.stringify(query)).toContain('"^');
    // Nothing unindexed rides along, except the sibling sub-attribute matched inside the same element.
    const others = Object.keys(fields).filter((f) => f !== field && !leadingFields(collection).has(f));
    expect(others).toEqual(text.startsWith('emails[type') ? ['q.emails.type'] : []);
  });

  it('keeps the Entra form inside one $elemMatch, so the indexed value and the type are matched on the same email', async () => {
    const filter = resolveFilter(registry.user, parseFilter('emails[type eq "work"].value eq "Alice@Example.com"'));
    expect(await compileFilter(registry.user, filter, fixtureResolver(fixtures))).toEqual({
      'q.emails': { $elemMatch: { $and: [{ type: { $eq: 'work' } }, { value: { $eq: 'alice@example.com' } }] } },
    });
  });

  it('declares the unique keys the stores rely on, and every index once', () => {
    const unique = INDEXES.filter((i) => i.options.unique).map((i) => `${i.collection}:${Object.keys(i.fields).join('+')}`);
    expect(unique).toEqual(['users:userNameKey', 'groups:displayNameKey', 'memberships:group+member', 'tokens:hash']);
    expect(new Set(INDEXES.map((i) => `${i.collection}:${i.options.name}`)).size).toBe(INDEXES.length);
    expect(indexesOf(COLLECTIONS.memberships).map((i) => i.fields)).toEqual([{ group: 1, member: 1 }, { member: 1 }]);
  });
});
