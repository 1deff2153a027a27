import { randomUUID } from 'node:crypto';
import type { ExpectedVersion, GroupStore, GroupWrite, ListPosition, ListQuery, MemberChange, MemberRef, Page, StoredGroup } from '../port';
import { InvalidPosition, UniquenessViolation, UnknownMembers } from '../port';
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
import type { RecordChange } from './event-append';
import { MemberDiff } from '../member-diff';
import { RememberedTotals } from '../remembered-totals';
import { writeGroupPermissions } from './permission-rows';

function promoted(data: JsonObject) {
  const displayName = String(getKey(data, 'displayName'));
  return {
    display_name: displayName,
    display_name_key: foldedOrNull(displayName),
    external_id: stringOrNull(getKey(data, 'externalId')),
    data: JSON.stringify(data),
  };
}

/** A member is shown by its displayName, else its userName (as membersOf and the events show it). */
const MEMBER_DISPLAY = `COALESCE(json_extract(u.data, '$."displayName"'), u.user_name)`;

/** A member page's position: the user_seq of the last member it returned. */
function userSeqOf(position: ListPosition): number {
  const [seq] = position;
  if (position.length !== 1 || typeof seq !== 'number' || !Number.isSafeInteger(seq)) throw new InvalidPosition('a position in a member list is one insertion sequence');
  return seq;
}


/** Member totals by (tenant, group id, group version): see remembered-totals.ts. */
const memberTotals = perDatabase(() => new RememberedTotals());

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
  // A soft-deleted user's membership is hidden, not gone: a client that cannot see it cannot
  // remove it (a PUT of the member list, a remove of all members), and restore brings it back.
  liveUser: db.prepare('SELECT seq, user_name FROM users WHERE tenant_id = @tenant AND id = @id AND deleted_at IS NULL'),
  addMember: db.prepare('INSERT OR IGNORE INTO memberships (tenant_id, group_seq, user_seq) VALUES (@tenant, @seq, @userSeq)'),
  removeMember: db.prepare('DELETE FROM memberships WHERE tenant_id = @tenant AND group_seq = @seq AND user_seq = @userSeq'),
  // Correlated, so it reads the group's members only (an IN over live users would list the tenant's).
  removeAllMembers: db.prepare(`DELETE FROM memberships WHERE tenant_id = @tenant AND group_seq = @seq
    AND EXISTS (SELECT 1 FROM users u WHERE u.seq = memberships.user_seq AND u.deleted_at IS NULL)
    RETURNING (SELECT json_array(u.id, u.user_name) FROM users u WHERE u.seq = memberships.user_seq) AS member`).pluck(),
  groupVersion: db.prepare('SELECT seq, version FROM groups WHERE tenant_id = @tenant AND id = @id'),
  // Member pages walk the memberships primary key (tenant_id, group_seq, user_seq) in user_seq
  // order and visit only the users of the page (and those skipped by an offset), never the group.
  membersAfter: db.prepare(`SELECT m.user_seq AS seq, u.id, ${MEMBER_DISPLAY} AS display FROM memberships m
    JOIN users u ON u.seq = m.user_seq AND u.deleted_at IS NULL
    WHERE m.tenant_id = @tenant AND m.group_seq = @group AND m.user_seq > @after ORDER BY m.user_seq LIMIT @limit`),
  membersAt: db.prepare(`SELECT m.user_seq AS seq, u.id, ${MEMBER_DISPLAY} AS display FROM memberships m
    JOIN users u ON u.seq = m.user_seq AND u.deleted_at IS NULL
    WHERE m.tenant_id = @tenant AND m.group_seq = @group ORDER BY m.user_seq LIMIT @limit OFFSET @offset`),
  // The group's memberships, counted on the primary key alone, less those of soft-deleted users,
  // found from the partial index on deleted users: no live user's row is read.
  memberCount: db.prepare(`SELECT (SELECT count(*) FROM memberships WHERE tenant_id = @tenant AND group_seq = @group)
    - (SELECT count(*) FROM users d JOIN memberships dm ON dm.tenant_id = d.tenant_id AND dm.group_seq = @group AND dm.user_seq = d.seq
       WHERE d.deleted_at IS NOT NULL AND d.tenant_id = @tenant)`).pluck(),
}));

/**
 * The groups of one tenant and their memberships. A membership is one row (group_seq,
 * user_seq): adding or removing a member is one INSERT OR IGNORE / DELETE, whatever the group's
 * size, and two concurrent changes to one group cannot lose each other's members.
 * `listBudgetMs`: how long a filtered or sorted list may run (list-page.ts).
 */
