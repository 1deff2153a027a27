import { scimErrorOf } from '../../../src/app/failures';
import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import { parseListRequest } from '../../../src/scim/list/list-request';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { foldCase } from '../../../src/scim/values/fold-case';
import { MAX_RELATED_MATCHES } from '../../../src/store/mongo/compile-filter';
import { COLLECTIONS } from '../../../src/store/mongo/documents';
import { queryDocument } from '../../../src/store/mongo/query-document';
import type { TenantStore } from '../../../src/store/port';
import { FakeDatabase, inMemoryMongoStore, type JournalEntry } from '../contract/mingo-collections';
import { journal } from '../../support/journal';

const registry = loadSchemaRegistry();
const TENANT = 'acme';
const GROUP_EXTENSION = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Group';
/** The fields the compiled queries name (query-document.ts encodes the "2.0" of the URN). */
const GROUP_PERMISSIONS_Q = 'q.urn:ietf:params:scim:schemas:extension:roster:2%2E0:Group.permissions';

/**
 * effectivePermissions with the MongoDB adapter (permission-filter.ts): the groups that grant a
 * permission are looked up first (bounded, under an index on their permissions), the users found
 * by groupIds or by their own entitlements; memberships are never read. The contract
 * (test/store/contract/effective-permissions-contract.ts) checks which users each filter selects.
 */
describe('effectivePermissions filters through the MongoDB store', () => {
  let database: FakeDatabase;
  let tenant: TenantStore;
  let finance: string;

  beforeAll(async () => {
    database = new FakeDatabase();
    tenant = inMemoryMongoStore(database).tenant(TENANT, journal);
    const ada = await tenant.users.create({ data: { userName: 'ada', entitlements: [{ value: 'reports.view' }] } });
    const bob = await tenant.users.create({ data: { userName: 'bob' } });
    finance = (await tenant.groups.create({ displayName: 'Finance', [GROUP_EXTENSION]: { permissions: ['reports.view'] } }, [bob.id, ada.id])).id;
  });

  const list = async (text: string, sortBy?: string) => {
    const entries: JournalEntry[] = [];
    database.journal = entries;
    try {
      const filter = resolveFilter(registry.user, parseFilter(text));
      const sort = sortBy ? parseListRequest(registry.user, { sortBy }, 10).sort : undefined;
      const page = await tenant.users.list({ filter, sort, offset: 0, limit: 10 });
      return { names: page.items.map((u) => String(u.data.userName)).sort(), entries };
    } finally {
      database.journal = undefined;
    }
  };

  it('answers `eq` with one bounded look-up of the groups granting it, then groupIds or the user\'s own entitlements', async () => {
    const { names, entries } = await list('effectivePermissions eq "reports.view"');
    expect(names).toEqual(['ada', 'bob']);
    expect(entries.filter((e) => e.collection === COLLECTIONS.memberships)).toEqual([]);
    expect(entries[0]).toMatchObject({ collection: COLLECTIONS.groups, operation: 'find', argument: { [GROUP_PERMISSIONS_Q]: { $eq: 'reports.view' }, tenantId: TENANT } });
    expect(entries[1].argument).toEqual({
      $and: [{ live: true }, {
        $or: [
          // The folded equality lets an index on q.entitlements.value serve what the exact one decides.
          { 'q.entitlements.value': 'reports.view', 'data.entitlements.value': { $eq: 'reports.view' } },
          { groupIds: { $in: [finance] } },
        ],
      }],
      tenantId: TENANT,
    });
  });

  it('compares exactly (caseExact), though entitlement values are kept folded in q', async () => {
    expect((await list('effectivePermissions eq "REPORTS.VIEW"')).names).toEqual([]);
    expect((await list('effectivePermissions sw "Reports"')).names).toEqual([]);
  });

  it('looks the granting groups up once per condition on effectivePermissions', async () => {
    const { names, entries } = await list('effectivePermissions sw "reports" and userName eq "ada"');
    expect(names).toEqual(['ada']);
    expect(entries.filter((e) => e.collection === COLLECTIONS.groups)).toHaveLength(1);
  });

  it('refuses sortBy=effectivePermissions, as it refuses sorting by a user\'s groups (400 invalidPath)', async () => {
    const refusal = await list('userName pr', `urn:ietf:params:scim:schemas:extension:roster:2.0:Account:effectivePermissions`).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ name: 'UnsupportedQuery', part: 'sort' });
    expect(scimErrorOf(refusal)).toMatchObject({ status: 400, scimType: 'invalidPath' });
  });
});

describe(`effectivePermissions granted by more than ${MAX_RELATED_MATCHES} groups is refused (400 invalidFilter)`, () => {
  let database: FakeDatabase;
  let tenant: TenantStore;

  /** Groups straight into the collection (a thousand creates through the port would take long), each granting `permission`. */
  async function addGroups(from: number, count: number, permission: string): Promise<void> {
    for (let i = from; i < from + count; i++) {
      const data = { displayName: `Bulk ${i}`, [GROUP_EXTENSION]: { permissions: [permission] } };
      await database.collection(COLLECTIONS.groups).insertOne({
        _id: `00000000-0000-4000-a000-${String(i).padStart(12, '0')}`, tenantId: TENANT, version: 1,
        created: '2024-01-01T00:00:00.000Z', lastModified: '2024-01-01T00:00:00.000Z',
        displayNameKey: foldCase(data.displayName), data, q: queryDocument(registry.group, data),
      });
    }
  }
  const list = (text: string) => tenant.users.list({ filter: resolveFilter(registry.user, parseFilter(text)), offset: 0, limit: 1 });

  beforeAll(async () => {
    database = new FakeDatabase();
    tenant = inMemoryMongoStore(database).tenant(TENANT, journal);
    await tenant.users.create({ data: { userName: 'holder', entitlements: [{ value: 'wide' }] } });
    await addGroups(0, MAX_RELATED_MATCHES, 'wide');
  });

  it(`answers with exactly ${MAX_RELATED_MATCHES} granting groups`, async () => {
    expect((await list('effectivePermissions eq "wide"')).total).toBe(1);
  });

  it('refuses one more, with a sentence that says how to narrow the filter', async () => {
    await addGroups(MAX_RELATED_MATCHES, 1, 'wide');
    for (const text of ['effectivePermissions eq "wide"', 'effectivePermissions pr']) {
      const refusal = await list(text).catch((error: unknown) => error);
      expect(refusal).toMatchObject({ name: 'UnsupportedQuery', part: 'filter', message: expect.stringContaining('a filter on effectivePermissions that more than 1,000 groups grant') });
      expect(scimErrorOf(refusal)).toMatchObject({ status: 400, scimType: 'invalidFilter' });
    }
    await addGroups(2000, 1, 'narrow');
    await expect(list('effectivePermissions eq "narrow"')).resolves.toMatchObject({ total: 0 });
  });
});
