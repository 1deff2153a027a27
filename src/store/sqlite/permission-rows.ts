import { groupPermissions, ownPermissions } from '../../scim/filter/effective-permissions';
import type { JsonObject } from '../../scim/values/json';
import type { Db } from './open-database';
import { perDatabase } from './per-database';

/**
 * The rows of group_permissions and user_entitlements (permissions-migration.ts): the permissions
 * a group grants and a user holds itself, derived from the document on every write, in the
 * write's transaction, so a filter on effectivePermissions never sees them disagree.
 */
const statementsOf = perDatabase((db: Db) => ({
  clearGroup: db.prepare('DELETE FROM group_permissions WHERE tenant_id = @tenant AND group_seq = @seq'),
  grant: db.prepare('INSERT OR IGNORE INTO group_permissions (tenant_id, permission, group_seq) VALUES (@tenant, @value, @seq)'),
  clearUser: db.prepare('DELETE FROM user_entitlements WHERE tenant_id = @tenant AND user_seq = @seq'),
  hold: db.prepare('INSERT OR IGNORE INTO user_entitlements (tenant_id, value, user_seq) VALUES (@tenant, @value, @seq)'),
  // A page's groups are few (distinct across its users), so one look-up by the group index serves them all.
  ofGroups: db.prepare(`SELECT group_seq, permission FROM group_permissions
    WHERE tenant_id = @tenant AND group_seq IN (SELECT value FROM json_each(@seqs)) ORDER BY group_seq, permission`),
}));

/** Rewrites the permissions group `seq` grants from its attributes. */
export function writeGroupPermissions(db: Db, tenant: string, seq: number, data: JsonObject): void {
  const s = statementsOf(db);
  s.clearGroup.run({ tenant, seq });
  for (const value of groupPermissions(data)) s.grant.run({ tenant, seq, value });
}

/** Rewrites the permissions user `seq` holds itself (its entitlements' values) from its attributes. */
export function writeUserEntitlements(db: Db, tenant: string, seq: number, data: JsonObject): void {
  const s = statementsOf(db);
  s.clearUser.run({ tenant, seq });
  for (const value of ownPermissions(data)) s.hold.run({ tenant, seq, value });
}

/** The permissions each of the groups grants (groups granting none are absent), in one query. */
export function permissionsOfGroups(db: Db, tenant: string, groupSeqs: readonly number[]): ReadonlyMap<number, readonly string[]> {
  const result = new Map<number, string[]>();
  if (groupSeqs.length === 0) return result;
  const rows = statementsOf(db).ofGroups.all({ tenant, seqs: JSON.stringify(groupSeqs) }) as { group_seq: number; permission: string }[];
  for (const row of rows) {
    const list = result.get(row.group_seq);
    if (list) list.push(row.permission);
    else result.set(row.group_seq, [row.permission]);
  }
  return result;
}
