import { COLLECTIONS } from '../../../src/store/mongo/documents';
import { activityHourOf, DEFAULT_TENANT_ID, REQUEST_FAILED } from '../../../src/store/port';
import { FakeDatabase, inMemoryMongoStore } from '../contract/mingo-collections';
import { journal } from '../../support/journal';

/**
 * The MongoDB adapter counts events in their hour with the write that commits them: one upsert
 * per hour and type, in the write's transaction, so a PATCH adding 1,000 members moves one count
 * by 1,000 instead of sending 1,000 updates.
 */
describe('MongoDB adapter: the hourly activity counts move with the writes', () => {
  const setUp = () => {
    const database = new FakeDatabase();
    return { database, t: inMemoryMongoStore(database).tenant(DEFAULT_TENANT_ID, journal) };
  };
  const writesTo = (database: FakeDatabase, collection: string) =>
    (database.journal ?? []).filter((e) => e.collection === collection && e.operation !== 'find' && e.operation !== 'findOne');

  it('a PATCH adding 1,000 members is one bulk write of one upsert, in the transaction of its events', async () => {
    const { database, t } = setUp();
    const group = await t.groups.create({ displayName: 'Big' }, []);
    const created = await t.users.createMany(Array.from({ length: 1000 }, (_, n) => ({ data: { userName: `member${n}` } })));
    const ids = created.map((result) => ('created' in result ? result.created.id : ''));
    database.journal = [];
    const before = Date.now();
    await t.groups.update(group.id, undefined, { memberChanges: [{ op: 'add', ids }] });
    const after = Date.now();
    const counts = writesTo(database, COLLECTIONS.activityHours);
    const events = writesTo(database, COLLECTIONS.events);
    database.journal = undefined;

    expect(counts.map((e) => [e.operation, (e.argument as unknown[]).length])).toEqual([['bulkWrite', 1]]);
    expect(counts[0].transaction).toBeDefined();
    expect(counts[0].transaction).toBe(events[0].transaction);
    const added = (await t.events.activity(activityHourOf(new Date(before).toISOString()), activityHourOf(new Date(after + 3_600_000).toISOString())))
      .filter((c) => c.type === 'group.member_added');
    expect(added.reduce((sum, c) => sum + c.n, 0)).toBe(1000);
  }, 30_000);

  it('a write that records no event moves no count, and a failed write none either', async () => {
    const { database, t } = setUp();
    const user = await t.users.create({ data: { userName: 'same' } });
    database.journal = [];
    await t.users.update(user.id, undefined, { data: { userName: 'same' } });
    await t.users.create({ data: { userName: 'SAME' } }).catch(() => undefined);
    expect(writesTo(database, COLLECTIONS.activityHours)).toEqual([]);
    database.journal = undefined;
  });

  it('recording failures is one transaction: the failures, their count, and the erasure beyond the cap', async () => {
    const { database, t } = setUp();
    database.journal = [];
    const at = '2026-11-24T05:00:00.000Z';
    await t.failures.record(...[1, 2, 3].map(() => ({ occurredAt: at, requestId: 'r', actor: { kind: 'system' } as const, method: 'POST', path: '/Users', status: 409, detail: 'x' })));
    const writes = [...writesTo(database, COLLECTIONS.failures), ...writesTo(database, COLLECTIONS.activityHours)];
    database.journal = undefined;
    expect(writes.map((e) => `${e.collection}.${e.operation}`).sort()).toEqual(['activity_hours.bulkWrite', 'request_failures.deleteMany', 'request_failures.insertMany']);
    expect(new Set(writes.map((e) => e.transaction)).size).toBe(1);
    expect(writes[0].transaction).toBeDefined();
    expect(await t.events.activity('2026-11-24T05', '2026-11-24T06')).toEqual([{ hour: '2026-11-24T05', type: REQUEST_FAILED, n: 3 }]);
  });
});
