import { scimErrorOf } from '../../../src/app/failures';
import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import type { ResourceType } from '../../../src/scim/schema/definitions';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { MAX_RELATED_MATCHES } from '../../../src/store/mongo/compile-filter';
import { COLLECTIONS } from '../../../src/store/mongo/documents';
import { queryDocument } from '../../../src/store/mongo/query-document';
import { foldCase } from '../../../src/scim/values/fold-case';
import { DEFAULT_TENANT_ID, type TenantStore } from '../../../src/store/port';
import { evaluateFilter } from '../../../src/scim/filter/evaluate-filter';
import {
  allGroupNames, allUserNames, groupFilterCases, renderFixtures, seedFilterFixtures, userFilterCases, withIds, type FixtureIds,
} from '../../support/fixtures/filter-fixtures';
import { FakeDatabase, inMemoryMongoStore, type JournalEntry } from '../contract/mingo-collections';
import { journal } from '../../support/journal';

const registry = loadSchemaRegistry();
const TENANT = 'acme';

/** Every `$in` list anywhere in `value`. */
function inLists(value: unknown): unknown[][] {
  if (typeof value !== 'object' || value === null) return [];
  const own = !Array.isArray(value) && Array.isArray((value as { $in?: unknown }).$in) ? [(value as { $in: unknown[] }).$in] : [];
  return [...own, ...Object.values(value).flatMap(inLists)];
}

const isMembershipFilter = ([text]: readonly [string, ...unknown[]]) => /\b(groups|members)\b/.test(text);

/** More membership shapes than the shared table has: value paths, negations, `ne`, merged `or`s, every sub-attribute. */
const moreUserCases: readonly (readonly [string, readonly string[]])[] = [
  ['groups[value eq "{{Admins.id}}"]', ['alice', 'grace']],
  ['groups.value eq "{{Admins.ID}}"', ['alice', 'grace']],
  ['groups.value eq "{{Sales.id}}" or groups.value eq "{{Admins.id}}"', ['alice', 'CAROL', 'dave', 'grace']],
  ['groups.value ne "{{Engineering.id}}"', ['bob', 'CAROL', 'dave', 'zed', 'grace']],
  ['not (groups.display co "a")', ['Éva.Núñez', 'bob', 'zed', 'Frank']], // "engineering" has no "a"
  ['groups[display sw "e" and type eq "direct"]', ['alice', 'Éva.Núñez', 'Frank']],
  ['groups.type eq "direct" and userName sw "a"', ['alice']],
  ['groups.value eq "no-such-group"', []],
];
const moreGroupCases: readonly (readonly [string, readonly string[]])[] = [
  ['members[display eq "alice smith" and value pr]', ['Engineering', 'Admins']],
  ['members.value eq "{{dave.id}}" or members.value eq "{{grace.id}}"', ['Sales', 'Admins']],
  ['members.value ne "{{alice.id}}"', ['Sales', 'Empty Group']],
  ['members.display sw "c" or displayName eq "admins"', ['Sales', 'Admins']],
  ['members.value eq "no-such-user"', []],
];

