import type { ExpectedVersion, UpdateResult } from '../port';
import type { Db } from './open-database';

/**
 * Runs `change` on the row `read` finds when it exists and its version is the expected one, in
 * one IMMEDIATE transaction: the conditional write of users and groups.
 */
export function conditionalRow<Row extends { version: number }, T>(db: Db, read: () => Row | undefined, expected: ExpectedVersion, change: (row: Row) => T): UpdateResult<T> {
  return db.transaction((): UpdateResult<T> => {
    const row = read();
    if (!row) return { status: 'notFound' };
    if (expected !== undefined && row.version !== expected) return { status: 'versionMismatch', current: row.version };
    return { status: 'updated', resource: change(row) };
  }).immediate();
}
