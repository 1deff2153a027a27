import { createLogger } from '../../../src/logger';
import { COLLECTIONS } from '../../../src/store/mongo/documents';
import { migrateDatabase } from '../../../src/store/mongo/mongo-migration';
import { SCHEMA_VERSION } from '../../../src/store/mongo/schema-marker';
import { REQUEST_FAILED, type HourCount } from '../../../src/store/port';
import { inMemoryMongoStore } from '../contract/mingo-collections';
import { journal } from '../../support/journal';
import { memoryValidators, previousVersionDatabase } from './migration-support';

const quiet = createLogger('silent');
const MIGRATED_AT = '2026-11-24T06:00:00.000Z';

/** An event document as schema 4 wrote it (no hourly count beside it). */
const event = (tenantId: string, seq: number, type: string, occurredAt: string) => ({
  tenantId, seq, type, occurredAt, resourceId: `r-${seq}`,
  event: { id: seq, type, tenant: tenantId, occurredAt, actor: { kind: 'system' }, resource: { type: 'User', id: `r-${seq}` } },
});

/**
 * `mongo migrate` to schema 5 counts the events written before it into the hourly activity
 * counts (backfill.ts), once: from then on every write keeps them.
 */
describe('mongo migrate on a database of schema 4 (before the activity counts)', () => {
  async function versionFour() {
    const database = await previousVersionDatabase();
    const collections = database.asCollections();
    const migrate = () => migrateDatabase({ collections, transactions: database.transactions, validators: memoryValidators() }, quiet, () => MIGRATED_AT);
    await migrate();
    await collections.meta.updateOne({ _id: 'schema' }, { $set: { version: 4 } });
    const events = database.collection(COLLECTIONS.events) as unknown as { insertOne(d: object): Promise<unknown> };
    await events.insertOne(event('default', 1, 'user.created', '2026-11-23T05:01:00.000Z'));
    await events.insertOne(event('default', 2, 'user.created', '2026-11-23T05:59:59.999Z'));
    await events.insertOne(event('default', 3, 'user.updated', '2026-11-23T05:30:00.000Z'));
    await events.insertOne(event('default', 4, 'user.created', '2026-11-23T07:00:00.000Z'));
    await events.insertOne(event('acme', 1, 'group.created', '2026-11-23T05:00:00.000Z'));
    return { database, migrate };
  }
  const activity = (database: Awaited<ReturnType<typeof versionFour>>['database'], tenantId: string): Promise<readonly HourCount[]> =>
    inMemoryMongoStore(database).tenant(tenantId, journal).events.activity('2026-11-23T00', '2026-11-24T00');
  const DEFAULT_COUNTS = [
    { hour: '2026-11-23T05', type: 'user.created', n: 2 },
    { hour: '2026-11-23T05', type: 'user.updated', n: 1 },
    { hour: '2026-11-23T07', type: 'user.created', n: 1 },
  ];

  it('counts every tenant\'s events by hour and type, and writes the marker', async () => {
    const { database, migrate } = await versionFour();
    expect(await migrate()).toMatchObject({ from: 4, to: SCHEMA_VERSION, backfilled: { activity: 4 } });
    expect(await activity(database, 'default')).toEqual(DEFAULT_COUNTS);
    expect(await activity(database, 'acme')).toEqual([{ hour: '2026-11-23T05', type: 'group.created', n: 1 }]);
  });

  it('sets the same counts when run again after an interrupted run, and skips the count once migrated; the writes then keep them', async () => {
    const { database, migrate } = await versionFour();
    await migrate();
    await database.asCollections().meta.updateOne({ _id: 'schema' }, { $set: { version: 4 } });
    expect((await migrate()).backfilled.activity).toBe(4);
    expect(await activity(database, 'default')).toEqual(DEFAULT_COUNTS);
    expect((await migrate()).backfilled.activity).toBe('skipped');
    expect(await activity(database, 'default')).toEqual(DEFAULT_COUNTS);

    const tenant = inMemoryMongoStore(database).tenant('default', journal);
    await tenant.failures.record({ occurredAt: '2026-11-23T07:10:00.000Z', requestId: 'r', actor: { kind: 'system' }, method: 'POST', path: '/Users', status: 409, detail: 'taken' });
    expect(await activity(database, 'default')).toEqual([
      ...DEFAULT_COUNTS.slice(0, 2), { hour: '2026-11-23T07', type: REQUEST_FAILED, n: 1 }, { hour: '2026-11-23T07', type: 'user.created', n: 1 },
    ]);
  });
});
