import { randomBytes } from 'node:crypto';
import { mongo } from 'mongoose';
import { createLogger } from '../../../src/logger';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { connectMongo } from '../../../src/store/mongo/connection';
import { DatabaseRefused } from '../../../src/store/mongo/deployment';
import { COLLECTIONS } from '../../../src/store/mongo/documents';
import { INDEXES } from '../../../src/store/mongo/indexes';
import { migrateMongoDatabase, openMongoStore } from '../../../src/store/mongo/mongo-store';
import { SCHEMA_VERSION } from '../../../src/store/mongo/schema-marker';
import { rulesOf } from '../../../src/store/mongo/validators';
import { DEFAULT_TENANT_ID } from '../../../src/store/port';
import { describeMongo, MONGODB_URI } from '../../support/mongo';
import { journal } from '../../support/journal';

/**
 * `mongo migrate`, the start-up check, the validators and the server clock against the server
 * MONGODB_URI names (CI: .github/workflows/mongodb.yml; skipped without it). A database of its
 * own, dropped at the end.
 */
describeMongo('MongoDB operations on a real server', () => {
  const dbName = `roster_ops_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const registry = loadSchemaRegistry();
  const logger = createLogger('silent');
  const options = { dbName, connect: { maxAttempts: 3 } };
  let client: mongo.MongoClient;
  let db: mongo.Db;

  beforeAll(async () => {
    client = await new mongo.MongoClient(MONGODB_URI!).connect();
    db = client.db(dbName);
  });
  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  it('refuses to open a database that mongo migrate has not readied, saying what to run', async () => {
    const error = await openMongoStore(MONGODB_URI!, registry, logger, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseRefused);
    expect((error as Error).message).toMatch(/is not migrated for this version of Roster \(schema none, needs \d+\): run `npm run cli -- mongo migrate`/);
  });

  it('migrates (twice: the second run finds everything in place), then opens', async () => {
    const first = await migrateMongoDatabase(MONGODB_URI!, logger, options);
    expect(first.report.indexes.built).toHaveLength(INDEXES.length);
    const second = await migrateMongoDatabase(MONGODB_URI!, logger, options);
    expect(second.report).toMatchObject({ from: SCHEMA_VERSION, indexes: { built: [], dropped: [] }, validators: { set: [] } });
    const store = await openMongoStore(MONGODB_URI!, registry, logger, options);
    try {
      const user = await store.tenant(DEFAULT_TENANT_ID, journal).users.create({ data: { userName: 'ops.check' } });
      expect(user.version).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('built the partial indexes as declared, and installed the validators', async () => {
    const users = await db.collection(COLLECTIONS.users).indexes();
    expect(users).toContainEqual(expect.objectContaining({ name: 'tenant_deleted', partialFilterExpression: { deletedAt: { $type: 'string' } } }));
    const events = await db.collection(COLLECTIONS.events).indexes();
    expect(events).toContainEqual(expect.objectContaining({ name: 'tenant_memberId_seq', partialFilterExpression: { memberId: { $exists: true } } }));
    for (const collection of ['users', 'events', 'webhooks', 'deliveries'] as const) {
      const [info] = await db.listCollections({ name: COLLECTIONS[collection] }).toArray();
      expect((info as { options: unknown }).options).toMatchObject(rulesOf(collection));
    }
  });

  it('has the server refuse a user document that does not fit the schema', async () => {
    const error = await db.collection(COLLECTIONS.users).insertOne({ _id: 'bad' as never, tenantId: 'default', userNameKey: 'bad' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 121 });
  });

  it('stamps times from the primary\'s clock', async () => {
    const connection = await connectMongo(MONGODB_URI!, logger, options.connect);
    try {
      const { localTime } = await client.db('admin').command({ hello: 1 });
      expect(Math.abs(Date.parse(connection.now()) - (localTime as Date).getTime())).toBeLessThan(2_000);
      expect(connection.deployment).toMatch(/replica set|sharded cluster/);
    } finally {
      await connection.close();
    }
  });
});
