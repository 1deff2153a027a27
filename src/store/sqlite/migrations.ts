import { activityMigration } from './activity-migration';
import { accountColumnsMigration } from './account-columns-migration';
import { clientsMigration } from './clients-migration';
import { countsMigration } from './counts-migration';
import { eventsMigration } from './events-migration';
import { permissionsMigration } from './permissions-migration';
import { searchMigration } from './search-migration';
import { tenantsMigration } from './tenants-migration';

/**
 * The embedded store's schema, as numbered migrations applied in order at start-up
 * (PRAGMA user_version records how far a database file has come).
 *
 * Resources keep their SCIM attributes as one JSON document (`data`) and promote the attributes
 * that identity providers filter and sort on into indexed columns. `seq` is the insertion order:
 * the stable default order of lists and the key of memberships.
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE users (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    user_name TEXT NOT NULL,
    user_name_key TEXT NOT NULL UNIQUE,
    external_id TEXT,
    display_name_key TEXT,
    active INTEGER,
    created TEXT NOT NULL,
    last_modified TEXT NOT NULL,
    version INTEGER NOT NULL,
    password_hash TEXT,
    data TEXT NOT NULL
  );
  CREATE INDEX users_external_id ON users (external_id);
  CREATE INDEX users_display_name_key ON users (display_name_key);
  CREATE INDEX users_last_modified ON users (last_modified);

  CREATE TABLE user_emails (
    user_seq INTEGER NOT NULL REFERENCES users (seq) ON DELETE CASCADE,
    value_key TEXT,
    type_key TEXT,
    is_primary INTEGER NOT NULL,
    element TEXT NOT NULL
  );
  CREATE INDEX user_emails_value_key ON user_emails (value_key, user_seq);
  CREATE INDEX user_emails_user ON user_emails (user_seq);

  CREATE TABLE groups (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    display_name_key TEXT NOT NULL UNIQUE,
    external_id TEXT,
    created TEXT NOT NULL,
    last_modified TEXT NOT NULL,
    version INTEGER NOT NULL,
    data TEXT NOT NULL
  );
  CREATE INDEX groups_external_id ON groups (external_id);
  CREATE INDEX groups_last_modified ON groups (last_modified);

  CREATE TABLE memberships (
    group_seq INTEGER NOT NULL REFERENCES groups (seq) ON DELETE CASCADE,
    user_seq INTEGER NOT NULL REFERENCES users (seq) ON DELETE CASCADE,
    PRIMARY KEY (group_seq, user_seq)
  ) WITHOUT ROWID;
  CREATE INDEX memberships_user ON memberships (user_seq, group_seq);

  CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL,
    expires TEXT,
    last_used TEXT,
    revoked TEXT
  );
  `,
  // Soft delete: a deleted user keeps its row, data and memberships (and so its userName) until purged.
  // User-bound API tokens.
  `
  ALTER TABLE users ADD COLUMN deleted_at TEXT;
  CREATE INDEX users_deleted_at ON users (deleted_at);
  ALTER TABLE tokens ADD COLUMN user_id TEXT;
  CREATE INDEX tokens_user ON tokens (user_id);
  `,
  // Live users are nearly all users: a partial index on the live userNames serves the common sorted
  // list without visiting deleted rows or the table, and the purge sweep gets its own small index
  // over deleted users only (a full index on deleted_at misled the planner into sorting every row).
  `
  DROP INDEX users_deleted_at;
  CREATE INDEX users_deleted ON users (deleted_at) WHERE deleted_at IS NOT NULL;
  CREATE INDEX users_live_user_name ON users (user_name_key) WHERE deleted_at IS NULL;
  `,
  // Revoked, not suspended: a soft delete records its time in last_deleted_at, which a restore
  // keeps, so tokens issued before it never work again (users deleted now count as deleted now).
  // The bootstrap token is flagged; before the flag it was the service token named "bootstrap".
  `
  ALTER TABLE users ADD COLUMN last_deleted_at TEXT;
  UPDATE users SET last_deleted_at = deleted_at WHERE deleted_at IS NOT NULL;
  ALTER TABLE tokens ADD COLUMN bootstrap INTEGER NOT NULL DEFAULT 0;
  UPDATE tokens SET bootstrap = 1 WHERE name = 'bootstrap' AND user_id IS NULL;
  `,
  // Tenants: every row belongs to one, existing data to `default` (tenants-migration.ts).
  tenantsMigration,
  // Change events, webhooks and deliveries (events-migration.ts).
  eventsMigration,
  clientsMigration,
  permissionsMigration,
  // Exact live counts per tenant, kept by triggers in every write's transaction (counts-migration.ts).
  countsMigration,
  // Substring search (co, sw, ew) served by a trigram index (search-migration.ts).
  searchMigration,
  // The failed-request log and the hourly activity counts, kept by triggers (activity-migration.ts).
  activityMigration,
  // Account status and type as indexed columns, for the console's filters (account-columns-migration.ts).
  accountColumnsMigration,
];
