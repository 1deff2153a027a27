import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import { parseListRequest } from '../../../src/scim/list/list-request';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { COLLECTIONS } from '../../../src/store/mongo/documents';
import { DEFAULT_TENANT_ID, UnsupportedQuery, type TenantStore } from '../../../src/store/port';
import {
  allGroupNames, allUserNames, groupFilterCases, groupSortCases, seedFilterFixtures, userFilterCases, userSortCases, withIds, type FixtureIds,
} from '../../support/fixtures/filter-fixtures';
import { FakeDatabase, inMemoryMongoStore } from './mingo-collections';
import { journal } from '../../support/journal';

const registry = loadSchemaRegistry();

/**
 * Stock mingo orders strings by UTF-16 units, MongoDB by code points: these two cases compare a
 * non-BMP character with U+FFFD, where the two orders differ. The in-memory collections cannot
 * tell; the compiler's own tests (test/store/mongo) and a real server can.
 */
const UTF16_ORDER_CASES = ['nickName gt "\\ufffd"', 'nickName lt "\\ufffd"'];
const withoutUtf16 = <T extends readonly [string, ...unknown[]]>(cases: readonly T[]) => cases.filter(([text]) => !UTF16_ORDER_CASES.includes(text));

/** Sorts by a user's groups or a group's members: refused on MongoDB (a look-up per matching resource), served by SQLite. */
const RELATION_SORT = /^(groups|members)(\.|$)/;
const withoutRelationSorts = <T extends readonly [string, ...unknown[]]>(cases: readonly T[]) => cases.filter(([sortBy]) => !RELATION_SORT.test(sortBy));

const asSet = (names: readonly string[], all: readonly string[]) => [...new Set(names)].sort((a, b) => all.indexOf(a) - all.indexOf(b));

/**
 * The filter and sort fixtures every adapter answers (test/support/fixtures), through the MongoDB
 * adapter's own list, relation resolver (groups.*, members.*) and page query, over the in-memory
 * collections: the compiled queries as the adapter runs them, not only as the compiler emits them.
 * Another tenant holds the very same fixtures, so a query that crossed tenants would count twice.
 */
describe('the shared filter and sort fixtures through the MongoDB adapter (in-memory collections), in a tenant beside a twin', () => {
  let store: TenantStore;
  let ids: FixtureIds;

  beforeAll(async () => {
    const database = new FakeDatabase();
    const setTimestamps = async (kind: 'user' | 'group', id: string, created: string, lastModified: string) => {
      await database.collection(kind === 'user' ? COLLECTIONS.users : COLLECTIONS.groups).updateOne({ _id: id }, { $set: { created, lastModified } });
    };
    // The same fixtures in the default tenant too: every answer below must come from acme's alone.
    await seedFilterFixtures(inMemoryMongoStore(database).tenant(DEFAULT_TENANT_ID, journal), setTimestamps);
    store = inMemoryMongoStore(database).tenant('acme', journal);
    ids = await seedFilterFixtures(store, setTimestamps);
  });

  describe.each([
    ['Users', withoutUtf16(userFilterCases), () => registry.user, (s: TenantStore) => s.users, 'userName', allUserNames],
    ['Groups', groupFilterCases, () => registry.group, (s: TenantStore) => s.groups, 'displayName', allGroupNames],
  ] as const)('%s', (_, cases, type, resources, nameKey, names) => {
    it.each(cases)('%s', async (text, expected) => {
      const page = await resources(store).list({ filter: resolveFilter(type(), parseFilter(withIds(text, ids))), offset: 0, limit: 100 });
      expect(asSet(page.items.map((r) => String(r.data[nameKey])), names)).toEqual(asSet(expected, names));
      expect(page.total).toBe(expected.length);
    });
  });

  describe.each([
    ['Users', userSortCases, () => registry.user, (s: TenantStore) => s.users, 'userName'],
    ['Groups', groupSortCases, () => registry.group, (s: TenantStore) => s.groups, 'displayName'],
  ] as const)('%s sorted', (_, cases, type, resources, nameKey) => {
    it.each(withoutRelationSorts(cases))('sortBy=%s sortOrder=%s', async (sortBy, sortOrder, expected) => {
      const { sort } = parseListRequest(type(), { sortBy, sortOrder }, 100);
      expect((await resources(store).list({ sort, offset: 0, limit: 100 })).items.map((r) => r.data[nameKey])).toEqual(expected);
    });
  });

  it.each([
    ['groups.display', () => registry.user, (s: TenantStore) => s.users],
    ['members.display', () => registry.group, (s: TenantStore) => s.groups],
  ] as const)('refuses sortBy=%s as an unsupported sort, in both pagings', async (sortBy, type, resources) => {
    const { sort } = parseListRequest(type(), { sortBy, sortOrder: 'ascending' }, 100);
    for (const after of [undefined, []]) {
      const refusal = resources(store).list({ sort, offset: 0, limit: 10, ...(after ? { after } : {}) });
      await expect(refusal).rejects.toBeInstanceOf(UnsupportedQuery);
      await expect(refusal).rejects.toMatchObject({ part: 'sort' });
    }
  });
});
