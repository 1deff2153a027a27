import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import { parseListRequest } from '../../../src/scim/list/list-request';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { DEFAULT_TENANT_ID, type TenantStore } from '../../../src/store/port';
import { migrations } from '../../../src/store/sqlite/migrations';
import { openDatabase, type Db } from '../../../src/store/sqlite/open-database';
import { permissionsMigration } from '../../../src/store/sqlite/permissions-migration';
import { sqliteTenantStore } from '../../../src/store/sqlite/sqlite-store';
import { sqliteTenants } from '../../../src/store/sqlite/sqlite-tenants';
import { eraseTenantData } from '../../../src/store/sqlite/tenant-erase';
import { journal } from '../../support/journal';
import { statementRecorder } from '../../support/sqlite-plans';

/**
 * effectivePermissions in the SQLite store: group_permissions and user_entitlements (migration 8)
 * kept by every write, the plans of the filter and of a page's rendering, and the backfill of a
 * database written before the migration.
 */
const registry = loadSchemaRegistry();
const GROUP_EXTENSION = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Group';
const userFilter = (text: string) => resolveFilter(registry.user, parseFilter(text));
const withTemp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-permissions-'));
  return { file: join(dir, 'roster.db'), remove: () => rmSync(dir, { recursive: true, force: true }) };
};
const count = (db: Db, table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('effectivePermissions in the SQLite store: query plans', () => {
  const USERS = 300;
  let temp: ReturnType<typeof withTemp>;
  let db: Db;
  const recorder = statementRecorder();
  let acme: TenantStore;
  let userIds: string[];

  beforeAll(async () => {
    temp = withTemp();
    db = openDatabase(temp.file, { verbose: recorder.verbose });
    await sqliteTenants(db).create({ id: 'acme', name: 'Acme', settings: {} }, journal);
    // Two tenants of the same shape, so an index without tenant_id would be as good as any.
    for (const tenant of [DEFAULT_TENANT_ID, 'acme']) {
      const store = sqliteTenantStore(db, tenant, journal);
      const ids: string[] = [];
      for (let i = 0; i < USERS; i++) {
        ids.push((await store.users.create({ data: { userName: `user${i}`, entitlements: [{ value: `own.${i % 10}` }] } })).id);
      }
      for (let g = 0; g < 30; g++) {
        await store.groups.create({ displayName: `Group ${g}`, [GROUP_EXTENSION]: { permissions: [`perm.${g}`, 'shared.read'] } }, ids.slice(g * 10, g * 10 + 50));
      }
      userIds = ids;
    }
    acme = sqliteTenantStore(db, 'acme', journal);
  });
  afterAll(() => {
    db.close();
    temp.remove();
  });

  /** The query plan of every SELECT `run` made, one line per step. */
  const plansOf = (run: () => Promise<unknown>) => recorder.plansOf(db, run);
  const users = (filter: string) => () => acme.users.list({ offset: 0, limit: 10, filter: userFilter(filter) });

  it.each([
    ['eq', 'effectivePermissions eq "perm.7"', ['SEARCH gp USING PRIMARY KEY (tenant_id=? AND permission=?)', 'SEARCH ue USING PRIMARY KEY (tenant_id=? AND value=?)']],
    ['sw', 'effectivePermissions sw "perm."', ['SEARCH gp USING PRIMARY KEY (tenant_id=? AND permission>? AND permission<?)', 'SEARCH ue USING PRIMARY KEY (tenant_id=? AND value>? AND value<?)']],
  ])('starts `%s` from the permission\'s key in both tables, then the granting groups\' memberships', async (_op, filter, steps) => {
    const plans = await plansOf(users(filter));
    for (const step of steps) expect(plans).toContain(step);
    expect(plans).toContain('SEARCH m USING PRIMARY KEY (tenant_id=? AND group_seq=?)');
  });

  it('never scans a table for `eq`, `sw` or a page\'s groups with their permissions: only tenant-leading indexes or row ids', async () => {
    const runs = [users('effectivePermissions eq "perm.7"'), users('effectivePermissions sw "perm." or userName eq "user3"'), () => acme.users.groupsOf(userIds.slice(0, 20))];
    for (const run of runs) {
      const steps = (await plansOf(run)).filter((step) => /^(SCAN|SEARCH) /.test(step));
      expect(steps.length).toBeGreaterThan(0);
      for (const step of steps) {
        expect(step).toMatch(/^SEARCH \w+ USING (COVERING INDEX \w+ \(tenant_id=\?|INDEX \w+ \(tenant_id=\?|PRIMARY KEY \(tenant_id=\?|INTEGER PRIMARY KEY \(rowid=\?\))|^SCAN json_each VIRTUAL TABLE/);
      }
    }
  });

  it('renders a page with two statements, whatever its size: its memberships, then its distinct groups\' permissions by the group index', async () => {
    let groupsOf: Awaited<ReturnType<typeof acme.users.groupsOf>> = new Map();
    const statements = await recorder.statementsOf(async () => { groupsOf = await acme.users.groupsOf(userIds.slice(0, 100)); });
    expect(statements).toHaveLength(2);
    expect(statements[1]).toMatch(/FROM group_permissions/);
    expect(db.prepare(`EXPLAIN QUERY PLAN ${statements[1]}`).all()).toContainEqual(expect.objectContaining({
      detail: 'SEARCH group_permissions USING COVERING INDEX group_permissions_group (tenant_id=? AND group_seq=?)',
    }));
    expect(groupsOf.get(userIds[12])).toEqual([
      { id: expect.any(String), displayName: 'Group 0', permissions: ['perm.0', 'shared.read'] },
      { id: expect.any(String), displayName: 'Group 1', permissions: ['perm.1', 'shared.read'] },
    ]);
  });

  it('answers for the tenant\'s own users (the other tenant has the same permissions)', async () => {
    const page = await acme.users.list({ offset: 0, limit: 500, filter: userFilter('effectivePermissions eq "shared.read"') });
    expect(page.total).toBe(USERS);
    expect((await acme.users.list({ offset: 0, limit: 500, filter: userFilter('effectivePermissions eq "own.3"') })).total).toBe(USERS / 10);
  });
});

describe('effectivePermissions in the SQLite store: the rows follow every write', () => {
  let temp: ReturnType<typeof withTemp>;
  let db: Db;
  let t: TenantStore;

  beforeEach(async () => {
    temp = withTemp();
    db = openDatabase(temp.file);
    await sqliteTenants(db).create({ id: 'acme', name: 'Acme', settings: {} }, journal);
    t = sqliteTenantStore(db, 'acme', journal);
  });
  afterEach(() => {
    db.close();
    temp.remove();
  });

  it('keeps each permission once, drops values that are not permissions, and erases the rows with their group or purged user', async () => {
    const user = await t.users.create({ data: { userName: 'ada', entitlements: [{ value: 'a' }, { value: 'a' }, { value: '' }, { display: 'no value' }] } });
    const group = await t.groups.create({ displayName: 'G', [GROUP_EXTENSION]: { permissions: ['x', 'x', 'y', ''] } }, [user.id]);
    expect(db.prepare('SELECT value FROM user_entitlements').pluck().all()).toEqual(['a']);
    expect(db.prepare('SELECT permission FROM group_permissions ORDER BY permission').pluck().all()).toEqual(['x', 'y']);
    await t.groups.delete(group.id, undefined);
    expect(count(db, 'group_permissions')).toBe(0);
    await t.users.delete(user.id, undefined);
    expect(count(db, 'user_entitlements')).toBe(1);
    await t.users.purgeDeleted(new Date(Date.now() + 1000).toISOString());
    expect(count(db, 'user_entitlements')).toBe(0);
  });

  it('sorts by the least effective permission (the first rendered), users with none last', async () => {
    const names = ['no-perms', 'zed', 'ann', 'mid'];
    const created: Record<string, string> = {};
    for (const name of names) created[name] = (await t.users.create({ data: { userName: name, ...(name === 'zed' ? { entitlements: [{ value: 'z.only' }] } : {}) } })).id;
    await t.groups.create({ displayName: 'A', [GROUP_EXTENSION]: { permissions: ['a.first', 'y.later'] } }, [created.ann]);
    await t.groups.create({ displayName: 'M', [GROUP_EXTENSION]: { permissions: ['m.middle'] } }, [created.mid]);
    const sort = parseListRequest(registry.user, { sortBy: 'effectivePermissions' }, 10).sort;
    const page = await t.users.list({ offset: 0, limit: 10, sort });
    expect(page.items.map((u) => u.data.userName)).toEqual(['ann', 'mid', 'zed', 'no-perms']);
  });

  it('erases a tenant\'s rows with the tenant', async () => {
    const user = await t.users.create({ data: { userName: 'ada', entitlements: [{ value: 'a' }] } });
    await t.groups.create({ displayName: 'G', [GROUP_EXTENSION]: { permissions: ['x'] } }, [user.id]);
    await eraseTenantData(db, 'acme');
    expect([count(db, 'user_entitlements'), count(db, 'group_permissions')]).toEqual([0, 0]);
  });
});

describe('migration 8 on a database written before it', () => {
  const MIGRATION = migrations.indexOf(permissionsMigration);
  let temp: ReturnType<typeof withTemp>;
  beforeEach(() => { temp = withTemp(); });
  afterEach(() => temp.remove());

  it('backfills the permissions of existing groups and the entitlements of existing users', async () => {
    expect(MIGRATION).toBeGreaterThan(0);
    const old = new Database(temp.file);
    // As openDatabase runs migrations: the tenants migration rebuilds tables.
    old.pragma('foreign_keys = OFF');
    for (const migration of migrations.slice(0, MIGRATION)) old.exec(migration);
    old.pragma(`user_version = ${MIGRATION}`);
    const T0 = '2024-05-01T10:00:00.000Z';
    const user = old.prepare(`INSERT INTO users (seq, tenant_id, id, user_name, user_name_key, created, last_modified, version, data) VALUES (?, 'default', ?, ?, ?, '${T0}', '${T0}', 1, ?)`);
    user.run(1, 'u-ada', 'ada', 'ada', JSON.stringify({ userName: 'ada', entitlements: [{ value: 'reports.export' }, { value: 42 }, 'odd'] }));
    user.run(2, 'u-bob', 'bob', 'bob', JSON.stringify({ userName: 'bob' }));
    old.prepare(`INSERT INTO groups (seq, tenant_id, id, display_name, display_name_key, created, last_modified, version, data) VALUES (1, 'default', 'g-fin', 'Finance', 'finance', '${T0}', '${T0}', 1, ?)`)
      .run(JSON.stringify({ displayName: 'Finance', [GROUP_EXTENSION]: { permissions: ['invoices.approve', 'reports.view'] } }));
    old.prepare("INSERT INTO memberships (tenant_id, group_seq, user_seq) VALUES ('default', 1, 2)").run();
    old.close();

    const db = openDatabase(temp.file);
    try {
      const t = sqliteTenantStore(db, DEFAULT_TENANT_ID, journal);
      const names = async (text: string) => (await t.users.list({ offset: 0, limit: 10, filter: userFilter(text) })).items.map((u) => u.data.userName);
      expect(await names('effectivePermissions eq "reports.export"')).toEqual(['ada']);
      expect(await names('effectivePermissions eq "invoices.approve"')).toEqual(['bob']);
      expect((await t.users.groupsOf(['u-bob'])).get('u-bob')).toEqual([{ id: 'g-fin', displayName: 'Finance', permissions: ['invoices.approve', 'reports.view'] }]);
    } finally {
      db.close();
    }
  });
});
