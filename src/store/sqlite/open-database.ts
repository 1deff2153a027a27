import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { foldCase } from '../../scim/values/fold-case';
import { migrations } from './migrations';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the database file, applies pending migrations and registers
 * scim_fold, the case-folding rule shared with JavaScript. WAL lets readers run beside the one
 * writer; busy_timeout lets several Roster processes share the file.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.function('scim_fold', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? foldCase(value) : value));
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
