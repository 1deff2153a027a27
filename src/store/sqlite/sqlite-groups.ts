import { randomUUID } from 'node:crypto';
import type { ExpectedVersion, GroupStore, GroupWrite, ListQuery, MemberChange, MemberRef, Page, StoredGroup, UpdateResult } from '../port';
import { UniquenessViolation, UnknownMembers } from '../port';
import { getKey, type JsonObject } from '../../scim/values/json';
import type { Db } from './open-database';
import { perDatabase } from './per-database';
import { conditionalRow } from './conditional-row';
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

/** Every tenant's statements, each binding @tenant. */
const statementsOf = perDatabase((db: Db) => ({
  lists: new StatementCache(db),
  insert: db.prepare(`INSERT INTO groups (tenant_id, id, display_name, display_name_key, external_id, created, last_modified, version, data)
    VALUES (@tenant, @id, @display_name, @display_name_key, @external_id, @created, @created, 1, @data)`),
  update: db.prepare(`UPDATE groups SET display_name = @display_name, display_name_key = @display_name_key,
    external_id = @external_id, data = @data, last_modified = @now, version = version + 1 WHERE tenant_id = @tenant AND seq = @seq RETURNING *`),
  touch: db.prepare('UPDATE groups SET last_modified = @now, version = version + 1 WHERE tenant_id = @tenant AND seq = @seq RETURNING *'),
  byId: db.prepare('SELECT * FROM groups WHERE tenant_id = @tenant AND id = @id'),
  delete: db.prepare('DELETE FROM groups WHERE tenant_id = @tenant AND seq = @seq'),
  // The member is looked up in the group's tenant only: an id of another tenant's user adds nothing.
  addMember: db.prepare(`INSERT OR IGNORE INTO memberships (tenant_id, group_seq, user_seq)
    SELECT @tenant, @seq, seq FROM users WHERE tenant_id = @tenant AND id = @id AND deleted_at IS NULL`),
  userExists: db.prepare('SELECT 1 FROM users WHERE tenant_id = @tenant AND id = @id AND deleted_at IS NULL').pluck(),
  // A soft-deleted user's membership is hidden, not gone: a client that cannot see it cannot
  // remove it (a PUT of the member list, a remove of all members), and restore brings it back.
  removeMember: db.prepare(`DELETE FROM memberships WHERE tenant_id = @tenant AND group_seq = @seq
    AND user_seq = (SELECT seq FROM users WHERE tenant_id = @tenant AND id = @id AND deleted_at IS NULL)`),
  // Correlated, so it reads the group's members only (an IN over live users would list the tenant's).
  removeAllMembers: db.prepare(`DELETE FROM memberships WHERE tenant_id = @tenant AND group_seq = @seq
    AND EXISTS (SELECT 1 FROM users u WHERE u.seq = memberships.user_seq AND u.deleted_at IS NULL)`),
}));

/**
 * The groups of one tenant and their memberships. A membership is one row (group_seq,
 * user_seq): adding or removing a member is one INSERT OR IGNORE / DELETE, whatever the group's
 * size, and two concurrent changes to one group cannot lose each other's members.
 * `listBudgetMs`: how long a filtered or sorted list may run (list-page.ts).
 */
export function sqliteGroups(db: Db, tenant: string, listBudgetMs = LIST_BUDGET_MS): GroupStore {
  const s = statementsOf(db);
  const budget = queryBudget(db);
  const byId = (id: string) => s.byId.get({ tenant, id }) as ResourceRow | undefined;

  const applyChange = (seq: number, change: MemberChange) => {
    if (change.op === 'removeAll') return void s.removeAllMembers.run({ tenant, seq });
    if (change.op === 'remove') return change.ids.forEach((id) => s.removeMember.run({ tenant, seq, id }));
    const unknown = change.ids.filter((id) => s.addMember.run({ tenant, seq, id }).changes === 0 && !s.userExists.get({ tenant, id }));
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

  /** Runs `change` on the row when it exists and its version is the expected one, atomically. */
  const conditional = <T>(id: string, expected: ExpectedVersion, change: (row: ResourceRow) => T) => conditionalRow(db, () => byId(id), expected, change);

  return {
    async create(data, memberIds) {
      const now = new Date().toISOString();
      const id = randomUUID();
      return uniqueDisplayName(data, () => db.transaction(() => {
        const { lastInsertRowid } = s.insert.run({ tenant, id, created: now, ...promoted(data) });
        applyChange(Number(lastInsertRowid), { op: 'add', ids: memberIds });
        return toResource(byId(id)!);
      }).immediate());
    },

    async get(id) {
      const row = byId(id);
      return row ? toResource(row) : undefined;
    },

    async update(id, expected, write: GroupWrite) {
      return uniqueDisplayName(write.data, () => conditional(id, expected, (row): StoredGroup => {
        for (const change of write.memberChanges ?? []) applyChange(row.seq, change);
        const now = new Date().toISOString();
        const updated = write.data ? s.update.get({ tenant, seq: row.seq, now, ...promoted(write.data) }) : s.touch.get({ tenant, seq: row.seq, now });
        return toResource(updated as ResourceRow);
      }));
    },

    async delete(id, expected) {
      return conditional(id, expected, (row) => {
        s.delete.run({ tenant, seq: row.seq });
        return null;
      });
    },

    async list(query: ListQuery): Promise<Page<StoredGroup>> {
      return listPage({ statements: s.lists, budget, budgetMs: listBudgetMs, table: 'groups', tenant, scope: groupScope, toItem: toResource, visible: '1' }, query);
    },

    async membersOf(groupIds) {
      const result = new Map<string, MemberRef[]>(groupIds.map((id) => [id, []]));
      for (const ids of chunks(groupIds)) {
        const rows = s.lists.get(`SELECT g.id AS group_id, u.id, COALESCE(json_extract(u.data, '$."displayName"'), u.user_name) AS display
          FROM groups g JOIN memberships m ON m.tenant_id = g.tenant_id AND m.group_seq = g.seq JOIN users u ON u.seq = m.user_seq AND u.deleted_at IS NULL
          WHERE g.tenant_id = @tenant AND g.id IN (${ids.map(() => '?').join(',')}) ORDER BY m.group_seq, m.user_seq`).all(...ids, { tenant }) as { group_id: string; id: string; display: string | null }[];
        for (const row of rows) result.get(row.group_id)!.push({ id: row.id, ...(row.display ? { display: row.display } : {}) });
      }
      return result;
    },
  };
}
