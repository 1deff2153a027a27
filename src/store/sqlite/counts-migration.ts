/**
 * Migration 9: exact resource counts kept with the rows (issue 13). An unfiltered list answers
 * `totalResults` from here instead of counting every live user of the tenant (58 of the 64 ms of
 * a page at 1,000,000 users).
 *
 * One row per (tenant, kind): `users` (live: deleted_at IS NULL), `deleted_users` and `groups`.
 * TRIGGERs keep them, so every statement that adds, removes, soft-deletes or restores a row
 * (create, bulk, delete, restore, purge, tenant erase, and any write added later) moves its count
 * in its own transaction and none can forget to. A row may sit at 0; deleting the tenant's row
 * in `tenants` deletes its counts, so an erased tenant leaves nothing behind.
 *
 * Partial indexes over live users for the orders a list is commonly sorted in, so an offset page
 * finds its seqs by walking index entries alone (list-page.ts) and a sorted page never sorts the
 * tenant: the default order and userName had theirs (users_tenant_live, users_tenant_live_user_name);
 * displayName (nullable: it sorts by `display_name_key IS NULL` first, which the index holds as an
 * expression) and meta.lastModified get one. Groups are served by their full indexes already.
 *
 * `user_blocks`: the live users of each block of 1,024 consecutive seqs (block = seq >> 10), kept
 * by the same kind of triggers. An offset page in the default order (how Okta and Entra page)
 * finds the block holding its first row by summing these counts (about 1,000 rows at 1,000,000
 * users) and skips only within that block (offset-start.ts): a deep page costs about what the
 * first does, instead of walking every index entry before it.
 */
const bump = (kind: string, tenant: string, by: '+' | '-') => by === '+'
  ? `INSERT INTO resource_counts (tenant_id, kind, n) VALUES (${tenant}, ${kind}, 1)
       ON CONFLICT (tenant_id, kind) DO UPDATE SET n = n + 1;`
  : `UPDATE resource_counts SET n = n - 1 WHERE tenant_id = ${tenant} AND kind = ${kind};`;

/** The counted kind of a users row: live or soft-deleted. */
const userKind = (row: 'NEW' | 'OLD') => `CASE WHEN ${row}.deleted_at IS NULL THEN 'users' ELSE 'deleted_users' END`;

export const countsMigration = `
  CREATE TABLE resource_counts (
    tenant_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('users', 'deleted_users', 'groups')),
    n INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, kind)
  ) WITHOUT ROWID;

  INSERT INTO resource_counts (tenant_id, kind, n)
    SELECT tenant_id, CASE WHEN deleted_at IS NULL THEN 'users' ELSE 'deleted_users' END, count(*) FROM users GROUP BY 1, 2;
  INSERT INTO resource_counts (tenant_id, kind, n)
    SELECT tenant_id, 'groups', count(*) FROM groups GROUP BY 1;

  CREATE TRIGGER users_counted_insert AFTER INSERT ON users BEGIN
    ${bump(userKind('NEW'), 'NEW.tenant_id', '+')}
  END;
  CREATE TRIGGER users_counted_delete AFTER DELETE ON users BEGIN
    ${bump(userKind('OLD'), 'OLD.tenant_id', '-')}
  END;
  CREATE TRIGGER users_counted_update AFTER UPDATE OF deleted_at, tenant_id ON users
    WHEN (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) OR OLD.tenant_id <> NEW.tenant_id BEGIN
    ${bump(userKind('OLD'), 'OLD.tenant_id', '-')}
    ${bump(userKind('NEW'), 'NEW.tenant_id', '+')}
  END;
  CREATE TRIGGER groups_counted_insert AFTER INSERT ON groups BEGIN
    ${bump("'groups'", 'NEW.tenant_id', '+')}
  END;
  CREATE TRIGGER groups_counted_delete AFTER DELETE ON groups BEGIN
    ${bump("'groups'", 'OLD.tenant_id', '-')}
  END;
  CREATE TRIGGER tenants_counts_erased AFTER DELETE ON tenants BEGIN
    DELETE FROM resource_counts WHERE tenant_id = OLD.id;
    DELETE FROM user_blocks WHERE tenant_id = OLD.id;
  END;

  CREATE TABLE user_blocks (
    tenant_id TEXT NOT NULL,
    block INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, block)
  ) WITHOUT ROWID;
  INSERT INTO user_blocks (tenant_id, block, n)
    SELECT tenant_id, seq >> 10, count(*) FROM users WHERE deleted_at IS NULL GROUP BY 1, 2;
  CREATE TRIGGER users_blocks_insert AFTER INSERT ON users WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO user_blocks (tenant_id, block, n) VALUES (NEW.tenant_id, NEW.seq >> 10, 1)
      ON CONFLICT (tenant_id, block) DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER users_blocks_delete AFTER DELETE ON users WHEN OLD.deleted_at IS NULL BEGIN
    UPDATE user_blocks SET n = n - 1 WHERE tenant_id = OLD.tenant_id AND block = OLD.seq >> 10;
  END;
  CREATE TRIGGER users_blocks_update AFTER UPDATE OF deleted_at, tenant_id ON users
    WHEN (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) OR OLD.tenant_id <> NEW.tenant_id BEGIN
    UPDATE user_blocks SET n = n - 1 WHERE OLD.deleted_at IS NULL AND tenant_id = OLD.tenant_id AND block = OLD.seq >> 10;
    INSERT INTO user_blocks (tenant_id, block, n) SELECT NEW.tenant_id, NEW.seq >> 10, 1 WHERE NEW.deleted_at IS NULL
      ON CONFLICT (tenant_id, block) DO UPDATE SET n = n + 1;
  END;

  -- UNIQUE (as userName is within a tenant anyway) tells SQLite that the seq tie-break after it
  -- never reorders anything, so a descending userName page walks this index backwards too.
  DROP INDEX users_tenant_live_user_name;
  CREATE UNIQUE INDEX users_tenant_live_user_name ON users (tenant_id, user_name_key) WHERE deleted_at IS NULL;
  CREATE INDEX users_tenant_live_display_name ON users (tenant_id, display_name_key IS NULL, display_name_key) WHERE deleted_at IS NULL;
  CREATE INDEX users_tenant_live_last_modified ON users (tenant_id, last_modified) WHERE deleted_at IS NULL;
`;
