import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TENANT_ID } from '../../../src/store/port';
import { migrations } from '../../../src/store/sqlite/migrations';
import { openDatabase } from '../../../src/store/sqlite/open-database';
import { openSqliteStore } from '../../../src/store/sqlite/sqlite-store';
import { journal } from '../../support/journal';

/**
 * Migration 5 (tenants-migration.ts) on a database file written by the schema before it: every
 * row survives, in `default`, with its memberships and emails; bootstrap tokens become operator
 * tokens. The old file is made with the old migrations and filled through SQL, as that version
 * of Roster would have left it.
 */
const TENANTS_MIGRATION = 4;
const T0 = '2024-05-01T10:00:00.000Z';

function writeOldDatabase(file: string, dangling = false): void {
  const db = new Database(file);
  for (const migration of migrations.slice(0, TENANTS_MIGRATION)) db.exec(migration);
  db.pragma(`user_version = ${TENANTS_MIGRATION}`);
  const user = db.prepare(`INSERT INTO users (seq, id, user_name, user_name_key, external_id, display_name_key, active, created, last_modified, version, password_hash, data, deleted_at, last_deleted_at)
    VALUES (?, ?, ?, lower(?), ?, ?, 1, '${T0}', '${T0}', 1, ?, ?, ?, ?)`);
  user.run(1, 'u-alice', 'Alice', 'Alice', 'ext-a', 'alice a', 'hash-a', '{"userName":"Alice","displayName":"Alice A"}', null, null);
  user.run(2, 'u-bob', 'bob', 'bob', null, null, null, '{"userName":"bob"}', null, null);
  user.run(3, 'u-gone', 'gone', 'gone', null, null, null, '{"userName":"gone"}', T0, T0);
  const email = db.prepare('INSERT INTO user_emails (user_seq, value_key, type_key, is_primary, element) VALUES (?, ?, ?, ?, ?)');
  email.run(1, 'alice@work.example', 'work', 1, '{"value":"alice@work.example","type":"work","primary":true}');
  email.run(1, 'alice@home.example', 'home', 0, '{"value":"alice@home.example","type":"home"}');
  email.run(3, 'gone@example.com', null, 0, '{"value":"gone@example.com"}');
  const group = db.prepare(`INSERT INTO groups (seq, id, display_name, display_name_key, external_id, created, last_modified, version, data) VALUES (?, ?, ?, lower(?), NULL, '${T0}', '${T0}', 3, ?)`);
  group.run(1, 'g-eng', 'Engineering', 'Engineering', '{"displayName":"Engineering"}');
  group.run(2, 'g-ops', 'Ops', 'Ops', '{"displayName":"Ops"}');
  const member = db.prepare('INSERT INTO memberships (group_seq, user_seq) VALUES (?, ?)');
  member.run(1, 1);
  member.run(1, 3);
  member.run(2, 2);
  const token = db.prepare(`INSERT INTO tokens (id, name, hash, created, expires, last_used, revoked, user_id, bootstrap) VALUES (?, ?, ?, '${T0}', NULL, NULL, ?, ?, ?)`);
  token.run('t-boot', 'bootstrap', 'h-boot', null, null, 1);
  token.run('t-okta', 'okta', 'h-okta', null, null, 0);
  token.run('t-alice', 'laptop', 'h-alice', null, 'u-alice', 0);
  token.run('t-old', 'old', 'h-old', T0, null, 0);
  if (dangling) {
    db.pragma('foreign_keys = OFF');
    member.run(2, 99);
  }
  db.close();
}

