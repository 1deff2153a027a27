import Database from 'better-sqlite3';
import { foldCase } from '../../scim/values/fold-case';
import { databaseFileError, prepareDatabaseFile } from './database-file';
import { migrations } from './migrations';
import { queryBudget } from './query-budget';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the database file, applies pending migrations and registers
 * scim_fold, the case-folding rule shared with JavaScript. A file that cannot serve is a
 * DatabaseFileError saying why (a directory, not a database, read-only…).
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') prepareDatabaseFile(file);
  let db: Db | undefined;
  try {
    db = new Database(file);
    return configure(db);
  } catch (error) {
    db?.close();
    throw databaseFileError(file, error);
  }
}

/** WAL lets readers run beside the one writer; busy_timeout lets several Roster processes share the file. */
function configure(db: Db): Db {
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.function('scim_fold', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? foldCase(value) : value));
  queryBudget(db);
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version]);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
