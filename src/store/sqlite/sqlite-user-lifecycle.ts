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
  // Oldest first, through users_tenant_deleted: a chunk reads only the rows it erases.
  deletedBefore: db.prepare(`SELECT seq, id, user_name FROM users WHERE tenant_id = @tenant AND deleted_at IS NOT NULL AND deleted_at < @before
    ORDER BY deleted_at LIMIT @limit`),
  liveBySeq: db.prepare('SELECT * FROM users WHERE tenant_id = @tenant AND seq = @seq AND deleted_at IS NULL'),
  erase: db.prepare('DELETE FROM users WHERE tenant_id = @tenant AND seq = @seq'),
  eraseTokens: db.prepare('DELETE FROM tokens WHERE tenant_id = @tenant AND user_id = @id'),
}));

type Victim = { seq: number; id: string; user_name: string };
const purged = (rows: readonly Victim[]): PurgedUser[] => rows.map((r) => ({ id: r.id, userName: r.user_name }));

/**
 * Users erased or soft-deleted in one transaction when the caller sets no limit. Measured with
 * the count and search triggers: 150–400 µs a user (its row, tokens, memberships, search rows,
 * event), so a chunk holds the event loop 15–40 ms.
 */
export const SWEEP_CHUNK = 100;
/**
 * Live rows one transaction of the inactivity sweep examines. Its filter is on JSON attributes
 * no index serves, so each window is a range of row numbers (users_tenant_live, by seq) and the
 * filter is judged within it: a transaction costs O(window) even when nothing matches (about
 * 10 µs a row: ~20 ms).
 */
export const SCAN_WINDOW = 2000;

/** A turn of the event loop: SQLite calls never wait for I/O, so a long sweep must let requests in. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

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

    /**
     * At most `limit` users in one transaction; without a limit, all of them, SWEEP_CHUNK per
     * transaction with a turn of the event loop between.
     */
    async purgeDeleted(before: string, limit?: number): Promise<PurgedUser[]> {
      const chunk = (size: number) => db.transaction(() => {
        const rows = s.deletedBefore.all({ tenant, before, limit: size }) as Victim[];
        const now = new Date().toISOString();
        for (const row of rows) {
          s.eraseTokens.run({ tenant, id: row.id });
          s.erase.run({ tenant, seq: row.seq });
          record({ of: 'user', kind: 'erased', user: { id: row.id, userName: row.user_name } }, now);
        }
        return purged(rows);
      }).immediate();
      if (limit !== undefined) return chunk(limit);
      const erased: PurgedUser[] = [];
      for (;;) {
        const some = chunk(SWEEP_CHUNK);
        erased.push(...some);
        if (some.length < SWEEP_CHUNK) return erased;
        await nextTurn();
      }
    },

    /**
     * Walks the live users in windows of row numbers, each window one transaction that examines
     * at most SCAN_WINDOW rows and soft-deletes at most SWEEP_CHUNK of them, with a turn of the
     * event loop between windows; stops at the end or once `limit` users are deleted.
     */
    async softDeleteWhere(filter: ResolvedFilter, limit = Number.POSITIVE_INFINITY): Promise<PurgedUser[]> {
      const where = compileFilter(filter, userScope);
      const window = s.sweeps.get(`SELECT t.seq AS seq, (${where.sql}) AS hit FROM users t
        WHERE t.tenant_id = @tenant AND t.deleted_at IS NULL AND t.seq > @after ORDER BY t.seq LIMIT @examine`);
      const deleted: PurgedUser[] = [];
      let after = 0;
      for (;;) {
        const done = db.transaction(() => {
          const rows = window.all(...where.params, { tenant, after, examine: SCAN_WINDOW }) as { seq: number; hit: number | null }[];
          const now = new Date().toISOString();
          let inChunk = 0;
          for (const { seq, hit } of rows) {
            if (deleted.length >= limit || inChunk >= SWEEP_CHUNK) return deleted.length >= limit;
            after = seq;
            if (!hit) continue;
            const row = s.liveBySeq.get({ tenant, seq }) as UserRow;
            softDelete(row, now);
            deleted.push({ id: row.id, userName: row.user_name });
            inChunk++;
          }
          return rows.length < SCAN_WINDOW || deleted.length >= limit;
        }).immediate();
        if (done) return deleted;
        await nextTurn();
      }
    },
  };
}
