import type { mongo } from 'mongoose';
import type { MongoReadConcern } from '../../config/config';
import type { Logger } from '../../logger';
import type { ResourceType } from '../../scim/schema/definitions';
import type { Journal, Store, TenantStore } from '../port';
import { connectMongo, type ConnectOptions, type MongoConnection } from './connection';
import { verifyDatabase } from './database-check';
import { checkSharding } from './sharding-check';
import { bindCollections, type Collections } from './models';
import { eventRecorder } from './event-append';
import { mongoClients } from './mongo-clients';
import { mongoCredentials } from './mongo-credentials';
import { guardStore } from './mongo-errors';
import { mongoEvents } from './mongo-events';
import { mongoFailures } from './mongo-failures';
import { mongoGroups } from './mongo-groups';
import { migrateDatabase, type MigrationReport } from './mongo-migration';
import { mongoOutbox } from './mongo-outbox';
import { relationResolver } from './mongo-relations';
import { mongoTenants } from './mongo-tenants';
import { mongoTokens, type TokenWrites } from './mongo-tokens';
import { mongoUsers } from './mongo-users';
import { mongoWebhooks } from './mongo-webhooks';
import { operatorTokens, scopeTo, type ScopedCollections, type StoreRuntime } from './scoped-collection';
import { timeLimited } from './time-limit';
import { driverTransactions } from './transactions';
import { driverValidators } from './validators';

/** The resource types whose schemas say which attributes are caseExact (the `q` copy, filters, sorts). */
export interface StoreResourceTypes {
  readonly user: ResourceType;
  readonly group: ResourceType;
}

export interface MongoStoreOptions {
  /** The database to use instead of the one the connection string names (tests use a fresh one per run). */
  readonly dbName?: string;
  readonly connect?: ConnectOptions;
  /** MONGODB_READ_CONCERN (default majority). */
  readonly readConcern?: MongoReadConcern;
  /** MONGODB_WRITE_TIMEOUT: how long a majority write waits for a majority (default 10 s). */
  readonly writeTimeoutMs?: number;
  /** MONGODB_TIMEOUT: the server-side time limit of each operation (maxTimeMS, default 10 s). */
  readonly operationTimeoutMs?: number;
}

export interface MongoStore extends Store {
  /** The database itself, for administration and tests (dropping a test database). */
  readonly database: mongo.Db;
}

const DEFAULT_OPERATION_TIMEOUT_MS = 10_000;

/** The connection a store or the migration opens: the store's settings passed to the client. */
const connect = (uri: string, logger: Logger, options: MongoStoreOptions): Promise<MongoConnection> =>
  connectMongo(uri, logger, { ...options.connect, readConcern: options.readConcern, writeTimeoutMs: options.writeTimeoutMs });

/** `mongodb://user:pw@db1,db2/roster?x` and the database in use → `mongodb://db1,db2/<database>`. */
const describeDatabase = (connection: MongoConnection, db: mongo.Db) =>
  `${connection.redactedUri.replace(/^(mongodb(?:\+srv)?:\/\/[^/]*).*$/, '$1')}/${db.databaseName}`;

/**
 * The MongoDB store: the same port as the SQLite one, for several Roster instances sharing one
 * database (a replica set or a sharded cluster: see connection.ts). Resolves once connected
 * (retrying with backoff) and once the database is found ready for this version
 * (database-check.ts: migrated by `mongo migrate`, its unique indexes in place; start-up builds
 * nothing). Every operation carries the time limit (time-limit.ts) and `meta` times come from
 * the primary's clock (server-clock.ts). Later, while the database is out of reach or out of
 * time, each operation fails with StoreUnavailable (503 with Retry-After) and `ready()` is false
 * until the driver has reconnected by itself. No in-process locks or caches: every guarantee
 * (versions, uniqueness, membership sets) is the database's, so it holds across instances.
 */
