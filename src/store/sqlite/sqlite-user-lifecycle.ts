import type { PurgedUser, StoredUser, UserKey } from '../port';
import { foldCase } from '../../scim/values/fold-case';
import type { Db } from './open-database';
import { toResource, type ResourceRow } from './rows';
import { jsonPath } from './sql-scope';

/** Where the Account extension keeps the lifecycle (schemas/roster-account.json). */
const ACCOUNT = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Account';
const STATUS = jsonPath([ACCOUNT, 'status']);
const DEACTIVATED_AT = jsonPath([ACCOUNT, 'deactivatedAt']);

/** Restore and the two retention sweeps of soft-deleted and long-inactive users. */
export function userLifecycle(db: Db) {
  const deletedById = db.prepare('SELECT * FROM users WHERE id = ? AND deleted_at IS NOT NULL');
  const deletedByName = db.prepare('SELECT * FROM users WHERE user_name_key = ? AND deleted_at IS NOT NULL');
  const undelete = db.prepare('UPDATE users SET deleted_at = NULL, last_modified = @now, version = version + 1 WHERE seq = @seq RETURNING *');
  const softDelete = db.prepare('UPDATE users SET deleted_at = @now, last_deleted_at = @now, last_modified = @now, version = version + 1 WHERE seq = @seq');
  const touchGroupsOf = db.prepare(`UPDATE groups SET version = version + 1, last_modified = @now
    WHERE seq IN (SELECT group_seq FROM memberships WHERE user_seq = @seq)`);
  const deletedBefore = db.prepare('SELECT seq, id, user_name FROM users WHERE deleted_at IS NOT NULL AND deleted_at < ?');
  const inactiveBefore = db.prepare(`SELECT seq, id, user_name FROM users WHERE deleted_at IS NULL
    AND json_extract(data, ${STATUS}) = 'Inactive' AND json_extract(data, ${DEACTIVATED_AT}) < ?`);
  const erase = db.prepare('DELETE FROM users WHERE seq = ?');
  const eraseTokens = db.prepare('DELETE FROM tokens WHERE user_id = ?');

  type Victim = { seq: number; id: string; user_name: string };
  const purged = (rows: Victim[]): PurgedUser[] => rows.map((r) => ({ id: r.id, userName: r.user_name }));

  return {
    restore(key: UserKey): StoredUser | undefined {
      return db.transaction(() => {
        const row = ('id' in key ? deletedById.get(key.id) : deletedByName.get(foldCase(key.userName))) as ResourceRow | undefined;
        if (!row) return undefined;
        const now = new Date().toISOString();
        touchGroupsOf.run({ seq: row.seq, now });
        const restored = undelete.get({ seq: row.seq, now }) as ResourceRow & { password_hash: string | null; last_deleted_at: string | null };
        return {
          ...toResource(restored),
          ...(restored.password_hash ? { passwordHash: restored.password_hash } : {}),
          ...(restored.last_deleted_at ? { lastDeletedAt: restored.last_deleted_at } : {}),
        };
      }).immediate();
    },

    purgeDeleted(before: string): PurgedUser[] {
      return db.transaction(() => {
        const rows = deletedBefore.all(before) as Victim[];
        for (const row of rows) {
          eraseTokens.run(row.id);
          erase.run(row.seq);
        }
        return purged(rows);
      }).immediate();
    },

    deleteInactive(before: string): PurgedUser[] {
      return db.transaction(() => {
        const rows = inactiveBefore.all(before) as Victim[];
        const now = new Date().toISOString();
        for (const row of rows) {
          touchGroupsOf.run({ seq: row.seq, now });
          softDelete.run({ seq: row.seq, now });
        }
        return purged(rows);
      }).immediate();
    },
  };
}