export function sqliteGroups(db: Db, tenant: string, record: RecordChange, listBudgetMs = LIST_BUDGET_MS): GroupStore {
  const s = statementsOf(db);
  const budget = queryBudget(db);
  const byId = (id: string) => s.byId.get({ tenant, id }) as ResourceRow | undefined;
  const totals = memberTotals(db);
  // Keyed by the group's id, never its seq: SQLite gives a deleted group's seq to the next group
  // created, whose version 1 would then recall the deleted group's total.
  const memberTotal = (groupId: string, group: number, version: number) => {
    const key = `${tenant}\u0000${groupId}\u0000${version}`;
    return totals.recall(key) ?? totals.remember(key, s.memberCount.get({ tenant, group }) as number);
  };
  const liveUser = (id: string) => s.liveUser.get({ tenant, id }) as { seq: number; user_name: string } | undefined;

  /** Applies one change, noting in `diff` each membership it actually added or removed. */
  const applyChange = (seq: number, change: MemberChange, diff: MemberDiff) => {
    if (change.op === 'removeAll') {
      for (const member of s.removeAllMembers.all({ tenant, seq }) as string[]) {
        const [id, userName] = JSON.parse(member) as [string, string];
        diff.removed({ id, userName });
      }
      return;
    }
    const unknown: string[] = [];
    for (const id of change.ids) {
      const user = liveUser(id);
      if (!user) {
        if (change.op === 'add') unknown.push(id);
        continue;
      }
      const statement = change.op === 'add' ? s.addMember : s.removeMember;
      if (statement.run({ tenant, seq, userSeq: user.seq }).changes === 0) continue;
      if (change.op === 'add') diff.added({ id, userName: user.user_name });
      else diff.removed({ id, userName: user.user_name });
    }
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
        writeGroupPermissions(db, tenant, Number(lastInsertRowid), data);
        const diff = new MemberDiff();
        applyChange(Number(lastInsertRowid), { op: 'add', ids: memberIds }, diff);
        const created = toResource(byId(id)!);
        record({ of: 'group', kind: 'created', after: created, added: diff.addedMembers() }, now);
        return created;
      }).immediate());
    },

    async get(id) {
      const row = byId(id);
      return row ? toResource(row) : undefined;
    },

    async update(id, expected, write: GroupWrite) {
      return uniqueDisplayName(write.data, () => conditional(id, expected, (row): StoredGroup => {
        const diff = new MemberDiff();
        for (const change of write.memberChanges ?? []) applyChange(row.seq, change, diff);
        const now = new Date().toISOString();
        const updated = toResource((write.data ? s.update.get({ tenant, seq: row.seq, now, ...promoted(write.data) }) : s.touch.get({ tenant, seq: row.seq, now })) as ResourceRow);
        if (write.data) writeGroupPermissions(db, tenant, row.seq, write.data);
        record({ of: 'group', kind: 'updated', before: toResource(row), after: updated, added: diff.addedMembers(), removed: diff.removedMembers() }, now);
        return updated;
      }));
    },

    async delete(id, expected) {
      return conditional(id, expected, (row) => {
        s.delete.run({ tenant, seq: row.seq });
        record({ of: 'group', kind: 'deleted', before: toResource(row) }, new Date().toISOString());
        return null;
      });
    },

    async list(query: ListQuery): Promise<Page<StoredGroup>> {
      return listPage({ statements: s.lists, budget, budgetMs: listBudgetMs, table: 'groups', tenant, scope: groupScope, toItem: toResource, visible: '1' }, query);
    },

    /** One row more than asked tells whether another page follows. */
    async membersPage(groupId, query) {
      const row = s.groupVersion.get({ tenant, id: groupId }) as { seq: number; version: number } | undefined;
      if (!row) return undefined;
      const group = row.seq;
      const total = memberTotal(groupId, group, row.version);
      if (query.limit === 0) return { total, items: [] };
      const rows = (query.after
        ? s.membersAfter.all({ tenant, group, after: userSeqOf(query.after), limit: query.limit + 1 })
        : s.membersAt.all({ tenant, group, offset: query.offset, limit: query.limit + 1 })) as { seq: number; id: string; display: string | null }[];
      const page = rows.slice(0, query.limit);
      const items = page.map((member) => ({ id: member.id, ...(member.display ? { display: member.display } : {}) }));
      return { total, items, ...(rows.length > query.limit ? { next: [page[page.length - 1].seq] } : {}) };
    },

    async membersOf(groupIds) {
      const result = new Map<string, MemberRef[]>(groupIds.map((id) => [id, []]));
      for (const ids of chunks(groupIds)) {
        const rows = s.lists.get(`SELECT g.id AS group_id, u.id, ${MEMBER_DISPLAY} AS display
          FROM groups g JOIN memberships m ON m.tenant_id = g.tenant_id AND m.group_seq = g.seq JOIN users u ON u.seq = m.user_seq AND u.deleted_at IS NULL
          WHERE g.tenant_id = @tenant AND g.id IN (${ids.map(() => '?').join(',')}) ORDER BY m.group_seq, m.user_seq`).all(...ids, { tenant }) as { group_id: string; id: string; display: string | null }[];
        for (const row of rows) result.get(row.group_id)!.push({ id: row.id, ...(row.display ? { display: row.display } : {}) });
      }
      return result;
    },
  };
}
