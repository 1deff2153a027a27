import { DEFAULT_TENANT_ID, StoreUnavailable } from '../../../src/store/port';
import { FakeDatabase, inMemoryMongoStore } from './mingo-collections';
import { storeContract } from './store-contract';
import { journal } from '../../support/journal';

/**
 * The Store contract on the MongoDB adapter's code, over in-memory collections answered by mingo
 * (mingo-collections.ts): the adapter's logic is checked on every machine, the server itself
 * only where MONGODB_URI is set (mongo.contract.test.ts). The adapter's own tenant tests are in
 * test/store/mongo (tenancy, scoped-collection).
 */
storeContract('MongoDB adapter (in-memory collections)', async () => ({ store: inMemoryMongoStore(), close: async () => undefined }));

describe('MongoDB adapter (in-memory collections): a database out of reach', () => {
  it('fails every operation with StoreUnavailable and reports not ready, until the database is back', async () => {
    const database = new FakeDatabase();
    const store = inMemoryMongoStore(database);
    const { users, groups } = store.tenant(DEFAULT_TENANT_ID, journal);
    const user = await users.create({ data: { userName: 'reachable' } });
    database.unreachable = true;
    expect(store.ready?.()).toBe(false);
    const attempts: Promise<unknown>[] = [
      users.get(user.id),
      users.list({ offset: 0, limit: 10 }),
      users.update(user.id, 1, { data: { userName: 'x' } }),
      groups.create({ displayName: 'G' }, [user.id]),
      groups.membersOf(['g']),
      store.tenant('acme', journal).tokens.list(),
      store.operators.list(),
      store.credentials.findByHash('h'),
      store.tenants.get('acme'),
      store.tenants.eraseData('acme'),
    ];
    for (const attempt of attempts) {
      const error = await attempt.then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailable);
      expect(error).toMatchObject({ retryAfterSeconds: 5, cause: expect.objectContaining({ name: 'MongoNetworkError' }) });
    }
    database.unreachable = false;
    expect(store.ready?.()).toBe(true);
    expect((await users.get(user.id))?.version).toBe(1);
  });
});

describe('MongoDB adapter (in-memory collections): users deleted before lastDeletedAt was kept', () => {
  it('restores one with its deletion time as lastDeletedAt, so its tokens from before stay retired', async () => {
    const database = new FakeDatabase();
    const { users } = inMemoryMongoStore(database).tenant(DEFAULT_TENANT_ID, journal);
    const user = await users.create({ data: { userName: 'legacy.deleted' } });
    await users.delete(user.id, undefined);
    // As a version without lastDeletedAt left it: deleted, with deletedAt only.
    const raw = database.asCollections().users;
    await raw.updateOne({ _id: user.id }, { $unset: { lastDeletedAt: '' } });
    const { deletedAt } = (await raw.findOne({ _id: user.id }))!;
    expect(typeof deletedAt).toBe('string');

    const restored = await users.restore({ id: user.id });
    expect(restored?.lastDeletedAt).toBe(deletedAt);
    expect((await users.get(user.id))?.lastDeletedAt).toBe(deletedAt);
  });
});
