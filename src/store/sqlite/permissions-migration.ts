/**
 * Migration 8: what a filter on effectivePermissions starts from (resource-scopes.ts). A user's
 * effective permissions are its own entitlements' values and the permissions of its groups; both
 * live inside JSON documents, where no index reaches them, so each gets a table of one row per
 * (tenant, permission, owner), written with the user or group in the same transaction
 * (permission-rows.ts):
 *   - group_permissions: `effectivePermissions eq "x"` starts from the groups that grant "x"
 *     (its primary key), then walks their memberships; a page's rendering reads the permissions
 *     of the page's groups (group_permissions_group);
 *   - user_entitlements: the users who hold "x" themselves, by the same kind of key.
 * Values are kept exactly as written: effectivePermissions is caseExact.
 *
 * Each row references its group or user by (tenant_id, seq), as memberships do, so erasing a
 * group or purging a user removes its rows, and the second index lets that cascade find them.
 * Groups and users written before this migration are backfilled from their documents.
 */
export const permissionsMigration = `
  CREATE TABLE group_permissions (
    tenant_id TEXT NOT NULL,
    permission TEXT NOT NULL,
    group_seq INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, permission, group_seq),
    FOREIGN KEY (tenant_id, group_seq) REFERENCES groups (tenant_id, seq) ON DELETE CASCADE
  ) WITHOUT ROWID;
  CREATE INDEX group_permissions_group ON group_permissions (tenant_id, group_seq, permission);

  CREATE TABLE user_entitlements (
    tenant_id TEXT NOT NULL,
    value TEXT NOT NULL,
    user_seq INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, value, user_seq),
    FOREIGN KEY (tenant_id, user_seq) REFERENCES users (tenant_id, seq) ON DELETE CASCADE
  ) WITHOUT ROWID;
  CREATE INDEX user_entitlements_user ON user_entitlements (tenant_id, user_seq, value);

  INSERT OR IGNORE INTO group_permissions (tenant_id, permission, group_seq)
    SELECT g.tenant_id, p.value, g.seq
    FROM groups g, json_each(g.data, '$."urn:ietf:params:scim:schemas:extension:roster:2.0:Group"."permissions"') p
    WHERE p.type = 'text' AND p.value <> '';

  INSERT OR IGNORE INTO user_entitlements (tenant_id, value, user_seq)
    SELECT u.tenant_id, json_extract(e.value, '$."value"'), u.seq
    FROM users u, json_each(u.data, '$."entitlements"') e
    WHERE e.type = 'object' AND json_type(e.value, '$."value"') = 'text' AND json_extract(e.value, '$."value"') <> '';
`;
