import { ConfigError, type Config } from '../config/config';
import type { Logger } from '../logger';
import type { Store } from './port';
import type { MigrationReport } from './mongo/mongo-migration';
import type { MongoStoreOptions, StoreResourceTypes } from './mongo/mongo-store';
import { DatabaseFileError } from './sqlite/database-file';
import { openSqliteStore } from './sqlite/sqlite-store';

export { DatabaseRefused } from './mongo/deployment';

/**
 * The MongoDB adapter is loaded only when MONGODB_URI is set: mongoose alone takes a third of a
 * second to load, which every CLI command and every server on the embedded store would pay for
 * nothing.
 */
const mongoAdapter = () => import('./mongo/mongo-store');

/** A malformed connection string is the operator's to fix: a ConfigError naming the variable. */
async function asConfigError(error: unknown): Promise<never> {
  const { InvalidConnectionString } = await import('./mongo/connection');
  if (error instanceof InvalidConnectionString) throw new ConfigError(`MONGODB_URI is not a valid connection string: ${error.message}`);
  throw error;
}

export interface OpenStoreOptions {
  /**
   * How many times to try the first MongoDB connection before giving up. A server waits for its
   * database for ever (the default); a one-off command should rather fail with the reason.
   */
  readonly connectAttempts?: number;
}

/**
 * Chooses the adapter: MongoDB when MONGODB_URI is set (resolving once connected), else the
 * embedded SQLite file. `resourceTypes` (the schema registry's) tell the MongoDB adapter which
 * attributes compare case-insensitively. A store that cannot open for a reason the operator can
 * fix is a ConfigError naming the variable, or a DatabaseRefused (a standalone MongoDB server, a
 * database `mongo migrate` has not prepared): start-up prints either as one line.
 */
export async function openStore(config: Config, resourceTypes: StoreResourceTypes, logger: Logger, options: OpenStoreOptions = {}): Promise<Store> {
  if (!config.mongodbUri) return openSqlite(config.sqlitePath);
  const { openMongoStore } = await mongoAdapter();
  return openMongoStore(config.mongodbUri, resourceTypes, logger, { ...mongoSettings(config), connect: connectOptions(options) }).catch(asConfigError);
}

/**
 * `mongo migrate` on the database MONGODB_URI names (mongo-migration.ts). A malformed connection
 * string is a ConfigError, as for openStore.
 */
export async function migrateMongo(config: Config, logger: Logger, options: OpenStoreOptions = {}): Promise<{ database: string; report: MigrationReport }> {
  if (!config.mongodbUri) throw new ConfigError('MONGODB_URI is not set: it names the MongoDB database to migrate.');
  const { migrateMongoDatabase } = await mongoAdapter();
  return migrateMongoDatabase(config.mongodbUri, logger, { ...mongoSettings(config), connect: connectOptions(options) }).catch(asConfigError);
}

const connectOptions = (options: OpenStoreOptions) => options.connectAttempts === undefined ? {} : { maxAttempts: options.connectAttempts };

/** The MONGODB_* settings a MongoDB connection is opened with (the store's, and `mongo migrate`'s). */
export const mongoSettings = (config: Config): MongoStoreOptions => ({
  readConcern: config.mongodbReadConcern,
  writeTimeoutMs: config.mongodbWriteTimeoutMs,
  operationTimeoutMs: config.mongodbTimeoutMs,
});

function openSqlite(sqlitePath: string): Store {
  try {
    return openSqliteStore(sqlitePath);
  } catch (error) {
    if (!(error instanceof DatabaseFileError)) throw error;
    // A relative path also names the file it resolved to: the working directory decides which.
    const where = error.file === sqlitePath ? sqlitePath : `${sqlitePath} (${error.file})`;
    throw new ConfigError(`SQLITE_PATH=${where} cannot be opened: ${error.reason}`);
  }
}