describe('the tenants migration, on a database written by the previous version', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'roster-migrate-'));
    file = join(dir, 'roster.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const rows = (db: Database.Database, sql: string) => db.prepare(sql).all();

  it('moves every user, email, group, membership and service or user token into default, row for row', () => {
    writeOldDatabase(file);
    const db = openDatabase(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
      expect(rows(db, 'SELECT id, name, settings, deleting FROM tenants')).toEqual([{ id: DEFAULT_TENANT_ID, name: 'Default', settings: '{}', deleting: null }]);
      expect(rows(db, 'SELECT seq, tenant_id, id, user_name, user_name_key, external_id, password_hash, deleted_at, last_deleted_at FROM users ORDER BY seq')).toEqual([
        { seq: 1, tenant_id: 'default', id: 'u-alice', user_name: 'Alice', user_name_key: 'alice', external_id: 'ext-a', password_hash: 'hash-a', deleted_at: null, last_deleted_at: null },
        { seq: 2, tenant_id: 'default', id: 'u-bob', user_name: 'bob', user_name_key: 'bob', external_id: null, password_hash: null, deleted_at: null, last_deleted_at: null },
        { seq: 3, tenant_id: 'default', id: 'u-gone', user_name: 'gone', user_name_key: 'gone', external_id: null, password_hash: null, deleted_at: T0, last_deleted_at: T0 },
      ]);
      expect(rows(db, 'SELECT e.tenant_id, u.id, e.value_key, e.is_primary FROM user_emails e JOIN users u ON u.seq = e.user_seq ORDER BY e.rowid')).toEqual([
        { tenant_id: 'default', id: 'u-alice', value_key: 'alice@work.example', is_primary: 1 },
        { tenant_id: 'default', id: 'u-alice', value_key: 'alice@home.example', is_primary: 0 },
        { tenant_id: 'default', id: 'u-gone', value_key: 'gone@example.com', is_primary: 0 },
      ]);
      expect(rows(db, 'SELECT tenant_id, id, display_name, version FROM groups ORDER BY seq')).toEqual([
        { tenant_id: 'default', id: 'g-eng', display_name: 'Engineering', version: 3 },
        { tenant_id: 'default', id: 'g-ops', display_name: 'Ops', version: 3 },
      ]);
      expect(rows(db, 'SELECT m.tenant_id, g.id AS group_id, u.id AS user_id FROM memberships m JOIN groups g ON g.seq = m.group_seq JOIN users u ON u.seq = m.user_seq ORDER BY g.seq, u.seq')).toEqual([
        { tenant_id: 'default', group_id: 'g-eng', user_id: 'u-alice' },
        { tenant_id: 'default', group_id: 'g-eng', user_id: 'u-gone' },
        { tenant_id: 'default', group_id: 'g-ops', user_id: 'u-bob' },
      ]);
      expect(rows(db, 'SELECT id, tenant_id, user_id, revoked, bootstrap FROM tokens ORDER BY id')).toEqual([
        { id: 't-alice', tenant_id: 'default', user_id: 'u-alice', revoked: null, bootstrap: 0 },
        { id: 't-boot', tenant_id: null, user_id: null, revoked: null, bootstrap: 1 },
        { id: 't-okta', tenant_id: 'default', user_id: null, revoked: null, bootstrap: 0 },
        { id: 't-old', tenant_id: 'default', user_id: null, revoked: T0, bootstrap: 0 },
      ]);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('leaves a store that serves the old data in default, and bootstrap tokens as operator tokens', async () => {
    writeOldDatabase(file);
    const store = openSqliteStore(file);
    try {
      const tenant = store.tenant(DEFAULT_TENANT_ID, journal);
      expect((await tenant.users.get('u-alice'))).toMatchObject({ passwordHash: 'hash-a', data: { userName: 'Alice' } });
      expect((await tenant.users.list({ offset: 0, limit: 10 })).items.map((u) => u.id)).toEqual(['u-alice', 'u-bob']);
      expect((await tenant.groups.membersOf(['g-eng'])).get('g-eng')).toEqual([{ id: 'u-alice', display: 'Alice A' }]);
      expect((await tenant.users.restore({ id: 'u-gone' }))?.id).toBe('u-gone');
      expect((await tenant.groups.membersOf(['g-eng'])).get('g-eng')!.map((m) => m.id)).toEqual(['u-alice', 'u-gone']);
      expect(await store.credentials.findByHash('h-boot')).toEqual({ id: 't-boot', name: 'bootstrap', hash: 'h-boot', created: T0, bootstrap: true });
      expect(await store.credentials.findByHash('h-alice')).toMatchObject({ tenantId: DEFAULT_TENANT_ID, userId: 'u-alice' });
      expect((await store.operators.list()).map((t) => t.id)).toEqual(['t-boot']);
      expect((await tenant.tokens.list()).map((t) => t.id)).toEqual(['t-okta', 't-old']);
      expect(await store.tenants.list(0, 10)).toMatchObject({ total: 1, items: [{ id: DEFAULT_TENANT_ID, name: 'Default', settings: {} }] });
    } finally {
      await store.close();
    }
  });

  it('refuses a file whose old rows break a foreign key, changing nothing', () => {
    writeOldDatabase(file, true);
    expect(() => openDatabase(file)).toThrow('Migration 5 would leave 1 row(s) of memberships without their users; nothing was changed');
    const db = new Database(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(TENANTS_MIGRATION);
      expect(rows(db, "SELECT name FROM sqlite_master WHERE name = 'tenants'")).toEqual([]);
      expect(rows(db, 'SELECT count(*) AS n FROM memberships')).toEqual([{ n: 4 }]);
    } finally {
      db.close();
    }
  });
});
