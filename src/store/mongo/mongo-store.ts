import type { mongo } from 'mongoose';
import type { Logger } from '../../logger';
import type { ResourceType } from '../../scim/schema/definitions';
import type { Store } from '../port';
import { connectMongo, type ConnectOptions } from './connection';
import { bindModels, createIndexes, type Collections } from './models';
import { guardStore } from './mongo-errors';
import { mongoGroups } from './mongo-groups';
import { mongoTokens } from './mongo-tokens';
import { mongoUsers, relationResolver } from './mongo-users';

/** The resource types whose schemas say which attributes are caseExact (the `q` copy, filters, sorts). */
export interface StoreResourceTypes {
  readonly user: ResourceType;
  readonly group: ResourceType;
}

export interface MongoStoreOptions {
  /** The database to use instead of the one the connection string names (tests use a fresh one per run). */
  readonly dbName?: string;
  readonly connect?: ConnectOptions;
}

export interface MongoStore extends Store {
  /** The database itself, for administration and tests (dropping a test database). */
  readonly database: mongo.Db;
}

/**
 * The MongoDB store: the same port as the SQLite one, for several Roster instances sharing one
 * database (a replica set: see connection.ts). Resolves once connected (retrying with backoff)
 * and once every declared index exists. Later, while the database is out of reach, each
 * operation fails with StoreUnavailable (503 with Retry-After) and `ready()` is false until the
 * driver has reconnected by itself. No in-process locks or caches: every guarantee (versions,
 * uniqueness, membership sets) is the database's, so it holds across instances.
 */
export async function openMongoStore(uri: string, types: StoreResourceTypes, logger: Logger, options: MongoStoreOptions = {}): Promise<MongoStore> {
  const connection = await connectMongo(uri, logger, options.connect);
  try {
    const { models, collections, db } = bindModels(connection.client, options.dbName);
    await createIndexes(models, db, logger);
    const store = mongoStoreOn(collections, types, {
      description: `${connection.redactedUri.replace(/^(mongodb(?:\+srv)?:\/\/[^/]*).*$/, '$1')}/${db.databaseName}`,
      ready: () => connection.ready(),
      close: () => connection.close(),
    });
    return { ...store, database: db };
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
}

/**
 * The store over its four collections, whatever serves them: openMongoStore's driver
 * collections, or a stand-in with the same methods in tests that cannot reach a server.
 */
export function mongoStoreOn(collections: Collections, types: StoreResourceTypes, lifecycle: Pick<Store, 'description' | 'close'> & { ready(): boolean }): Store {
  const relations = relationResolver(collections);
  return {
    description: lifecycle.description,
    users: guardStore(mongoUsers(collections, types.user, relations)),
    groups: guardStore(mongoGroups(collections, types.group, relations)),
    tokens: guardStore(mongoTokens(collections)),
    ready: () => lifecycle.ready(),
    close: () => lifecycle.close(),
  };
}
