import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { mongoStoreOn } from '../../../src/store/mongo/mongo-store';
import { StoreUnavailable, type Store } from '../../../src/store/port';
import { FakeDatabase } from './mingo-collections';
import { storeContract } from './store-contract';

/**
 * The Store contract on the MongoDB adapter's code, over in-memory collections answered by mingo
 * (mingo-collections.ts): the adapter's logic is checked on every machine, the server itself
 * only where MONGODB_URI is set (mongo.contract.test.ts).
 */
const registry = loadSchemaRegistry();

const openOver = (database: FakeDatabase): Store =>
  mongoStoreOn(database.asCollections(), registry, {
    description: 'mongodb://in-memory/roster',
    ready: () => !database.unreachable,
    close: async () => undefined,
  });

storeContract('MongoDB adapter (in-memory collections)', async () => ({ store: openOver(new FakeDatabase()), close: async () => undefined }));

describe('MongoDB adapter (in-memory collections): a database out of reach', () => {
  it('fails every operation with StoreUnavailable and reports not ready, until the database is back', async () => {
    const database = new FakeDatabase();
    const store = openOver(database);
    const user = await store.users.create({ data: { userName: 'reachable' } });
    database.unreachable = true;
    expect(store.ready?.()).toBe(false);
    const attempts: Promise<unknown>[] = [
      store.users.get(user.id),
      store.users.list({ offset: 0, limit: 10 }),
      store.users.update(user.id, 1, { data: { userName: 'x' } }),
      store.groups.create({ displayName: 'G' }, [user.id]),
      store.groups.membersOf(['g']),
      store.tokens.findByHash('h'),
    ];
    for (const attempt of attempts) {
      const error = await attempt.then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailable);
      expect(error).toMatchObject({ retryAfterSeconds: 5, cause: expect.objectContaining({ name: 'MongoNetworkError' }) });
    }
    database.unreachable = false;
    expect(store.ready?.()).toBe(true);
    expect((await store.users.get(user.id))?.version).toBe(1);
  });
});

describe('MongoDB adapter (in-memory collections): users deleted before lastDeletedAt was kept', () => {
  it('restores one with its deletion time as lastDeletedAt, so its tokens from before stay retired', async () => {
    const database = new FakeDatabase();
    const store = openOver(database);
    const user = await store.users.create({ data: { userName: 'legacy.deleted' } });
    await store.users.delete(user.id, undefined);
    // As a version without lastDeletedAt left it: deleted, with deletedAt only.
    const users = database.asCollections().users;
    await users.updateOne({ _id: user.id }, { $unset: { lastDeletedAt: '' } });
    const { deletedAt } = (await users.findOne({ _id: user.id }))!;
    expect(typeof deletedAt).toBe('string');

    const restored = await store.users.restore({ id: user.id });
    expect(restored?.lastDeletedAt).toBe(deletedAt);
    expect((await store.users.get(user.id))?.lastDeletedAt).toBe(deletedAt);
  });
});
