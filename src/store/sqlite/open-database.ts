import Database from 'better-sqlite3';
import { foldCase } from '../../scim/values/fold-case';
import { databaseFileError, prepareDatabaseFile } from './database-file';
import { migrations } from './migrations';
import { queryBudget } from './query-budget';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the database file, applies pending migrations and registers
 * scim_fold, the case-folding rule shared with JavaScript. A file that cannot serve is a
 * DatabaseFileError saying why (a directory, not a database, read-only…). `options.verbose`
 * receives every statement run, its parameters written in (tests read its query plans).
 */
export function openDatabase(file: string, options: Pick<Database.Options, 'verbose'> = {}): Db {
  if (file !== ':memory:') prepareDatabaseFile(file);
  let db: Db | undefined;
  try {
    db = new Database(file, options);
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

/**
 * Applies each pending migration in its own transaction. Foreign keys are off meanwhile: a
 * migration that rebuilds a table (tenants-migration.ts) drops the old one, which would
 * otherwise cascade into its children. PRAGMA foreign_keys cannot change inside a transaction,
 * so it is switched around them, and each migration checks every key before it commits.
 */
function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current >= migrations.length) return;
  db.pragma('foreign_keys = OFF');
  try {
    for (let version = current; version < migrations.length; version++) {
      db.transaction(() => {
        // Another process sharing the file may have applied it while this one waited for the lock.
        if ((db.pragma('user_version', { simple: true }) as number) > version) return;
        db.exec(migrations[version]);
        assertForeignKeys(db, version + 1);
        db.pragma(`user_version = ${version + 1}`);
      }).immediate();
    }
  } finally {
    db.pragma('foreign_keys = ON');
  }
}

/** Refuses (rolling the migration back) a migration that would leave a row pointing at nothing. */
function assertForeignKeys(db: Db, version: number): void {
  const broken = db.pragma('foreign_key_check') as { table: string; parent: string }[];
  if (broken.length === 0) return;
  const { table, parent } = broken[0];
  throw new Error(`Migration ${version} would leave ${broken.length} row(s) of ${table} without their ${parent}; nothing was changed`);
}
