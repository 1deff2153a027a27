import type { PurgedUser, StoredUser, UserKey } from '../port';
import type { ResolvedFilter } from '../../scim/filter/resolved';
import { foldCase } from '../../scim/values/fold-case';
import { compileFilter } from './compile-filter';
import type { Db } from './open-database';
import { perDatabase } from './per-database';
import { userScope } from './resource-scopes';
import { toUser, type UserRow } from './rows';
import { StatementCache } from './statement-cache';
import type { RecordChange } from './event-append';

/** Every tenant's statements, each binding @tenant. */
const statementsOf = perDatabase((db: Db) => ({
  sweeps: new StatementCache(db, 16),
  deletedById: db.prepare('SELECT * FROM users WHERE tenant_id = @tenant AND id = @id AND deleted_at IS NOT NULL'),
  deletedByName: db.prepare('SELECT * FROM users WHERE tenant_id = @tenant AND user_name_key = @key AND deleted_at IS NOT NULL'),
  undelete: db.prepare('UPDATE users SET deleted_at = NULL, last_modified = @now, version = version + 1 WHERE tenant_id = @tenant AND seq = @seq RETURNING *'),
  softDelete: db.prepare('UPDATE users SET deleted_at = @now, last_deleted_at = @now, last_modified = @now, version = version + 1 WHERE tenant_id = @tenant AND seq = @seq'),
  // A group's member list is part of the group: losing (or regaining) a member is a new version of it.
  touchGroupsOf: db.prepare(`UPDATE groups SET version = version + 1, last_modified = @now
    WHERE tenant_id = @tenant AND seq IN (SELECT group_seq FROM memberships WHERE tenant_id = @tenant AND user_seq = @seq)`),
  deletedBefore: db.prepare('SELECT seq, id, user_name FROM users WHERE tenant_id = @tenant AND deleted_at IS NOT NULL AND deleted_at < @before'),
  erase: db.prepare('DELETE FROM users WHERE tenant_id = @tenant AND seq = @seq'),
  eraseTokens: db.prepare('DELETE FROM tokens WHERE tenant_id = @tenant AND user_id = @id'),
}));

type Victim = { seq: number; id: string; user_name: string };
const purged = (rows: readonly Victim[]): PurgedUser[] => rows.map((r) => ({ id: r.id, userName: r.user_name }));

/**
 * Soft delete, restore and the two retention sweeps of one tenant's users. What makes a user
 * due for the inactivity sweep is the domain's filter; this only compiles and applies it.
 */
export function userLifecycle(db: Db, tenant: string, record: RecordChange) {
  const s = statementsOf(db);

  const softDelete = (row: UserRow, now: string) => {
    s.touchGroupsOf.run({ tenant, seq: row.seq, now });
    s.softDelete.run({ tenant, seq: row.seq, now });
    record({ of: 'user', kind: 'deleted', before: toUser(row) }, now);
  };

  return {
    /** Soft-deletes the row (recording user.deleted), as part of the caller's transaction. */
    softDelete,

    restore(key: UserKey): StoredUser | undefined {
      return db.transaction(() => {
        const row = ('id' in key
          ? s.deletedById.get({ tenant, id: key.id })
          : s.deletedByName.get({ tenant, key: foldCase(key.userName) })) as UserRow | undefined;
        if (!row) return undefined;
        const now = new Date().toISOString();
        s.touchGroupsOf.run({ tenant, seq: row.seq, now });
        const restored = toUser(s.undelete.get({ tenant, seq: row.seq, now }) as UserRow);
        record({ of: 'user', kind: 'restored', after: restored }, now);
        return restored;
      }).immediate();
    },

    purgeDeleted(before: string): PurgedUser[] {
      return db.transaction(() => {
        const rows = s.deletedBefore.all({ tenant, before }) as Victim[];
        const now = new Date().toISOString();
        for (const row of rows) {
          s.eraseTokens.run({ tenant, id: row.id });
          s.erase.run({ tenant, seq: row.seq });
          record({ of: 'user', kind: 'erased', user: { id: row.id, userName: row.user_name } }, now);
        }
        return purged(rows);
      }).immediate();
    },

    softDeleteWhere(filter: ResolvedFilter): PurgedUser[] {
      const where = compileFilter(filter, userScope);
      const select = s.sweeps.get(`SELECT t.* FROM users t WHERE t.tenant_id = @tenant AND t.deleted_at IS NULL AND ${where.sql}`);
      return db.transaction(() => {
        const rows = select.all(...where.params, { tenant }) as UserRow[];
        const now = new Date().toISOString();
        for (const row of rows) softDelete(row, now);
        return purged(rows);
      }).immediate();
    },
  };
}
