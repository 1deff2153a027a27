import { COLLECTIONS } from '../../../src/store/mongo/documents';
import type { AttributeChange, TenantStore } from '../../../src/store/port';
import { FakeDatabase, inMemoryMongoStore } from '../contract/mingo-collections';
import { journal } from '../../support/journal';

/**
 * Event ids of one tenant are taken from its counter in the transaction of each write, so they
 * follow commit order with no gap a reader could see; a write of many events takes its ids with
 * one $inc and writes them with one insertMany. Checked over the in-memory collections, whose
 * transactions commit one at a time and run again (after others) when told to conflict.
 */
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, n) => from + n);

function setUp() {
  const database = new FakeDatabase();
  const store = inMemoryMongoStore(database);
  return { database, store, t: store.tenant('acme', journal) };
}

/** Follows the feed a few events a page until `writing` has settled and nothing more is left; every id read, in order. */
async function follow(t: TenantStore, writing: Promise<unknown>): Promise<number[]> {
  let settled = false;
  void writing.finally(() => (settled = true)).catch(() => undefined);
  const seen: number[] = [];
  let after = 0;
  for (;;) {
    const wasSettled = settled;
    const page = await t.events.read({ after, limit: 3, scan: 3 });
    seen.push(...page.events.map((e) => e.id));
    after = page.next;
    if (wasSettled && page.events.length === 0) return seen;
  }
}

const titleChange = (changes: readonly AttributeChange[] | undefined) => changes?.find((c) => c.path === 'title') as { before?: unknown; after?: unknown };

describe('MongoDB adapter: event ids follow commit order', () => {
  it('concurrent updates of one user, some run again after others: each event\'s `before` is the previous event\'s `after`', async () => {
    const { database, t } = setUp();
    const user = await t.users.create({ data: { userName: 'ada', title: 't0' } });
    database.transientFailures = 6;
    await Promise.all(range(1, 20).map((n) => t.users.update(user.id, undefined, { data: { userName: 'ada', title: `t${n}` } })));
    const { events } = await t.events.read({ after: 1, limit: 100, scan: 100 });
    expect(events.map((e) => e.id)).toEqual(range(2, 21));
    let title: unknown = 't0';
    for (const event of events) {
      expect(titleChange(event.changes).before).toBe(title);
      title = titleChange(event.changes).after;
    }
    expect((await t.users.get(user.id))?.data.title).toBe(title);
  });

  it('a reader following the feed while writes of one tenant run at once sees every id exactly once, in order', async () => {
    const { database, t } = setUp();
    database.transientFailures = 4;
    const writing = (async () => {
      const users = await Promise.all(range(1, 15).map((n) => t.users.create({ data: { userName: `u${n}` } })));
      await Promise.all([
        t.groups.create({ displayName: 'All' }, users.map((u) => u.id)),
        ...users.slice(0, 5).map((u) => t.users.delete(u.id, undefined)),
        t.tokens.create({ id: 'tok', name: 'okta', hash: 'h', created: '2024-01-01T00:00:00.000Z' }),
      ]);
    })();
    const seen = await follow(t, writing);
    await writing;
    expect(seen).toEqual(range(1, await t.events.latest()));
    expect(seen.length).toBe(15 + 1 + 15 + 5 + 1);
  });

  it('numbers each tenant on its own, whatever the interleaving', async () => {
    const { store } = setUp();
    const tenants = ['acme', 'beta', 'gamma'].map((id) => store.tenant(id, journal));
    await Promise.all(tenants.flatMap((t, i) => range(1, 10).map((n) => t.users.create({ data: { userName: `u${i}-${n}` } }))));
    for (const t of tenants) {
      const { events } = await t.events.read({ after: 0, limit: 100, scan: 100 });
      expect(events.map((e) => e.id)).toEqual(range(1, 10));
      expect(new Set(events.map((e) => e.tenant))).toEqual(new Set([t.tenantId]));
    }
  });
});

describe('MongoDB adapter: a write of many events', () => {
  it('a PATCH adding 1,000 members takes 1,000 ids with one $inc and writes the events with one insertMany, in its transaction', async () => {
    const { database, t } = setUp();
    const group = await t.groups.create({ displayName: 'Big' }, []);
    const ids: string[] = [];
    // One createMany: 1,000 single creates through mingo took longer than a test's 5 s on a busy machine.
    for (const result of await t.users.createMany(Array.from({ length: 1000 }, (_, n) => ({ data: { userName: `member${n}` } })))) {
      if (!('created' in result)) throw new Error('a member could not be created');
      ids.push(result.created.id);
    }
    const latest = await t.events.latest();
    database.journal = [];
    await t.groups.update(group.id, undefined, { memberChanges: [{ op: 'add', ids }] });
    const journal = database.journal;
    database.journal = undefined;

    const counter = journal.filter((e) => e.collection === COLLECTIONS.eventSequences && e.operation === 'findOneAndUpdate');
    const inserts = journal.filter((e) => e.collection === COLLECTIONS.events && e.operation !== 'find');
    expect(counter).toHaveLength(1);
    expect(inserts.map((e) => [e.operation, (e.argument as unknown[]).length])).toEqual([['insertMany', 1000]]);
    expect(new Set([...counter, ...inserts].map((e) => e.transaction)).size).toBe(1);
    expect(await t.events.latest()).toBe(latest + 1000);
    const { events } = await t.events.read({ after: latest, limit: 1000, scan: 1000 });
    expect(events.map((e) => e.member?.id)).toEqual(ids);
    expect(events.map((e) => e.id)).toEqual(range(latest + 1, latest + 1000));
  }, 30_000);
});