export async function openMongoStore(uri: string, types: StoreResourceTypes, logger: Logger, options: MongoStoreOptions = {}): Promise<MongoStore> {
  const connection = await connect(uri, logger, options);
  try {
    const { collections, db } = bindCollections(connection.client, options.dbName);
    const database = describeDatabase(connection, db);
    if (connection.deployment === 'sharded cluster') await checkSharding(connection.client, db.databaseName, logger);
    await verifyDatabase(collections, logger, { database, validators: driverValidators(db) });
    const timeLimit = options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS;
    const store = mongoStoreOn(timeLimited(collections, timeLimit), types, {
      description: database,
      ready: () => connection.ready(),
      close: () => connection.close(),
    }, { transactions: driverTransactions(connection.client, { maxCommitTimeMS: timeLimit }), now: connection.now });
    return { ...store, database: db };
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
}

/**
 * `mongo migrate` (mongo-migration.ts) on the database `uri` names, with a connection of its
 * own, closed when done. Its operations carry no time limit: index builds and backfills of a
 * large database take as long as they take. Also what a test runs before opening a store on a
 * fresh database.
 */
export async function migrateMongoDatabase(uri: string, logger: Logger, options: MongoStoreOptions = {}): Promise<{ database: string; report: MigrationReport }> {
  const connection = await connect(uri, logger, options);
  try {
    const { collections, db } = bindCollections(connection.client, options.dbName);
    if (connection.deployment === 'sharded cluster') await checkSharding(connection.client, db.databaseName, logger);
    const report = await migrateDatabase({ collections, transactions: driverTransactions(connection.client), validators: driverValidators(db) }, logger, connection.now);
    return { database: describeDatabase(connection, db), report };
  } finally {
    await connection.close();
  }
}

/**
 * The store over its collections, whatever serves them: openMongoStore's driver collections,
 * or a stand-in with the same methods in tests that cannot reach a server. A tenant's adapters
 * see only their scope's documents (scoped-collection.ts); the raw collections go to the
 * registry, the look-ups of a token and of a client secret by hash alone and the dispatcher's leases.
 *
 * A tenant's port is built for each call, with the request's journal: a handful of closures
 * over the tenant's scoped collections (plain objects too, so nothing is worth caching).
 */
export function mongoStoreOn(collections: Collections, types: StoreResourceTypes, lifecycle: Pick<Store, 'description' | 'close'> & { ready(): boolean }, runtime: StoreRuntime): Store {
  return {
    description: lifecycle.description,
    tenant: (tenantId, journal) => tenantStore(scopeTo(collections, tenantId, runtime), types, journal),
    tenants: guardStore(mongoTenants(collections, runtime)),
    operators: guardStore(mongoTokens(operatorTokens(collections))),
    credentials: guardStore(mongoCredentials(collections)),
    outbox: guardStore(mongoOutbox(collections)),
    ready: () => lifecycle.ready(),
    close: () => lifecycle.close(),
  };
}

/** One tenant's port: every write records its events through `journal`, in its own transaction. */
function tenantStore(scoped: ScopedCollections, types: StoreResourceTypes, journal: Journal): TenantStore {
  const relations = relationResolver(scoped);
  const record = eventRecorder(journal);
  const tokenWrites: TokenWrites = (work) => scoped.transaction((t) => work(t.tokens, (changes, at = scoped.now()) => record(t, changes, at)));
  return {
    tenantId: scoped.tenantId,
    users: guardStore(mongoUsers(scoped, types.user, relations, record)),
    groups: guardStore(mongoGroups(scoped, types.group, relations, record)),
    tokens: guardStore(mongoTokens(scoped.tokens, tokenWrites)),
    events: guardStore(mongoEvents(scoped)),
    webhooks: guardStore(mongoWebhooks(scoped, record)),
    clients: guardStore(mongoClients(scoped, record)),
    failures: guardStore(mongoFailures(scoped)),
  };
}
