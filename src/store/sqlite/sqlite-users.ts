import { randomUUID } from 'node:crypto';
import type { BatchResult, ExpectedVersion, GroupRef, ListQuery, Page, StoredUser, UserStore, UserWrite } from '../port';
import { UniquenessViolation } from '../port';
import { getKey, type JsonObject } from '../../scim/values/json';
import { foldCase } from '../../scim/values/fold-case';
import type { Db } from './open-database';
import { perDatabase } from './per-database';
import { conditionalRow } from './conditional-row';
import { StatementCache } from './statement-cache';
import { listPage } from './list-page';
import { LIST_BUDGET_MS, queryBudget } from './query-budget';
import { userScope } from './resource-scopes';
import { chunks, emailRows, foldedOrNull, stringOrNull, toUser, type UserRow } from './rows';
import { isUniqueViolation } from './sqlite-errors';
import { sqliteDeletedUsers } from './sqlite-deleted-users';
import { userLifecycle } from './sqlite-user-lifecycle';
import { permissionsOfGroups, writeUserEntitlements } from './permission-rows';
import type { RecordChange } from './event-append';

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

/** A group as a user's groups list it: with its permissions only when it grants some. */
const withPermissions = (ref: GroupRef, permissions: readonly string[] | undefined): GroupRef => (permissions?.length ? { ...ref, permissions } : ref);

/** Every tenant's statements, each binding @tenant. */
const statementsOf = perDatabase((db: Db) => ({
  lists: new StatementCache(db),
  insert: db.prepare(`INSERT INTO users (tenant_id, id, user_name, user_name_key, external_id, display_name_key, active, created, last_modified, version, password_hash, data)
    VALUES (@tenant, @id, @user_name, @user_name_key, @external_id, @display_name_key, @active, @created, @created, 1, @password_hash, @data)`),
  update: db.prepare(`UPDATE users SET user_name = @user_name, user_name_key = @user_name_key, external_id = @external_id,
    display_name_key = @display_name_key, active = @active, last_modified = @now, version = version + 1,
    password_hash = COALESCE(@password_hash, password_hash), data = @data
    WHERE tenant_id = @tenant AND seq = @seq RETURNING *`),
  byId: db.prepare('SELECT * FROM users WHERE tenant_id = @tenant AND id = @id AND deleted_at IS NULL'),
  heldByDeleted: db.prepare('SELECT 1 FROM users WHERE tenant_id = @tenant AND user_name_key = @key AND deleted_at IS NOT NULL').pluck(),
  deleteEmails: db.prepare('DELETE FROM user_emails WHERE tenant_id = @tenant AND user_seq = @seq'),
  insertEmail: db.prepare(`INSERT INTO user_emails (tenant_id, user_seq, value_key, type_key, is_primary, element)
    VALUES (@tenant, @seq, @value_key, @type_key, @is_primary, @element)`),
}));

/**
 * The users of one tenant; every write records its events with `record` in its transaction.
 * `listBudgetMs`: how long a filtered or sorted list may run (list-page.ts).
 */
