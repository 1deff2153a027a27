import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import { parseListRequest } from '../../../src/scim/list/list-request';
import type { ResourceType } from '../../../src/scim/schema/definitions';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { compileFilter, type MongoQuery, type RelationResolver } from '../../../src/store/mongo/compile-filter';
import { MAX_QUERY_DEPTH, nestingDepth } from '../../../src/store/mongo/query-depth';
import type { TenantStore } from '../../../src/store/port';
import { FakeDatabase, inMemoryMongoStore } from '../contract/mingo-collections';
import { journal } from '../../support/journal';

/*
 * query-depth.ts keeps every compiled filter within MAX_QUERY_DEPTH levels; this file checks the
 * other half of its claim: the commands the store builds around such a filter stay within the
 * server's 100, at most 5 levels above it (filter-depth.test.ts checks the compiler).
 */
const registry = loadSchemaRegistry();

const nots = (n: number, inner: string): string => (n === 0 ? inner : `not (${nots(n - 1, inner)})`);

/** Compiles with a resolver that answers at once and keeps the depth of every query it is handed. */
async function compiled(type: ResourceType, text: string, handed: number[] = []): Promise<MongoQuery> {
  const keep = (query: MongoQuery) => void handed.push(nestingDepth(query));
  const resolver: RelationResolver = {
    groupExists: async () => true,
    groupIdsOfUser: async () => ['g1'],
    groupsMatching: async (query) => (keep(query), ['g1']),
    groupIdsOfUsersMatching: async (query) => (keep(query), ['g1']),
  };
  return compileFilter(type, resolveFilter(type, parseFilter(text)), resolver);
}

/**
 * How deep each command puts what the journal records (the filter of a find, the pipeline of an
 * aggregate, …): the levels the driver wraps around it. `{find: "users", filter: F}` puts F one
 * level below the root; a count is `{aggregate, pipeline: [{$match: F}, {$group}]}`, three; an
 * update `{update, updates: [{q: F, u}]}`, three; a bulk write of updates, the same command, whose
 * filters the journal records as a list: two above it.
 */
const WRAPPING: Readonly<Record<string, number>> = { find: 1, findOne: 1, findOneAndUpdate: 1, aggregate: 1, countDocuments: 3, updateOne: 3, updateMany: 3, deleteOne: 3, deleteMany: 3, insertMany: 1, bulkWrite: 2 };

describe('the commands the store sends for a filter at the depth limit', () => {
  const atLimit = nots(39, 'userName eq "nobody"'); // an odd number of "not": every user
  const membersAtLimit = `members[${nots(37, 'display eq "nobody"')}]`; // over users, under {$and: [live, …]}
  const groupsAtLimit = `groups[${nots(39, 'display eq "nobody"')}]`;
  const annAtLimit = nots(38, 'userName eq "ann" or title eq "nobody"'); // an even number: ann
  let database: FakeDatabase;
  let tenant: TenantStore;

  beforeAll(async () => {
    database = new FakeDatabase();
    tenant = inMemoryMongoStore(database).tenant('acme', journal);
    const ids: string[] = [];
    for (const name of ['ann', 'ben', 'cat']) ids.push((await tenant.users.create({ data: { userName: name, title: name } })).id);
    await tenant.groups.create({ displayName: 'Team' }, ids);
  });

  const filter = (type: ResourceType, text: string) => resolveFilter(type, parseFilter(text));
  const sortBy = (type: ResourceType, attribute: string) => parseListRequest(type, { sortBy: attribute }, 100).sort;

  /** Runs `work` with the journal on; the deepest command it sent, by the WRAPPING above. */
  async function deepestCommand(work: () => Promise<unknown>): Promise<number> {
    database.journal = [];
    try {
      await work();
      return Math.max(...database.journal.map((entry) => {
        expect(Object.keys(WRAPPING)).toContain(entry.operation);
        return WRAPPING[entry.operation] + nestingDepth(entry.argument);
      }));
    } finally {
      database.journal = undefined;
    }
  }

  it('compiles each to exactly the limit', async () => {
    expect(nestingDepth(await compiled(registry.user, atLimit))).toBe(MAX_QUERY_DEPTH);
    expect(nestingDepth(await compiled(registry.user, annAtLimit))).toBe(MAX_QUERY_DEPTH);
    const handed: number[] = [];
    await compiled(registry.group, membersAtLimit, handed);
    await compiled(registry.user, groupsAtLimit, handed);
    expect(handed).toEqual([MAX_QUERY_DEPTH, MAX_QUERY_DEPTH]);
  });

  it.each([
    ['an index page (count, then find)', () => tenant.users.list({ filter: filter(registry.user, atLimit), offset: 1, limit: 1 })],
    ['a count only', () => tenant.users.list({ filter: filter(registry.user, atLimit), offset: 0, limit: 0 })],
    ['a page sorted by a computed value (aggregate)', () => tenant.users.list({ filter: filter(registry.user, atLimit), sort: sortBy(registry.user, 'title'), offset: 1, limit: 1 })],
    ['a cursor page after a position (find with the keyset)', async () => {
      const first = await tenant.users.list({ filter: filter(registry.user, atLimit), offset: 0, limit: 1, after: [] });
      return tenant.users.list({ filter: filter(registry.user, atLimit), offset: 0, limit: 1, after: first.next! });
    }],
    ['a cursor page sorted by a computed value', async () => {
      const query = { filter: filter(registry.user, atLimit), sort: sortBy(registry.user, 'title'), offset: 0, limit: 1 };
      return tenant.users.list({ ...query, after: (await tenant.users.list({ ...query, after: [] })).next! });
    }],
    ['groups with a member matching a condition (aggregate over users)', () => tenant.groups.list({ filter: filter(registry.group, membersAtLimit), offset: 0, limit: 10 })],
    ['users in a group matching a condition (find over groups)', () => tenant.users.list({ filter: filter(registry.user, groupsAtLimit), offset: 0, limit: 10 })],
    // Last: it deletes ann.
    ['the retention sweep (find, then a conditional update per user)', async () => expect(await tenant.users.softDeleteWhere(filter(registry.user, annAtLimit))).toHaveLength(1)],
  ])('%s: the command stays within 100 levels, at most 5 above the filter', async (_, work) => {
    const deepest = await deepestCommand(work);
    expect(deepest).toBeGreaterThan(MAX_QUERY_DEPTH);
    expect(deepest).toBeLessThanOrEqual(MAX_QUERY_DEPTH + 5);
  });
});
