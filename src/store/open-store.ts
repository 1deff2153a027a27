import { ConfigError, type Config } from '../config/config';
import type { Store } from './port';
import { openSqliteStore } from './sqlite/sqlite-store';

/** Chooses the adapter: MongoDB when MONGODB_URI is set, else the embedded SQLite file. */
export function openStore(config: Config): Store {
  if (config.mongodbUri) {
    throw new ConfigError('MONGODB_URI is set, but this version has no MongoDB store yet: unset it to use the embedded SQLite store.');
  }
  return openSqliteStore(config.sqlitePath);
}
