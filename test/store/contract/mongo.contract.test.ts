import { randomBytes } from 'node:crypto';
import { mongo } from 'mongoose';
import { createLogger } from '../../../src/logger';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { COLLECTIONS } from '../../../src/store/mongo/documents';
import { migrateMongoDatabase, openMongoStore } from '../../../src/store/mongo/mongo-store';
import { DEFAULT_TENANT_ID } from '../../../src/store/port';
import { describeMongo, MONGODB_URI } from '../../support/mongo';
import { storeContract } from './store-contract';

/**
 * The Store contract on the MongoDB adapter, against the server MONGODB_URI names (CI); skipped
 * with one line otherwise. Each run uses a database of its own, migrated once, emptied before
 * every test (all but the built-in tenant's record and the schema marker) and dropped at the end, so runs
 * never see each other's data.
 */
describeMongo('MongoDB store', () => {
  const dbName = `roster_contract_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const registry = loadSchemaRegistry();
  const logger = createLogger('silent');

  // Start-up refuses a database `mongo migrate` has not readied (indexes, validators, marker).
  beforeAll(() => migrateMongoDatabase(MONGODB_URI!, logger, { dbName, connect: { maxAttempts: 3 } }));

  afterAll(async () => {
    const client = await new mongo.MongoClient(MONGODB_URI!).connect();
    try {
      await client.db(dbName).dropDatabase();
    } finally {
      await client.close();
    }
  });

  storeContract('MongoDB', async () => {
    const store = await openMongoStore(MONGODB_URI!, registry, logger, { dbName, connect: { maxAttempts: 3 } });
    await Promise.all(Object.values(COLLECTIONS).filter((name) => name !== COLLECTIONS.meta).map((name) =>
      store.database.collection<{ _id: string }>(name).deleteMany(name === COLLECTIONS.tenants ? { _id: { $ne: DEFAULT_TENANT_ID } } : {})));
    return { store, close: () => store.close() };
  });
});
