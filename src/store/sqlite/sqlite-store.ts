import { resolve } from 'node:path';
import type { Store } from '../port';
import { openDatabase } from './open-database';
import { sqliteGroups } from './sqlite-groups';
import { sqliteTokens } from './sqlite-tokens';
import { sqliteUsers } from './sqlite-users';

/** The embedded store: one SQLite file, created with its schema on first use. */
export function openSqliteStore(file: string): Store {
  const path = file === ':memory:' ? file : resolve(file);
  const db = openDatabase(path);
  return {
    description: `sqlite:${path}`,
    users: sqliteUsers(db),
    groups: sqliteGroups(db),
    tokens: sqliteTokens(db),
    // The file is opened synchronously above: once this returns, the store is ready for good.
    ready: () => true,
    async close() {
      db.close();
    },
  };
}
