import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import type { JsonObject } from '../../../src/scim/values/json';
import { DEFAULT_TENANT_ID, TenantExists, UniquenessViolation, UnknownMembers, type Store, type TenantStore } from '../../../src/store/port';
import { openSqliteStore } from '../../../src/store/sqlite/sqlite-store';
import { journal } from '../../support/journal';

/**
 * Tenancy in the SQLite adapter, where the schema itself holds the line: every row names its
 * tenant, a row of an unknown tenant cannot be written, and a membership joins a group and a
 * user of the same tenant or is refused by the database.
 */
const registry = loadSchemaRegistry();
const NOW = '2025-01-01T00:00:00.000Z';
/**
 * SQLite's refusal, matched by its code: better-sqlite3's native part keeps the error class of the
 * first test file that loaded it, so in later files of the same jest worker its errors are not
 * `instanceof` this file's Error, and `toThrow` would not recognise them.
 */
const FOREIGN_KEY = { code: 'SQLITE_CONSTRAINT_FOREIGNKEY', message: expect.stringContaining('FOREIGN KEY constraint failed') };

describe('SQLite tenants', () => {
  let dir: string;
  let file: string;
  let store: Store;
  /** A second connection, to look at the rows themselves. */
  let raw: Database.Database;
  let acme: TenantStore;
  let home: TenantStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-tenants-'));
    file = join(dir, 'roster.db');
    store = openSqliteStore(file);
    raw = new Database(file);
    await store.tenants.create({ id: 'acme', name: 'Acme', settings: {} }, journal);
    acme = store.tenant('acme', journal);
    home = store.tenant(DEFAULT_TENANT_ID, journal);
  });
  afterEach(async () => {
    raw.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const userData = (userName: string): JsonObject => ({ userName, emails: [{ value: `${userName}@example.com`, primary: true }, { value: `${userName}@home.example` }] });
  const createUser = (tenant: TenantStore, userName: string) => tenant.users.create({ data: userData(userName) });
  const rowsOf = (tenant: string) => Object.fromEntries(['users', 'user_emails', 'groups', 'memberships', 'tokens'].map((table) =>
    [table, (raw.prepare(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = ?`).get(tenant) as { n: number }).n]));

  /** A tenant's population: users with two emails each, groups with members, service and user tokens. */
  const populate = async (tenant: TenantStore, users: number) => {
    const ids: string[] = [];
    for (let i = 0; i < users; i++) ids.push((await createUser(tenant, `user${i}`)).id);
    await tenant.groups.create({ displayName: 'Everyone' }, ids);
    await tenant.groups.create({ displayName: 'Some' }, ids.slice(0, 3));
    await tenant.groups.create({ displayName: 'Nobody' }, []);
    await tenant.tokens.create({ id: `${tenant.tenantId}-svc`, name: 'okta', hash: `${tenant.tenantId}-h-svc`, created: NOW });
    await tenant.tokens.create({ id: `${tenant.tenantId}-u0`, name: 'laptop', hash: `${tenant.tenantId}-h-u0`, created: NOW, userId: ids[0] });
    return ids;
  };

  describe('isolation', () => {
    it('lets two tenants hold the same userName and group displayName, each still unique within its tenant', async () => {
      const [a, b] = [await createUser(acme, 'Same.Name'), await createUser(home, 'same.name')];
      expect(a.id).not.toBe(b.id);
      await acme.groups.create({ displayName: 'Admins' }, [a.id]);
      await home.groups.create({ displayName: 'ADMINS' }, [b.id]);
      await expect(createUser(acme, 'SAME.NAME')).rejects.toBeInstanceOf(UniquenessViolation);
      await expect(home.groups.create({ displayName: 'admins' }, [])).rejects.toMatchObject({ field: 'displayName' });
    });

    it('answers heldByDeleted from the tenant\'s own users only', async () => {
      const gone = await createUser(acme, 'held');
      await acme.users.delete(gone.id, undefined);
      await createUser(home, 'held');
      await expect(createUser(home, 'held')).rejects.toMatchObject({ field: 'userName', heldByDeleted: false });
      await expect(createUser(acme, 'held')).rejects.toMatchObject({ field: 'userName', heldByDeleted: true });
    });

    it('refuses a member id of another tenant as UnknownMembers, in create and update, linking nothing', async () => {
      const stranger = await createUser(home, 'stranger');
      const local = await createUser(acme, 'local');
      await expect(acme.groups.create({ displayName: 'Mixed' }, [local.id, stranger.id])).rejects.toEqual(new UnknownMembers([stranger.id]));
      const group = await acme.groups.create({ displayName: 'Local' }, [local.id]);
      await expect(acme.groups.update(group.id, undefined, { memberChanges: [{ op: 'add', ids: [stranger.id] }] })).rejects.toEqual(new UnknownMembers([stranger.id]));
      expect(raw.prepare('SELECT count(*) AS n FROM groups').get()).toEqual({ n: 1 });
      expect(raw.prepare('SELECT count(*) AS n FROM memberships').get()).toEqual({ n: 1 });
      expect((await acme.groups.membersOf([group.id])).get(group.id)).toEqual([{ id: local.id, display: 'local' }]);
    });

    it('never shows a user of one tenant in a group of another, even by a filter on its id', async () => {
      const stranger = await createUser(home, 'stranger');
      const homeGroup = await home.groups.create({ displayName: 'Home' }, [stranger.id]);
      const group = await acme.groups.create({ displayName: 'Acme' }, []);
      const groupsFilter = (text: string) => ({ offset: 0, limit: 10, filter: resolveFilter(registry.group, parseFilter(text)) });
      expect((await acme.groups.list(groupsFilter(`members.value eq "${stranger.id}"`))).total).toBe(0);
      expect((await acme.groups.membersOf([group.id, homeGroup.id]))).toEqual(new Map([[group.id, []], [homeGroup.id, []]]));
      expect((await acme.users.groupsOf([stranger.id])).get(stranger.id)).toEqual([]);
      expect((await acme.users.list({ offset: 0, limit: 10, filter: resolveFilter(registry.user, parseFilter(`groups.value eq "${homeGroup.id}"`)) })).total).toBe(0);
    });

    it('has the database refuse a membership row between two tenants (the keys name the tenant)', async () => {
      const stranger = await createUser(home, 'stranger');
      await acme.groups.create({ displayName: 'Acme' }, []);
      const userSeq = (raw.prepare('SELECT seq FROM users WHERE id = ?').get(stranger.id) as { seq: number }).seq;
      raw.pragma('foreign_keys = ON');
      const insert = async () => raw.prepare("INSERT INTO memberships (tenant_id, group_seq, user_seq) SELECT 'acme', seq, ? FROM groups").run(userSeq);
      await expect(insert()).rejects.toMatchObject(FOREIGN_KEY);
    });

    it('refuses, in the database, a resource of a tenant that does not exist', async () => {
      await expect(createUser(store.tenant('nowhere', journal), 'ghost')).rejects.toMatchObject(FOREIGN_KEY);
      await expect(store.tenant('nowhere', journal).groups.create({ displayName: 'Ghosts' }, [])).rejects.toMatchObject(FOREIGN_KEY);
      expect(raw.prepare('SELECT count(*) AS n FROM users').get()).toEqual({ n: 0 });
    });

    it('keeps operator tokens out of every tenant and never binds one to a user', async () => {
      await store.operators.create({ id: 'op', name: 'ops', hash: 'h-op', created: NOW });
      await acme.tokens.create({ id: 'svc', name: 'okta', hash: 'h-svc', created: NOW });
      expect((await store.operators.list()).map((t) => t.id)).toEqual(['op']);
      expect((await acme.tokens.list()).map((t) => t.id)).toEqual(['svc']);
      expect(await home.tokens.get('svc')).toBeUndefined();
      expect(await store.operators.get('svc')).toBeUndefined();
      expect(await acme.tokens.revoke('op', NOW)).toBe(false);
      expect(await home.tokens.remove('svc')).toBe(false);
      expect(await store.credentials.findByHash('h-svc')).toMatchObject({ id: 'svc', tenantId: 'acme' });
      expect(await store.credentials.findByHash('h-op')).not.toHaveProperty('tenantId');
      await expect(store.operators.create({ id: 'bound', name: 'x', hash: 'h-bound', created: NOW, userId: 'someone' })).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_CHECK', message: expect.stringContaining('operator_token_unbound') });
    });
  });

  describe('the registry', () => {
    it('starts with default, lists in id order with the total, and refuses a taken id', async () => {
      await store.tenants.create({ id: 'zeta', name: 'Zeta', settings: { maxRoles: 3, retentionInactiveDays: 'off' } }, journal);
      await expect(store.tenants.create({ id: 'acme', name: 'Again', settings: {} }, journal)).rejects.toEqual(new TenantExists('acme'));
      const page = await store.tenants.list(1, 10);
      expect(page.total).toBe(3);
      expect(page.items.map((t) => t.id)).toEqual([DEFAULT_TENANT_ID, 'zeta']);
      expect(page.items[1].settings).toEqual({ maxRoles: 3, retentionInactiveDays: 'off' });
    });

    it('replaces the settings object whole and keeps the name unless given', async () => {
      await store.tenants.update('acme', { settings: { maxRoles: 2, usernameImmutable: true } }, journal);
      const updated = await store.tenants.update('acme', { settings: { retentionDeletedDays: 7 } }, journal);
      expect(updated).toMatchObject({ id: 'acme', name: 'Acme', settings: { retentionDeletedDays: 7 } });
      expect((await store.tenants.update('acme', { name: 'Acme Corp' }, journal))!.settings).toEqual({ retentionDeletedDays: 7 });
      expect(await store.tenants.update('nowhere', { name: 'x' }, journal)).toBeUndefined();
    });

    it('keeps the first time a delete began', async () => {
      expect((await store.tenants.markDeleting('acme', '2025-01-01T00:00:00.000Z'))!.deleting).toBe('2025-01-01T00:00:00.000Z');
      expect((await store.tenants.markDeleting('acme', '2025-02-02T00:00:00.000Z'))!.deleting).toBe('2025-01-01T00:00:00.000Z');
      expect(await store.tenants.markDeleting('nowhere', NOW)).toBeUndefined();
      await expect(store.tenants.create({ id: 'acme', name: 'Again', settings: {} }, journal)).rejects.toBeInstanceOf(TenantExists);
    });

    it('counts users (soft-deleted ones too) and groups, and will not remove a tenant that holds any', async () => {
      const user = await createUser(acme, 'one');
      await createUser(acme, 'two');
      await acme.users.delete(user.id, undefined);
      await acme.groups.create({ displayName: 'G' }, []);
      expect(await store.tenants.contents('acme')).toEqual({ users: 2, groups: 1 });
      await expect(store.tenants.remove('acme')).rejects.toMatchObject(FOREIGN_KEY);
      expect(await store.tenants.get('acme')).toBeDefined();
    });
  });

  describe('eraseData', () => {
    it('removes every row of the tenant, table by table, and not one of another tenant', async () => {
      await populate(home, 5);
      await populate(acme, 5);
      await store.operators.create({ id: 'op', name: 'ops', hash: 'h-op', created: NOW });
      const before = rowsOf(DEFAULT_TENANT_ID);
      expect(rowsOf('acme')).toEqual({ users: 5, user_emails: 10, groups: 3, memberships: 8, tokens: 2 });

      await store.tenants.eraseData('acme');
      expect(rowsOf('acme')).toEqual({ users: 0, user_emails: 0, groups: 0, memberships: 0, tokens: 0 });
      expect(rowsOf(DEFAULT_TENANT_ID)).toEqual(before);
      expect(await store.operators.get('op')).toBeDefined();
      expect(await store.tenants.remove('acme')).toBe(true);
      expect(await store.tenants.remove('acme')).toBe(false);
    });

    it('deletes in batches, yielding between them: other work runs while a large tenant is erased', async () => {
      await populate(acme, 600);
      const erasing = store.tenants.eraseData('acme');
      await new Promise(setImmediate);
      // One batch of 500 at most has run: the tokens (2) and 500 of the 603 memberships.
      expect(rowsOf('acme')).toMatchObject({ tokens: 0, memberships: 103, users: 600 });
      expect((await home.users.list({ offset: 0, limit: 1 })).total).toBe(0);
      await erasing;
      expect(rowsOf('acme')).toEqual({ users: 0, user_emails: 0, groups: 0, memberships: 0, tokens: 0 });
    });

    it('is finished by running it again after it was cut short, and is then a no-op', async () => {
      await populate(acme, 600);
      await populate(home, 3);
      const before = rowsOf(DEFAULT_TENANT_ID);
      const erasing = store.tenants.eraseData('acme');
      await new Promise(setImmediate);
      await new Promise(setImmediate);
      await store.close(); // the process dies mid-way
      await expect(erasing).rejects.toThrow('The database connection is not open');
      const partly = rowsOf('acme');
      expect(partly.memberships + partly.users + partly.user_emails).toBeGreaterThan(0);

      store = openSqliteStore(file);
      await store.tenants.eraseData('acme');
      expect(rowsOf('acme')).toEqual({ users: 0, user_emails: 0, groups: 0, memberships: 0, tokens: 0 });
      await store.tenants.eraseData('acme');
      expect(rowsOf(DEFAULT_TENANT_ID)).toEqual(before);
      expect(await store.tenants.remove('acme')).toBe(true);
    });
  });
});