describe('membership filters through the MongoDB store: answered from groupIds, never from memberships', () => {
  let database: FakeDatabase;
  let tenant: TenantStore;
  let ids: FixtureIds;
  let rendered: Awaited<ReturnType<typeof renderFixtures>>;

  beforeAll(async () => {
    database = new FakeDatabase();
    const setTimestamps = async (kind: 'user' | 'group', id: string, created: string, lastModified: string) => {
      await database.collection(kind === 'user' ? COLLECTIONS.users : COLLECTIONS.groups).updateOne({ _id: id }, { $set: { created, lastModified } });
    };
    // A twin tenant with the same fixtures: a look-up that crossed tenants would count twice.
    await seedFilterFixtures(inMemoryMongoStore(database).tenant(DEFAULT_TENANT_ID, journal), setTimestamps);
    tenant = inMemoryMongoStore(database).tenant(TENANT, journal);
    ids = await seedFilterFixtures(tenant, setTimestamps);
    // As served, members and groups from memberships: what evaluateFilter (the SQLite semantics) reads.
    rendered = await renderFixtures(tenant, registry);
  });

  /** The names `list` selects, and every operation it sent. */
  async function list(type: ResourceType, text: string): Promise<{ names: string[]; journal: JournalEntry[] }> {
    const journal: JournalEntry[] = [];
    database.journal = journal;
    try {
      const store = type === registry.user ? tenant.users : tenant.groups;
      const page = await store.list({ filter: resolveFilter(type, parseFilter(withIds(text, ids))), offset: 0, limit: 100 });
      return { names: page.items.map((r) => String(r.data[type === registry.user ? 'userName' : 'displayName'])), journal };
    } finally {
      database.journal = undefined;
    }
  }

  const sorted = (names: readonly string[], all: readonly string[]) => [...names].sort((a, b) => all.indexOf(a) - all.indexOf(b));

  describe.each([
    ['Users', registry.user, [...userFilterCases.filter(isMembershipFilter), ...moreUserCases], allUserNames],
    ['Groups', registry.group, [...groupFilterCases.filter(isMembershipFilter), ...moreGroupCases], allGroupNames],
  ] as const)('%s', (_, type, cases, all) => {
    it.each(cases)('%s', async (text, expected) => {
      const { names, journal } = await list(type, text);
      const filter = resolveFilter(type, parseFilter(withIds(text, ids)));
      const nameKey = type === registry.user ? 'userName' : 'displayName';
      const evaluated = (type === registry.user ? rendered.users : rendered.groups).filter((r) => evaluateFilter(filter, r)).map((r) => String(r[nameKey]));
      expect({ mongo: sorted(names, all), evaluateFilter: sorted(evaluated, all) }).toEqual({ mongo: sorted(expected, all), evaluateFilter: sorted(expected, all) });
      expect(journal.filter((entry) => entry.collection === COLLECTIONS.memberships)).toEqual([]);
      for (const entry of journal) for (const values of inLists(entry.argument)) expect(values.length).toBeLessThanOrEqual(MAX_RELATED_MATCHES);
    });
  });

  it('covers every membership case of the shared table', () => {
    expect(userFilterCases.filter(isMembershipFilter).length).toBeGreaterThanOrEqual(6);
    expect(groupFilterCases.filter(isMembershipFilter).length).toBeGreaterThanOrEqual(12);
  });

  it('answers `groups.value eq` with one look-up of the group, then the groupIds index', async () => {
    const { journal } = await list(registry.user, 'groups.value eq "{{Admins.id}}"');
    expect(journal.map((entry) => `${entry.collection}.${entry.operation}`)).toEqual(['groups.findOne', 'users.countDocuments', 'users.find']);
    expect(journal[0].argument).toEqual({ _id: ids.groups.Admins, tenantId: TENANT });
    expect(journal[1].argument).toEqual({ $and: [{ live: true }, { groupIds: { $eq: ids.groups.Admins } }], tenantId: TENANT });
  });

  it('answers `members.value eq` with one read of the live user\'s groupIds', async () => {
    const { journal } = await list(registry.group, 'members.value eq "{{alice.id}}"');
    expect(journal[0]).toMatchObject({ collection: COLLECTIONS.users, operation: 'findOne', argument: { _id: ids.users.alice, live: true, tenantId: TENANT } });
    expect(journal[1].argument).toEqual({ _id: { $in: expect.arrayContaining([ids.groups.Engineering, ids.groups.Admins]) }, tenantId: TENANT });
  });

  describe('a deleted group whose id still lingers in groupIds (its memberships are removed in batches)', () => {
    const lingering = '00000000-0000-4000-a000-000000000000';
    beforeAll(async () => {
      // bob is in no group; zed now names a group that no longer exists.
      await database.collection(COLLECTIONS.users).updateOne({ _id: ids.users.zed }, { $addToSet: { groupIds: lingering } });
    });

    it.each([
      [`groups.value eq "${lingering}"`, []],
      ['groups pr', ['alice', 'Éva.Núñez', 'CAROL', 'dave', 'Frank', 'grace']],
      ['not (groups pr)', ['bob', 'zed']],
      [`groups.value ne "${lingering}"`, allUserNames],
    ] as const)('counts for nothing: %s', async (text, expected) => {
      expect(sorted((await list(registry.user, text)).names, allUserNames)).toEqual(sorted(expected, allUserNames));
    });

    it('is never a group with members', async () => {
      expect(sorted((await list(registry.group, 'members.value eq "{{zed.id}}" or members.display eq "zed"')).names, allGroupNames)).toEqual([]);
    });
  });
});

