import type { mongo } from 'mongoose';
import type { Logger } from '../../logger';
import type { ResourceType } from '../../scim/schema/definitions';
import type { Store, TenantStore } from '../port';
import { recentTenants } from '../recent-tenants';
import { connectMongo, type ConnectOptions } from './connection';
import { bindModels, type Collections } from './models';
import { mongoCredentials } from './mongo-credentials';
import { guardStore } from './mongo-errors';
import { mongoGroups } from './mongo-groups';
import { prepareDatabase } from './mongo-migration';
import { relationResolver } from './mongo-relations';
import { mongoTenants } from './mongo-tenants';
import { mongoTokens } from './mongo-tokens';
import { mongoUsers } from './mongo-users';
import { operatorTokens, scopeTo } from './scoped-collection';

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
 * and once the database is ready for this version (mongo-migration.ts: tenant-less documents
 * adopted, indexes built). Later, while the database is out of reach, each operation fails with
 * StoreUnavailable (503 with Retry-After) and `ready()` is false until the driver has reconnected
 * by itself. No in-process locks or caches: every guarantee (versions, uniqueness, membership
 * sets) is the database's, so it holds across instances.
 */
export async function openMongoStore(uri: string, types: StoreResourceTypes, logger: Logger, options: MongoStoreOptions = {}): Promise<MongoStore> {
  const connection = await connectMongo(uri, logger, options.connect);
  try {
    const { models, collections, db } = bindModels(connection.client, options.dbName);
    await prepareDatabase(models, collections, logger);
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
 * The store over its five collections, whatever serves them: openMongoStore's driver
 * collections, or a stand-in with the same methods in tests that cannot reach a server. Users,
 * groups and tokens see only their scope's documents (scoped-collection.ts); the raw
 * collections go to the registry and the look-up of a token by hash alone.
 */
export function mongoStoreOn(collections: Collections, types: StoreResourceTypes, lifecycle: Pick<Store, 'description' | 'close'> & { ready(): boolean }): Store {
  return {
    description: lifecycle.description,
    tenant: recentTenants((tenantId) => tenantStore(collections, types, tenantId)),
    tenants: guardStore(mongoTenants(collections)),
    operators: guardStore(mongoTokens(operatorTokens(collections))),
    credentials: guardStore(mongoCredentials(collections.tokens)),
    ready: () => lifecycle.ready(),
    close: () => lifecycle.close(),
  };
}

function tenantStore(collections: Collections, types: StoreResourceTypes, tenantId: string): TenantStore {
  const scoped = scopeTo(collections, tenantId);
  const relations = relationResolver(scoped);
  return {
    tenantId,
    users: guardStore(mongoUsers(scoped, types.user, relations)),
    groups: guardStore(mongoGroups(scoped, types.group, relations)),
    tokens: guardStore(mongoTokens(scoped.tokens)),
  };
}