export function sqliteUsers(db: Db, tenant: string, record: RecordChange, listBudgetMs = LIST_BUDGET_MS): UserStore {
  const s = statementsOf(db);
  const budget = queryBudget(db);
  const lifecycle = userLifecycle(db, tenant, record);
  const byId = (id: string) => s.byId.get({ tenant, id }) as UserRow | undefined;

  /** The rows derived from the document besides its columns: emails, and the entitlements effectivePermissions filters read. */
  const writeRows = (seq: number, data: JsonObject) => {
    s.deleteEmails.run({ tenant, seq });
    for (const row of emailRows(data)) s.insertEmail.run({ tenant, seq, ...row });
    writeUserEntitlements(db, tenant, seq, data);
  };

  const uniqueUserName = <T>(data: JsonObject, write: () => T): T => {
    try {
      return write();
    } catch (error) {
      if (isUniqueViolation(error, 'users.user_name_key')) {
        const userName = String(getKey(data, 'userName'));
        throw new UniquenessViolation('userName', userName, Boolean(s.heldByDeleted.get({ tenant, key: foldCase(userName) })));
      }
      throw error;
    }
  };

  /**
   * Inserts a user with its rows and its event, inside the caller's transaction. The stored user
   * is built from what was written rather than read back (a SELECT and a parse per user less
   * in an import); `data` is the stored JSON parsed, as a read would return it.
   */
  const insertUser = (write: UserWrite): StoredUser => {
    const now = new Date().toISOString();
    const columns = promoted(write.data);
    const id = randomUUID();
    const { lastInsertRowid } = s.insert.run({ tenant, id, created: now, password_hash: write.passwordHash ?? null, ...columns });
    // A new row has no emails to replace (a purged user's went with it, ON DELETE CASCADE).
    const seq = Number(lastInsertRowid);
    for (const row of emailRows(write.data)) s.insertEmail.run({ tenant, seq, ...row });
    writeUserEntitlements(db, tenant, seq, write.data);
    const created: StoredUser = {
      id, created: now, lastModified: now, version: 1, data: JSON.parse(columns.data) as JsonObject,
      ...(write.passwordHash ? { passwordHash: write.passwordHash } : {}),
    };
    record({ of: 'user', kind: 'created', after: created, passwordSet: write.passwordHash !== undefined }, now);
    return created;
  };

  /** Runs `change` on the row when it exists and its version is the expected one, atomically. */
  const conditional = <T>(id: string, expected: ExpectedVersion, change: (row: UserRow) => T) => conditionalRow(db, () => byId(id), expected, change);

  return {
    listDeleted: sqliteDeletedUsers(db, tenant, listBudgetMs),
    async create(write: UserWrite) {
      return uniqueUserName(write.data, () => db.transaction(() => insertUser(write)).immediate());
    },

    /**
     * One IMMEDIATE transaction, one commit, for the whole batch; each user in a savepoint of
     * its own (better-sqlite3 nests a transaction as a savepoint), so a taken userName rolls
     * back that user's rows and events only. Any other error ends the batch: SQLite may already
     * have rolled the whole transaction back (a full disk, an I/O error), and nothing of the
     * batch is written then.
     */
    async createMany(writes) {
      const inSavepoint = db.transaction(insertUser);
      return db.transaction(() => writes.map((write): BatchResult<StoredUser> => {
        try {
          return { created: uniqueUserName(write.data, () => inSavepoint(write)) };
        } catch (failed) {
          if (failed instanceof UniquenessViolation && db.inTransaction) return { failed };
          throw failed;
        }
      })).immediate();
    },

    async get(id) {
      const row = byId(id);
      return row ? toUser(row) : undefined;
    },

    async update(id, expected, write) {
      return uniqueUserName(write.data, () => conditional(id, expected, (row) => {
        const now = new Date().toISOString();
        const updated = toUser(s.update.get({ tenant, seq: row.seq, now, password_hash: write.passwordHash ?? null, ...promoted(write.data) }) as UserRow);
        writeRows(row.seq, write.data);
        record({ of: 'user', kind: 'updated', before: toUser(row), after: updated, passwordChanged: write.passwordHash !== undefined }, now);
        return updated;
      }));
    },

    async delete(id, expected) {
      return conditional(id, expected, (row) => {
        lifecycle.softDelete(row, new Date().toISOString());
        return null;
      });
    },

    async restore(key) {
      return lifecycle.restore(key);
    },

    async purgeDeleted(before, limit) {
      return lifecycle.purgeDeleted(before, limit);
    },

    async softDeleteWhere(filter, limit) {
      return lifecycle.softDeleteWhere(filter, limit);
    },

    async list(query: ListQuery): Promise<Page<StoredUser>> {
      return listPage({ statements: s.lists, budget, budgetMs: listBudgetMs, table: 'users', tenant, scope: userScope, toItem: toUser, visible: 't.deleted_at IS NULL', countedInBlocks: true }, query);
    },

    /**
     * Each user's groups by display name, with the permissions each grants: one query for the
     * page's memberships, one for the permissions of its distinct groups (a page's users share
     * most of their groups, so these are far fewer than the memberships).
     */
    async groupsOf(userIds) {
      const result = new Map<string, (GroupRef & { seq: number })[]>(userIds.map((id) => [id, []]));
      for (const ids of chunks(userIds)) {
        // CROSS JOIN fixes the order: the page's users by id, then each one's memberships. Left to
        // choose, the planner walked every membership of the tenant (a 100,000-member group made
        // each page of users 10 times slower).
        const rows = s.lists.get(`SELECT u.id AS user_id, g.seq, g.id, g.display_name FROM users u
          CROSS JOIN memberships m ON m.tenant_id = u.tenant_id AND m.user_seq = u.seq CROSS JOIN groups g ON g.seq = m.group_seq
          WHERE u.tenant_id = @tenant AND u.id IN (${ids.map(() => '?').join(',')}) ORDER BY g.display_name_key`).all(...ids, { tenant }) as { user_id: string; seq: number; id: string; display_name: string }[];
        for (const row of rows) result.get(row.user_id)!.push({ seq: row.seq, id: row.id, displayName: row.display_name });
      }
      const groupSeqs = [...new Set([...result.values()].flatMap((groups) => groups.map((g) => g.seq)))];
      const granted = new Map<number, readonly string[]>();
      for (const seqs of chunks(groupSeqs)) for (const [seq, permissions] of permissionsOfGroups(db, tenant, seqs)) granted.set(seq, permissions);
      return new Map([...result].map(([userId, groups]) => [userId, groups.map(({ seq, ...ref }) => withPermissions(ref, granted.get(seq)))]));
    },
  };
}
