/**
 * Migration 5: tenants. Every resource row gets a tenant_id, existing data moves into the
 * built-in tenant `default`, and every unique and hot index leads with tenant_id.
 *
 * The column-level UNIQUE constraints of users and groups (id, user_name_key, display_name_key)
 * cannot be dropped in SQLite, so every table is rebuilt with SQLite's documented procedure
 * (https://www.sqlite.org/lang_altertable.html#otheralter): create the new table, copy, drop the
 * old one, rename. openDatabase runs it with foreign_keys OFF (a DROP TABLE would otherwise
 * delete the memberships and emails of every user) and checks the keys before it commits.
 *
 * Memberships and emails carry the tenant too, and reference their user and group by
 * (tenant_id, seq): the database itself refuses a membership between two tenants, and erasing a
 * tenant can delete each table's rows by an index that leads with it.
 *
 * Kept global: tokens.hash (a request's token is found by its hash before its tenant is known;
 * a secret is 256 random bits) and the token id, its primary key. Bootstrap tokens become
 * operator tokens (tenant_id NULL), every other token belongs to `default`.
 */
export const tenantsMigration = `
  CREATE TABLE tenants (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created TEXT NOT NULL,
    last_modified TEXT NOT NULL,
    settings TEXT NOT NULL DEFAULT '{}',
    deleting TEXT
  );
  INSERT INTO tenants (id, name, created, last_modified)
    VALUES ('default', 'Default', strftime('%Y-%m-%dT%H:%M:%fZ'), strftime('%Y-%m-%dT%H:%M:%fZ'));

  CREATE TABLE new_users (
    seq INTEGER PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    id TEXT NOT NULL,
    user_name TEXT NOT NULL,
    user_name_key TEXT NOT NULL,
    external_id TEXT,
    display_name_key TEXT,
    active INTEGER,
    created TEXT NOT NULL,
    last_modified TEXT NOT NULL,
    version INTEGER NOT NULL,
    password_hash TEXT,
    data TEXT NOT NULL,
    deleted_at TEXT,
    last_deleted_at TEXT
  );
  INSERT INTO new_users (seq, tenant_id, id, user_name, user_name_key, external_id, display_name_key, active, created, last_modified, version, password_hash, data, deleted_at, last_deleted_at)
    SELECT seq, 'default', id, user_name, user_name_key, external_id, display_name_key, active, created, last_modified, version, password_hash, data, deleted_at, last_deleted_at FROM users;

  CREATE TABLE new_groups (
    seq INTEGER PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (id),
    id TEXT NOT NULL,
    display_name TEXT NOT NULL,
    display_name_key TEXT NOT NULL,
    external_id TEXT,
    created TEXT NOT NULL,
    last_modified TEXT NOT NULL,
    version INTEGER NOT NULL,
    data TEXT NOT NULL
  );
  INSERT INTO new_groups (seq, tenant_id, id, display_name, display_name_key, external_id, created, last_modified, version, data)
    SELECT seq, 'default', id, display_name, display_name_key, external_id, created, last_modified, version, data FROM groups;

  CREATE TABLE new_user_emails (
    tenant_id TEXT NOT NULL,
    user_seq INTEGER NOT NULL,
    value_key TEXT,
    type_key TEXT,
    is_primary INTEGER NOT NULL,
    element TEXT NOT NULL,
    FOREIGN KEY (tenant_id, user_seq) REFERENCES users (tenant_id, seq) ON DELETE CASCADE
  );
  INSERT INTO new_user_emails (rowid, tenant_id, user_seq, value_key, type_key, is_primary, element)
    SELECT rowid, 'default', user_seq, value_key, type_key, is_primary, element FROM user_emails;

  CREATE TABLE new_memberships (
    tenant_id TEXT NOT NULL,
    group_seq INTEGER NOT NULL,
    user_seq INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, group_seq, user_seq),
    FOREIGN KEY (tenant_id, group_seq) REFERENCES groups (tenant_id, seq) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_seq) REFERENCES users (tenant_id, seq) ON DELETE CASCADE
  ) WITHOUT ROWID;
  INSERT INTO new_memberships (tenant_id, group_seq, user_seq) SELECT 'default', group_seq, user_seq FROM memberships;

  CREATE TABLE new_tokens (
    id TEXT PRIMARY KEY,
    tenant_id TEXT REFERENCES tenants (id),
    name TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL,
    expires TEXT,
    last_used TEXT,
    revoked TEXT,
    user_id TEXT,
    bootstrap INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT operator_token_unbound CHECK (tenant_id IS NOT NULL OR user_id IS NULL)
  );
  INSERT INTO new_tokens (id, tenant_id, name, hash, created, expires, last_used, revoked, user_id, bootstrap)
    SELECT id, CASE WHEN bootstrap = 1 THEN NULL ELSE 'default' END, name, hash, created, expires, last_used, revoked, user_id, bootstrap FROM tokens;

  DROP TABLE memberships;
  DROP TABLE user_emails;
  DROP TABLE tokens;
  DROP TABLE users;
  DROP TABLE groups;
  ALTER TABLE new_users RENAME TO users;
  ALTER TABLE new_groups RENAME TO groups;
  ALTER TABLE new_user_emails RENAME TO user_emails;
  ALTER TABLE new_memberships RENAME TO memberships;
  ALTER TABLE new_tokens RENAME TO tokens;

  -- (tenant_id, seq): the key memberships and emails reference, and a tenant's rows in list order.
  CREATE UNIQUE INDEX users_tenant_seq ON users (tenant_id, seq);
  CREATE UNIQUE INDEX users_tenant_id ON users (tenant_id, id);
  CREATE UNIQUE INDEX users_tenant_user_name ON users (tenant_id, user_name_key);
  CREATE INDEX users_tenant_external_id ON users (tenant_id, external_id);
  CREATE INDEX users_tenant_display_name ON users (tenant_id, display_name_key);
  CREATE INDEX users_tenant_last_modified ON users (tenant_id, last_modified);
  -- Live users are nearly all users: these serve a tenant's count, its default order and its
  -- userName order without visiting deleted rows or the table; the purge sweep reads the deleted.
  CREATE INDEX users_tenant_live ON users (tenant_id) WHERE deleted_at IS NULL;
  CREATE INDEX users_tenant_live_user_name ON users (tenant_id, user_name_key) WHERE deleted_at IS NULL;
  CREATE INDEX users_tenant_deleted ON users (tenant_id, deleted_at) WHERE deleted_at IS NOT NULL;

  CREATE UNIQUE INDEX groups_tenant_seq ON groups (tenant_id, seq);
  CREATE UNIQUE INDEX groups_tenant_id ON groups (tenant_id, id);
  CREATE UNIQUE INDEX groups_tenant_display_name ON groups (tenant_id, display_name_key);
  CREATE INDEX groups_tenant_external_id ON groups (tenant_id, external_id);
  CREATE INDEX groups_tenant_last_modified ON groups (tenant_id, last_modified);

  CREATE INDEX user_emails_tenant_value ON user_emails (tenant_id, value_key, user_seq);
  CREATE INDEX user_emails_user ON user_emails (tenant_id, user_seq);

  CREATE INDEX memberships_user ON memberships (tenant_id, user_seq, group_seq);

  CREATE INDEX tokens_tenant_user ON tokens (tenant_id, user_id);
`;
