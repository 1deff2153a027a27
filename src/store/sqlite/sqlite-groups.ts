import { randomUUID } from 'node:crypto';
import type { GroupStore, GroupWrite, ListQuery, MemberChange, MemberRef, Page, StoredGroup, UpdateResult } from '../port';
import { UniquenessViolation, UnknownMembers } from '../port';
import { getKey, type JsonObject } from '../../scim/values/json';
import type { Db } from './open-database';
import { StatementCache } from './statement-cache';
import { listPage } from './list-page';
import { LIST_BUDGET_MS, queryBudget } from './query-budget';
import { groupScope } from './resource-scopes';
import { chunks, foldedOrNull, stringOrNull, toResource, type ResourceRow } from './rows';
import { isUniqueViolation } from './sqlite-errors';

function promoted(data: JsonObject) {
  const displayName = String(getKey(data, 'displayName'));
  return {
    display_name: displayName,
    display_name_key: foldedOrNull(displayName),
    external_id: stringOrNull(getKey(data, 'externalId')),
    data: JSON.stringify(data),
  };
}

/**
 * Groups and their memberships. A membership is one row (group_seq, user_seq): adding or
 * removing a member is one INSERT OR IGNORE / DELETE, whatever the group's size, and two
 * concurrent changes to one group cannot lose each other's members. `listBudgetMs`: how long a
 * filtered or sorted list may run (list-page.ts).
 */
export function sqliteGroups(db: Db, listBudgetMs = LIST_BUDGET_MS): GroupStore {
  const statements = new StatementCache(db);
  const budget = queryBudget(db);
  const insertGroup = db.prepare(`INSERT INTO groups (id, display_name, display_name_key, external_id, created, last_modified, version, data)
    VALUES (@id, @display_name, @display_name_key, @external_id, @created, @created, 1, @data)`);
  const updateGroup = db.prepare(`UPDATE groups SET display_name = @display_name, display_name_key = @display_name_key,
    external_id = @external_id, data = @data, last_modified = @now, version = version + 1 WHERE seq = @seq RETURNING *`);
  const touchGroup = db.prepare('UPDATE groups SET last_modified = @now, version = version + 1 WHERE seq = @seq RETURNING *');
  const selectById = db.prepare('SELECT * FROM groups WHERE id = ?');
  const deleteBySeq = db.prepare('DELETE FROM groups WHERE seq = ?');
  const addMember = db.prepare('INSERT OR IGNORE INTO memberships (group_seq, user_seq) SELECT ?, seq FROM users WHERE id = ? AND deleted_at IS NULL');
  const userExists = db.prepare('SELECT 1 FROM users WHERE id = ? AND deleted_at IS NULL').pluck();
  // A soft-deleted user's membership is hidden, not gone: a client that cannot see it cannot
  // remove it (a PUT of the member list, a remove of all members), and restore brings it back.
  const removeMember = db.prepare('DELETE FROM memberships WHERE group_seq = ? AND user_seq = (SELECT seq FROM users WHERE id = ? AND deleted_at IS NULL)');
  const removeAllMembers = db.prepare('DELETE FROM memberships WHERE group_seq = ? AND user_seq IN (SELECT seq FROM users WHERE deleted_at IS NULL)');

  const applyChange = (groupSeq: number, change: MemberChange) => {
    if (change.op === 'removeAll') return void removeAllMembers.run(groupSeq);
    if (change.op === 'remove') return change.ids.forEach((id) => removeMember.run(groupSeq, id));
    const unknown = change.ids.filter((id) => addMember.run(groupSeq, id).changes === 0 && !userExists.get(id));
    if (unknown.length) throw new UnknownMembers(unknown);
  };

  const uniqueDisplayName = <T>(data: JsonObject | undefined, write: () => T): T => {
    try {
      return write();
    } catch (error) {
      if (data && isUniqueViolation(error, 'groups.display_name_key')) throw new UniquenessViolation('displayName', String(getKey(data, 'displayName')));
      throw error;
    }
  };

  return {
    async create(data, memberIds) {
      const now = new Date().toISOString();
      const id = randomUUID();
      return uniqueDisplayName(data, () => db.transaction(() => {
        const { lastInsertRowid } = insertGroup.run({ id, created: now, ...promoted(data) });
        applyChange(Number(lastInsertRowid), { op: 'add', ids: memberIds });
        return toResource(selectById.get(id) as ResourceRow);
      }).immediate());
    },

    async get(id) {
      const row = selectById.get(id) as ResourceRow | undefined;
      return row ? toResource(row) : undefined;
    },

    async update(id, expected, write: GroupWrite) {
      return uniqueDisplayName(write.data, () => db.transaction((): UpdateResult<StoredGroup> => {
        const row = selectById.get(id) as ResourceRow | undefined;
        if (!row) return { status: 'notFound' };
        if (expected !== undefined && row.version !== expected) return { status: 'versionMismatch', current: row.version };
        for (const change of write.memberChanges ?? []) applyChange(row.seq, change);
        const now = new Date().toISOString();
        const updated = write.data ? updateGroup.get({ seq: row.seq, now, ...promoted(write.data) }) : touchGroup.get({ seq: row.seq, now });
        return { status: 'updated', resource: toResource(updated as ResourceRow) };
      }).immediate());
    },

    async delete(id, expected) {
      return db.transaction((): UpdateResult<null> => {
        const row = selectById.get(id) as ResourceRow | undefined;
        if (!row) return { status: 'notFound' };
        if (expected !== undefined && row.version !== expected) return { status: 'versionMismatch', current: row.version };
        deleteBySeq.run(row.seq);
        return { status: 'updated', resource: null };
      }).immediate();
    },

    async list(query: ListQuery): Promise<Page<StoredGroup>> {
      return listPage({ statements, budget, budgetMs: listBudgetMs, table: 'groups', scope: groupScope, toItem: (row: ResourceRow) => toResource(row), visible: '1' }, query);
    },

    async membersOf(groupIds) {
      const result = new Map<string, MemberRef[]>(groupIds.map((id) => [id, []]));
      for (const ids of chunks(groupIds)) {
        const rows = statements.get(`SELECT g.id AS group_id, u.id, COALESCE(json_extract(u.data, '$."displayName"'), u.user_name) AS display
          FROM groups g JOIN memberships m ON m.group_seq = g.seq JOIN users u ON u.seq = m.user_seq AND u.deleted_at IS NULL
          WHERE g.id IN (${ids.map(() => '?').join(',')}) ORDER BY m.group_seq, m.user_seq`).all(...ids) as { group_id: string; id: string; display: string | null }[];
        for (const row of rows) result.get(row.group_id)!.push({ id: row.id, ...(row.display ? { display: row.display } : {}) });
      }
      return result;
    },
  };
}