describe(`membership filters that would need more than ${MAX_RELATED_MATCHES} group ids are refused (400 invalidFilter)`, () => {
  let database: FakeDatabase;
  let tenant: TenantStore;
  let many: string;

  /** Groups straight into the collection (a thousand creates through the port would take long), `many` a member of each. */
  async function addGroups(from: number, count: number): Promise<void> {
    const groupIds: string[] = [];
    for (let i = from; i < from + count; i++) {
      const id = `00000000-0000-4000-a000-${String(i).padStart(12, '0')}`;
      const data = { displayName: `Bulk ${i}` };
      await database.collection(COLLECTIONS.groups).insertOne({
        _id: id, tenantId: TENANT, version: 1, created: '2024-01-01T00:00:00.000Z', lastModified: '2024-01-01T00:00:00.000Z',
        displayNameKey: foldCase(data.displayName), data, q: queryDocument(registry.group, data),
      });
      await database.collection(COLLECTIONS.memberships).insertOne({ tenantId: TENANT, group: id, member: many });
      groupIds.push(id);
    }
    await database.collection(COLLECTIONS.users).updateOne({ _id: many }, { $addToSet: { groupIds: { $each: groupIds } } });
  }

  const list = (type: ResourceType, text: string) =>
    (type === registry.user ? tenant.users : tenant.groups).list({ filter: resolveFilter(type, parseFilter(text)), offset: 0, limit: 1 });

  beforeAll(async () => {
    database = new FakeDatabase();
    tenant = inMemoryMongoStore(database).tenant(TENANT, journal);
    many = (await tenant.users.create({ data: { userName: 'many' } })).id;
    await addGroups(0, MAX_RELATED_MATCHES);
  });

  it(`answers with exactly ${MAX_RELATED_MATCHES}`, async () => {
    expect((await list(registry.user, 'groups.display sw "bulk"')).total).toBe(1);
    expect((await list(registry.group, 'members.display eq "many"')).total).toBe(MAX_RELATED_MATCHES);
    expect((await list(registry.group, `members.value eq "${many}"`)).total).toBe(MAX_RELATED_MATCHES);
  });

  it('refuses one more, with a sentence that says how to narrow the filter', async () => {
    await addGroups(MAX_RELATED_MATCHES, 1);
    const refusals = [
      [registry.user, 'groups.display sw "bulk"', 'This server does not support a filter on groups that matches more than 1,000 groups (counting all its conditions on groups); narrow it (e.g. groups.value eq "<id>")'],
      [registry.group, 'members.display eq "many"', 'This server does not support a filter on members that selects more than 1,000 groups (counting all its conditions on members); narrow it (e.g. members.value eq "<user id>")'],
      [registry.group, `members.value eq "${many}"`, 'more than 1,000 groups'],
    ] as const;
    for (const [type, text, message] of refusals) {
      const refusal = await list(type, text).catch((error: unknown) => error);
      expect(refusal).toMatchObject({ name: 'UnsupportedQuery', part: 'filter', message: expect.stringContaining(message) });
      expect(scimErrorOf(refusal)).toMatchObject({ status: 400, scimType: 'invalidFilter' });
    }
  });

  it('counts the ids of every membership condition of one filter together', async () => {
    const half = 'groups.display sw "bulk 1" or groups.display sw "bulk 2"';
    await expect(list(registry.user, half)).resolves.toMatchObject({ total: 1 });
    await expect(list(registry.user, `${half} or groups.display sw "bulk 3" or groups.display sw "bulk 4" or groups.display sw "bulk 5" or groups.display sw "bulk 6" or groups.display sw "bulk 7" or groups.display sw "bulk 8" or groups.display sw "bulk 9" or groups.display sw "bulk 0"`))
      .rejects.toMatchObject({ name: 'UnsupportedQuery' });
  });
});
