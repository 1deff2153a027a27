import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import { parseListRequest } from '../../../src/scim/list/list-request';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { COLLECTIONS } from '../../../src/store/mongo/documents';
import type { EventSequenceDocument } from '../../../src/store/mongo/event-documents';
import { countedTotals, COUNT_FIELDS, storedCount, type CountedKind } from '../../../src/store/mongo/resource-counts';
import { ScopedCollection } from '../../../src/store/mongo/scoped-collection';
import type { Journal, TenantStore } from '../../../src/store/port';
import { DAY, inactiveBefore, inactiveSince, iso, tick, updated, userData } from '../contract/contract-support';
import { FakeDatabase, inMemoryMongoStore, type JournalEntry } from '../contract/mingo-collections';
import { journal } from '../../support/journal';

/**
 * The MongoDB adapter's kept totals (resource-counts.ts) beyond the contract: they live on the
 * tenant's event counter and move with the same `$inc` that takes the event ids, so every
 * write that changes them changes them inside its own transaction, and they equal the
 * documents counted at every step, whichever write path ran (createMany and the sweeps
 * included), even for a journal that drafts no event. And a later page: its ids first, over
 * the index (a projection of _id alone), then its documents by _id.
 */
const registry = loadSchemaRegistry();

describe('MongoDB kept totals and later pages (over mingo)', () => {
  let database: FakeDatabase;
  let t: TenantStore;

  const setUp = (tenantJournal: Journal = journal) => {
    database = new FakeDatabase();
    t = inMemoryMongoStore(database).tenant('acme', tenantJournal);
  };
  const collections = () => database.asCollections();
  const stored = (kind: CountedKind) => storedCount(new ScopedCollection(collections().eventSequences, 'acme'), kind);
  /** The kept totals beside the ones counted from the documents. */
  const compare = async () => {
    const counted = await countedTotals(collections().users as never, collections().groups as never, 'acme');
    const kept = { liveUsers: await stored('users'), deletedUsers: await stored('deleted_users'), groups: await stored('groups') };
    expect(kept).toEqual(counted);
    return kept;
  };

  it.each([
    ['the journal of a request', journal],
    ['a journal that drafts no event', { ...journal, draft: () => [] } as Journal],
  ])('equal the counted documents after every kind of write (%s)', async (_case, tenantJournal) => {
    setUp(tenantJournal);
    expect(await compare()).toEqual({ liveUsers: 0, deletedUsers: 0, groups: 0 });
    const ada = await t.users.create({ data: userData('ada') });
    await t.users.createMany([{ data: userData('bob') }, { data: userData('ada') }, { data: userData('idle', inactiveSince(Date.now() - 400 * DAY)) }]);
    expect(await compare()).toEqual({ liveUsers: 3, deletedUsers: 0, groups: 0 });
    updated(await t.users.update(ada.id, undefined, { data: userData('ada', { title: 'T' }) }));
    updated(await t.users.delete(ada.id, undefined));
    expect(await compare()).toEqual({ liveUsers: 2, deletedUsers: 1, groups: 0 });
    expect(await t.users.softDeleteWhere(inactiveBefore(registry, iso(Date.now() - 100 * DAY)))).toHaveLength(1);
    expect(await compare()).toEqual({ liveUsers: 1, deletedUsers: 2, groups: 0 });
    await t.users.restore({ id: ada.id });
    const group = await t.groups.create({ displayName: 'Team' }, [ada.id]);
    expect(await compare()).toEqual({ liveUsers: 2, deletedUsers: 1, groups: 1 });
    updated(await t.groups.delete(group.id, undefined));
    await tick();
    expect(await t.users.purgeDeleted(iso(Date.now() + DAY))).toHaveLength(1);
    expect(await compare()).toEqual({ liveUsers: 2, deletedUsers: 0, groups: 0 });
  });

  it('move in the transaction of the write, with the one $inc that takes its event ids', async () => {
    setUp();
    database.journal = [];
    await t.users.create({ data: userData('ada') });
    const writes = database.journal.filter((entry: JournalEntry) => entry.collection === COLLECTIONS.eventSequences);
    database.journal = undefined;
    expect(writes.map((entry) => [entry.operation, entry.argument])).toEqual([['findOneAndUpdate', { _id: 'acme', tenantId: 'acme' }]]);
    expect(writes[0].transaction).toBeDefined();
    expect(database.collection(COLLECTIONS.eventSequences).snapshot()).toEqual([{ _id: 'acme', tenantId: 'acme', seq: 1, [COUNT_FIELDS.users]: 1 }]);
  });

  it('a failed write moves nothing: its transaction is rolled back with the $inc', async () => {
    setUp();
    await t.users.create({ data: userData('ada') });
    await expect(t.users.create({ data: userData('ADA') })).rejects.toThrow();
    expect(await compare()).toEqual({ liveUsers: 1, deletedUsers: 0, groups: 0 });
  });

  it('go with the tenant: its erase deletes the counter, and a new tenant of the same id starts from 0', async () => {
    setUp();
    const store = inMemoryMongoStore(database);
    await store.tenants.create({ id: 'acme', name: 'Acme', settings: {} }, journal);
    await t.users.create({ data: userData('ada') });
    await t.groups.create({ displayName: 'Team' }, []);
    await store.tenants.eraseData('acme');
    expect(database.collection(COLLECTIONS.eventSequences).snapshot().filter((d) => (d as unknown as EventSequenceDocument).tenantId === 'acme')).toEqual([]);
    expect(await compare()).toEqual({ liveUsers: 0, deletedUsers: 0, groups: 0 });
  });

  describe('a later page', () => {
    beforeEach(async () => {
      setUp();
      for (let i = 0; i < 12; i++) await t.users.create({ data: userData(`user.${(i * 5) % 12}`, i % 3 ? { nickName: `n${i % 4}` } : {}) });
    });
    const finds = async (run: () => Promise<unknown>) => {
      database.journal = [];
      await run();
      const entries = database.journal.filter((entry: JournalEntry) => entry.collection === COLLECTIONS.users && ['find', 'aggregate'].includes(entry.operation));
      database.journal = undefined;
      return entries;
    };

    it('in an indexed order finds the ids of its page first, then its users by _id', async () => {
      const entries = await finds(() => t.users.list({ offset: 5, limit: 3, sort: parseListRequest(registry.user, { sortBy: 'meta.lastModified' }, 3).sort }));
      expect(entries.map((entry) => entry.operation)).toEqual(['find', 'find']);
      expect(entries[1].argument).toMatchObject({ _id: { $in: expect.any(Array) } });
      expect((entries[1].argument as { _id: { $in: unknown[] } })._id.$in).toHaveLength(3);
    });

    it('in a computed order sorts the keys alone, never the documents', async () => {
      const entries = await finds(() => t.users.list({ offset: 5, limit: 3, sort: parseListRequest(registry.user, { sortBy: 'nickName' }, 3).sort }));
      expect(entries.map((entry) => entry.operation)).toEqual(['aggregate', 'find']);
      const pipeline = entries[0].argument as Record<string, unknown>[];
      const beforeSort = pipeline.slice(0, pipeline.findIndex((stage) => '$sort' in stage));
      expect(beforeSort[beforeSort.length - 1]).toEqual({ $project: { _id: 1, _sortMissing: 1, _sortValue: 1, created: 1 } });
    });

    it.each(['meta.created', 'userName', 'nickName', 'meta.lastModified'])('by %s is the same slice of the full listing, ascending and descending, filtered or not', async (sortBy) => {
      for (const sortOrder of ['ascending', 'descending'] as const) {
        for (const filter of [undefined, resolveFilter(registry.user, parseFilter('userName sw "user.1"'))]) {
          const sort = parseListRequest(registry.user, { sortBy, sortOrder }, 100).sort;
          const all = (await t.users.list({ offset: 0, limit: 100, sort, filter })).items.map((user) => user.id);
          for (const offset of [1, 2, all.length - 1]) {
            expect((await t.users.list({ offset, limit: 2, sort, filter })).items.map((user) => user.id)).toEqual(all.slice(offset, offset + 2));
          }
        }
      }
    });
  });
});
