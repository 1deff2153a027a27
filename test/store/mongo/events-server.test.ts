import { randomBytes } from 'node:crypto';
import { mongo } from 'mongoose';
import { createLogger } from '../../../src/logger';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { migrateMongoDatabase, openMongoStore, type MongoStore } from '../../../src/store/mongo/mongo-store';
import type { AttributeChange, TenantStore } from '../../../src/store/port';
import { describeMongo, MONGODB_URI } from '../../support/mongo';
import { journal } from '../../support/journal';

/**
 * Event ids on a real server (CI; skipped without MONGODB_URI), where concurrent transactions
 * of one tenant really conflict on its counter and withTransaction runs the later one again:
 * the ids follow commit order with no gap a reader sees. events-ids.test.ts checks the same
 * over the in-memory collections, whose transactions run one at a time.
 */
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, n) => from + n);
const titleChange = (changes: readonly AttributeChange[] | undefined) => changes?.find((c) => c.path === 'title') as { before?: unknown; after?: unknown };

jest.setTimeout(60_000);

describeMongo('MongoDB change events on a real server', () => {
  const dbName = `roster_events_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const logger = createLogger('silent');
  const options = { dbName, connect: { maxAttempts: 3 } };
  let store: MongoStore;
  let tenants = 0;
  /** A tenant of its own for each case, so each starts at id 1. */
  const freshTenant = async (): Promise<TenantStore> => {
    const id = `t${++tenants}`;
    await store.tenants.create({ id, name: id, settings: {} }, journal);
    return store.tenant(id, journal);
  };

  beforeAll(async () => {
    await migrateMongoDatabase(MONGODB_URI!, logger, options);
    store = await openMongoStore(MONGODB_URI!, loadSchemaRegistry(), logger, options);
  });

  afterAll(async () => {
    await store?.close();
    const client = await new mongo.MongoClient(MONGODB_URI!).connect();
    try {
      await client.db(dbName).dropDatabase();
    } finally {
      await client.close();
    }
  });

  it('concurrent updates of one user: each event\'s `before` is the previous event\'s `after`, ids without a gap', async () => {
    const t = await freshTenant();
    const user = await t.users.create({ data: { userName: 'ada', title: 't0' } });
    const first = await t.events.latest();
    await Promise.all(range(1, 20).map((n) => t.users.update(user.id, undefined, { data: { userName: 'ada', title: `t${n}` } })));
    const { events } = await t.events.read({ after: first, limit: 100, scan: 100 });
    expect(events.map((e) => e.id)).toEqual(range(first + 1, first + 20));
    let title: unknown = 't0';
    for (const event of events) {
      expect(titleChange(event.changes).before).toBe(title);
      title = titleChange(event.changes).after;
    }
    expect((await t.users.get(user.id))?.data.title).toBe(title);
  });

  it('a reader following the feed during concurrent writes sees every id exactly once, in order', async () => {
    const t = await freshTenant();
    let settled = false;
    const writing = Promise.all(range(1, 40).map((n) => t.users.create({ data: { userName: `u${n}` } }))).finally(() => (settled = true));
    const seen: number[] = [];
    let after = 0;
    for (;;) {
      const wasSettled = settled;
      const page = await t.events.read({ after, limit: 3, scan: 3 });
      seen.push(...page.events.map((e) => e.id));
      after = page.next;
      if (wasSettled && page.events.length === 0) break;
    }
    await writing;
    expect(seen).toEqual(range(1, await t.events.latest()));
  });

  it('a PATCH adding 1,000 members records 1,000 events with consecutive ids, in the members\' order', async () => {
    const t = await freshTenant();
    const ids: string[] = [];
    for (let start = 0; start < 1000; start += 50) {
      ids.push(...(await Promise.all(range(start, start + 49).map((n) => t.users.create({ data: { userName: `m${n}` } })))).map((u) => u.id));
    }
    const group = await t.groups.create({ displayName: 'Big' }, []);
    const latest = await t.events.latest();
    await t.groups.update(group.id, undefined, { memberChanges: [{ op: 'add', ids }] });
    const { events } = await t.events.read({ after: latest, limit: 1000, scan: 1000 });
    expect(events.map((e) => e.id)).toEqual(range(latest + 1, latest + 1000));
    expect(events.map((e) => e.member?.id)).toEqual(ids);
  });
});
