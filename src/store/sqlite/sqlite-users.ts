import { randomUUID } from 'node:crypto';
import type { ExpectedVersion, GroupRef, ListQuery, Page, StoredUser, UpdateResult, UserStore, UserWrite } from '../port';
import { UniquenessViolation } from '../port';
import { getKey, type JsonObject } from '../../scim/values/json';
import type { Db } from './open-database';
import { StatementCache } from './statement-cache';
import { listPage } from './list-page';
import { LIST_BUDGET_MS, queryBudget } from './query-budget';
import { userScope } from './resource-scopes';
import { chunks, emailRows, foldedOrNull, stringOrNull, toResource, type ResourceRow } from './rows';
import { isUniqueViolation } from './sqlite-errors';
import { userLifecycle } from './sqlite-user-lifecycle';
import { foldCase } from '../../scim/values/fold-case';

interface UserRow extends ResourceRow {
  password_hash: string | null;
  last_deleted_at: string | null;
}

const toUser = (row: UserRow): StoredUser => ({
  ...toResource(row),
  ...(row.password_hash ? { passwordHash: row.password_hash } : {}),
  ...(row.last_deleted_at ? { lastDeletedAt: row.last_deleted_at } : {}),
});

/** The columns promoted out of a user's JSON document, all derived from it on every write. */
function promoted(data: JsonObject) {
  const userName = String(getKey(data, 'userName'));
  const active = getKey(data, 'active');
  return {
    user_name: userName,
    user_name_key: foldedOrNull(userName),
    external_id: stringOrNull(getKey(data, 'externalId')),
    display_name_key: foldedOrNull(getKey(data, 'displayName')),
    active: typeof active === 'boolean' ? Number(active) : null,
    data: JSON.stringify(data),
  };
}

/** `listBudgetMs`: how long a filtered or sorted list may run (list-page.ts). */
export function sqliteUsers(db: Db, listBudgetMs = LIST_BUDGET_MS): UserStore {
  const statements = new StatementCache(db);
  const budget = queryBudget(db);
  const lifecycle = userLifecycle(db);
  const insertUser = db.prepare(`INSERT INTO users (id, user_name, user_name_key, external_id, display_name_key, active, created, last_modified, version, password_hash, data)
    VALUES (@id, @user_name, @user_name_key, @external_id, @display_name_key, @active, @created, @created, 1, @password_hash, @data)`);
  const updateUser = db.prepare(`UPDATE users SET user_name = @user_name, user_name_key = @user_name_key, external_id = @external_id,
    display_name_key = @display_name_key, active = @active, last_modified = @now, version = version + 1,
    password_hash = COALESCE(@password_hash, password_hash), data = @data
    WHERE seq = @seq RETURNING *`);
  const selectById = db.prepare('SELECT * FROM users WHERE id = ? AND deleted_at IS NULL');
  const softDelete = db.prepare('UPDATE users SET deleted_at = @now, last_deleted_at = @now, last_modified = @now, version = version + 1 WHERE seq = @seq');
  const heldByDeleted = db.prepare('SELECT 1 FROM users WHERE user_name_key = ? AND deleted_at IS NOT NULL').pluck();
  // A group's member list is part of the group: losing a member is a new version of it.
  const touchGroupsOf = db.prepare(`UPDATE groups SET version = version + 1, last_modified = @now
    WHERE seq IN (SELECT group_seq FROM memberships WHERE user_seq = @seq)`);
  const deleteEmails = db.prepare('DELETE FROM user_emails WHERE user_seq = ?');
  const insertEmail = db.prepare('INSERT INTO user_emails (user_seq, value_key, type_key, is_primary, element) VALUES (@seq, @value_key, @type_key, @is_primary, @element)');

  const writeEmails = (seq: number, data: JsonObject) => {
    deleteEmails.run(seq);
    for (const row of emailRows(data)) insertEmail.run({ seq, ...row });
  };

  const uniqueUserName = <T>(data: JsonObject, write: () => T): T => {
    try {
      return write();
    } catch (error) {
      if (isUniqueViolation(error, 'users.user_name_key')) {
        const userName = String(getKey(data, 'userName'));
        throw new UniquenessViolation('userName', userName, Boolean(heldByDeleted.get(foldCase(userName))));
      }
      throw error;
    }
  };

  /** Runs `change` on the row when it exists and its version is the expected one, atomically. */
  const conditional = <T>(id: string, expected: ExpectedVersion, change: (row: UserRow) => T) =>
    db.transaction((): UpdateResult<T> => {
      const row = selectById.get(id) as UserRow | undefined;
      if (!row) return { status: 'notFound' };
      if (expected !== undefined && row.version !== expected) return { status: 'versionMismatch', current: row.version };
      return { status: 'updated', resource: change(row) };
    }).immediate();

  return {
    async create(write: UserWrite) {
      const now = new Date().toISOString();
      const id = randomUUID();
      return uniqueUserName(write.data, () => db.transaction(() => {
        const { lastInsertRowid } = insertUser.run({ id, created: now, password_hash: write.passwordHash ?? null, ...promoted(write.data) });
        writeEmails(Number(lastInsertRowid), write.data);
        return toUser(selectById.get(id) as UserRow);
      }).immediate());
    },

    async get(id) {
      const row = selectById.get(id) as UserRow | undefined;
      return row ? toUser(row) : undefined;
    },

    async update(id, expected, write) {
      return uniqueUserName(write.data, () => conditional(id, expected, (row) => {
        const updated = updateUser.get({ seq: row.seq, now: new Date().toISOString(), password_hash: write.passwordHash ?? null, ...promoted(write.data) }) as UserRow;
        writeEmails(row.seq, write.data);
        return toUser(updated);
      }));
    },

    async delete(id, expected) {
      return conditional(id, expected, (row) => {
        const now = new Date().toISOString();
        touchGroupsOf.run({ seq: row.seq, now });
        softDelete.run({ seq: row.seq, now });
        return null;
      });
    },

    async restore(key) {
      return lifecycle.restore(key);
    },

    async purgeDeleted(before) {
      return lifecycle.purgeDeleted(before);
    },

    async deleteInactive(before) {
      return lifecycle.deleteInactive(before);
    },

    async list(query: ListQuery): Promise<Page<StoredUser>> {
      return listPage({ statements, budget, budgetMs: listBudgetMs, table: 'users', scope: userScope, toItem: (row: UserRow) => toUser(row), visible: 't.deleted_at IS NULL' }, query);
    },

    async groupsOf(userIds) {
      const result = new Map<string, GroupRef[]>(userIds.map((id) => [id, []]));
      for (const ids of chunks(userIds)) {
        const rows = statements.get(`SELECT u.id AS user_id, g.id, g.display_name FROM users u
          JOIN memberships m ON m.user_seq = u.seq JOIN groups g ON g.seq = m.group_seq
          WHERE u.id IN (${ids.map(() => '?').join(',')}) ORDER BY g.display_name_key`).all(...ids) as { user_id: string; id: string; display_name: string }[];
        for (const row of rows) result.get(row.user_id)!.push({ id: row.id, displayName: row.display_name });
      }
      return result;
    },
  };
}
