import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TENANT_ID, UniquenessViolation, UnknownMembers, type Store, type StoredUser, type TenantStore } from '../../../src/store/port';
import { openSqliteStore } from '../../../src/store/sqlite/sqlite-store';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { journal } from '../../support/journal';
import { openDatabase, type Db } from '../../../src/store/sqlite/open-database';
import { sqliteTenantStore } from '../../../src/store/sqlite/sqlite-store';
import { SCAN_WINDOW, SWEEP_CHUNK } from '../../../src/store/sqlite/sqlite-user-lifecycle';

const ACCOUNT_URN = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Account';
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** The UserStore's soft delete, restore and retention sweeps, on a real SQLite file. */
describe('SQLite user lifecycle', () => {
  let dir: string;
  let store: Store;
  let tenant: TenantStore;
  let db: Database.Database;
  let seq = 0;
  const registry = loadSchemaRegistry();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'roster-lifecycle-store-'));
    store = openSqliteStore(join(dir, 'roster.db'));
    tenant = store.tenant(DEFAULT_TENANT_ID, journal);
    db = new Database(join(dir, 'roster.db'));
  });
  afterEach(async () => {
    db.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const createUser = (userName = `life.${++seq}`, extra: object = {}) => tenant.users.create({
    data: { userName, active: true, name: { givenName: 'G', familyName: 'F' }, emails: [{ value: `${userName.toLowerCase()}@example.com`, primary: true }], ...extra },
  });
  const inactiveSince = (when: string, userName?: string) =>
    createUser(userName, { active: false, [ACCOUNT_URN]: { status: 'Inactive', deactivatedAt: when } });
  const softDelete = async (user: StoredUser) => expect((await tenant.users.delete(user.id, undefined)).status).toBe('updated');
  const deletedAt = (id: string) => (db.prepare('SELECT deleted_at FROM users WHERE id = ?').get(id) as { deleted_at: string | null } | undefined)?.deleted_at;
  const setDeletedAt = (id: string, when: string) => db.prepare('UPDATE users SET deleted_at = ? WHERE id = ?').run(when, id);
  const listIds = async (filter?: string) => {
    const page = await tenant.users.list({ offset: 0, limit: 100, ...(filter ? { filter: resolveFilter(registry.user, parseFilter(filter)) } : {}) });
    return page.items.map((u) => u.id);
  };
  const memberIds = async (groupId: string) => ((await tenant.groups.membersOf([groupId])).get(groupId) ?? []).map((m) => m.id);
  const count = (sql: string, ...params: unknown[]) => (db.prepare(sql).get(...params) as { n: number }).n;

  describe('delete (soft)', () => {
    it('hides the user from get and list but keeps its row, data, emails and memberships', async () => {
      const user = await createUser();
      const group = await tenant.groups.create({ displayName: 'Keep' }, [user.id]);
      await softDelete(user);

      expect(await tenant.users.get(user.id)).toBeUndefined();
      expect(await listIds()).not.toContain(user.id);
      expect(await listIds(`userName eq "${String(user.data.userName)}"`)).toEqual([]);
      expect(await memberIds(group.id)).toEqual([]);
      expect(deletedAt(user.id)).toEqual(expect.any(String));
      expect(count('SELECT count(*) AS n FROM memberships m JOIN users u ON u.seq = m.user_seq WHERE u.id = ?', user.id)).toBe(1);
      expect(count('SELECT count(*) AS n FROM user_emails e JOIN users u ON u.seq = e.user_seq WHERE u.id = ?', user.id)).toBe(1);
      expect(JSON.parse((db.prepare('SELECT data FROM users WHERE id = ?').get(user.id) as { data: string }).data)).toEqual(user.data);
    });

    it('is conditional on the version when one is given', async () => {
      const user = await createUser();
      expect(await tenant.users.delete(user.id, user.version + 1)).toEqual({ status: 'versionMismatch', current: user.version });
      expect(await tenant.users.get(user.id)).toBeDefined();
    });

    it('answers notFound for a user already deleted', async () => {
      const user = await createUser();
      await softDelete(user);
      expect(await tenant.users.delete(user.id, undefined)).toEqual({ status: 'notFound' });
      expect(await tenant.users.update(user.id, undefined, { data: user.data })).toEqual({ status: 'notFound' });
    });

    it('bumps the version of each group the user was in, and no other', async () => {
      const user = await createUser();
      const other = await createUser();
      const mine = await tenant.groups.create({ displayName: 'Mine' }, [user.id, other.id]);
      const theirs = await tenant.groups.create({ displayName: 'Theirs' }, [other.id]);
      await softDelete(user);
      expect((await tenant.groups.get(mine.id))!.version).toBe(mine.version + 1);
      expect((await tenant.groups.get(theirs.id))!.version).toBe(theirs.version);
    });

    it('keeps the userName: a new user with it in any case is a UniquenessViolation held by a deleted user', async () => {
      const user = await createUser('Held.Name');
      await softDelete(user);
      const error = await createUser('HELD.NAME').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UniquenessViolation);
      expect(error).toMatchObject({ field: 'userName', heldByDeleted: true });
    });

    it('reports heldByDeleted false for a userName held by a live user', async () => {
      await createUser('Live.Name');
      await expect(createUser('live.name')).rejects.toMatchObject({ field: 'userName', heldByDeleted: false });
    });

    it('refuses a deleted user as a new member (UnknownMembers), naming it', async () => {
      const user = await createUser();
      await softDelete(user);
      await expect(tenant.groups.create({ displayName: 'Nope' }, [user.id])).rejects.toEqual(new UnknownMembers([user.id]));
    });

    it('keeps a deleted member\'s membership through removeAll and remove of the live members', async () => {
      const gone = await createUser();
      const live = await createUser();
      const group = await tenant.groups.create({ displayName: 'Hidden' }, [gone.id, live.id]);
      await softDelete(gone);
      await tenant.groups.update(group.id, undefined, { memberChanges: [{ op: 'removeAll' }] });
      await tenant.groups.update(group.id, undefined, { memberChanges: [{ op: 'remove', ids: [gone.id] }] });
      expect(await memberIds(group.id)).toEqual([]);
      await tenant.users.restore({ id: gone.id });
      expect(await memberIds(group.id)).toEqual([gone.id]);
    });

    it('leaves the deleted user out of groupsOf for live users and of members.value filters', async () => {
      const gone = await createUser();
      const group = await tenant.groups.create({ displayName: 'Filtered' }, [gone.id]);
      await softDelete(gone);
      const page = await tenant.groups.list({ offset: 0, limit: 10, filter: resolveFilter(registry.group, parseFilter(`members.value eq "${gone.id}"`)) });
      expect(page.total).toBe(0);
      expect((await tenant.groups.list({ offset: 0, limit: 10 })).items.map((g) => g.id)).toEqual([group.id]);
    });
  });

  describe('restore', () => {
    it('brings a deleted user back by id with the same data, a new version and its memberships', async () => {
      const user = await createUser();
      const group = await tenant.groups.create({ displayName: 'Back' }, [user.id]);
      await softDelete(user);
      const afterDelete = (await tenant.groups.get(group.id))!.version;

      const restored = await tenant.users.restore({ id: user.id });
      expect(restored).toMatchObject({ id: user.id, created: user.created, data: user.data });
      expect(restored!.version).toBeGreaterThan(user.version);
      expect(deletedAt(user.id)).toBeNull();
      expect(await tenant.users.get(user.id)).toMatchObject({ id: user.id, version: restored!.version });
      expect(await memberIds(group.id)).toEqual([user.id]);
      expect((await tenant.groups.get(group.id))!.version).toBe(afterDelete + 1);
      expect((await tenant.users.groupsOf([user.id])).get(user.id)).toEqual([{ id: group.id, displayName: 'Back' }]);
    });

    it('finds a deleted user by userName without regard to case', async () => {
      const user = await createUser('Case.Restore');
      await softDelete(user);
      expect((await tenant.users.restore({ userName: 'cASE.rESTORE' }))?.id).toBe(user.id);
      expect(await listIds(`userName eq "case.restore"`)).toEqual([user.id]);
    });

    it('answers undefined for a live user, an unknown id or an unknown userName, changing nothing', async () => {
      const user = await createUser();
      expect(await tenant.users.restore({ id: user.id })).toBeUndefined();
      expect(await tenant.users.restore({ userName: String(user.data.userName) })).toBeUndefined();
      expect(await tenant.users.restore({ id: 'no-such-id' })).toBeUndefined();
      expect(await tenant.users.restore({ userName: 'no.such.name' })).toBeUndefined();
      expect((await tenant.users.get(user.id))!.version).toBe(user.version);
    });

    it('keeps the password hash', async () => {
      const user = await tenant.users.create({ data: { userName: 'with.password', name: { givenName: 'G', familyName: 'F' }, emails: [{ value: 'p@example.com' }] }, passwordHash: 'hash-123' });
      await softDelete(user);
      expect((await tenant.users.restore({ id: user.id }))!.passwordHash).toBe('hash-123');
      expect((await tenant.users.get(user.id))!.passwordHash).toBe('hash-123');
    });
  });

  describe('purgeDeleted', () => {
    it('erases users deleted before the cutoff with their emails, memberships and tokens, and returns them', async () => {
      const old = await createUser('Old.One');
      const recent = await createUser('recent.one');
      const live = await createUser('live.one');
      const group = await tenant.groups.create({ displayName: 'Purge' }, [old.id, recent.id, live.id]);
      await tenant.tokens.create({ id: 'tok-old', name: 'old', hash: 'h-old', created: iso(Date.now()), userId: old.id });
      await tenant.tokens.create({ id: 'tok-live', name: 'live', hash: 'h-live', created: iso(Date.now()), userId: live.id });
      await tenant.tokens.create({ id: 'tok-service', name: 'service', hash: 'h-service', created: iso(Date.now()) });
      await softDelete(old);
      await softDelete(recent);
      const now = Date.now();
      setDeletedAt(old.id, iso(now - 40 * DAY));
      setDeletedAt(recent.id, iso(now - 10 * DAY));

      const erased = await tenant.users.purgeDeleted(iso(now - 30 * DAY));
      expect(erased).toEqual([{ id: old.id, userName: 'Old.One' }]);
      expect(count('SELECT count(*) AS n FROM users WHERE id = ?', old.id)).toBe(0);
      expect(count('SELECT count(*) AS n FROM user_emails WHERE value_key = ?', 'old.one@example.com')).toBe(0);
      expect(count('SELECT count(*) AS n FROM memberships m JOIN groups g ON g.seq = m.group_seq WHERE g.id = ?', group.id)).toBe(2);
      expect(await tenant.tokens.get('tok-old')).toBeUndefined();
      expect(await tenant.tokens.get('tok-live')).toBeDefined();
      expect(await tenant.tokens.get('tok-service')).toBeDefined();
      expect(deletedAt(recent.id)).toEqual(expect.any(String));
      expect((await createUser('old.one')).id).not.toBe(old.id);
    });

    it('returns nothing and erases nothing when no deleted user is old enough', async () => {
      const user = await createUser();
      await softDelete(user);
      expect(await tenant.users.purgeDeleted(iso(Date.now() - DAY))).toEqual([]);
      expect(await tenant.users.restore({ id: user.id })).toBeDefined();
    });
  });

  describe('softDeleteWhere', () => {
    /** The retention sweep's filter, as the domain builds it. */
    const inactiveBefore = (before: string) =>
      resolveFilter(registry.user, parseFilter(`${ACCOUNT_URN}:status eq "Inactive" and ${ACCOUNT_URN}:deactivatedAt lt "${before}"`));

    it('soft-deletes users Inactive since before the cutoff, and returns them', async () => {
      const now = Date.now();
      const old = await inactiveSince(iso(now - 100 * DAY), 'inactive.old');
      const recent = await inactiveSince(iso(now - 10 * DAY), 'inactive.recent');
      const active = await createUser('active.one', { [ACCOUNT_URN]: { status: 'Active', deactivatedAt: iso(now - 200 * DAY) } });
      const group = await tenant.groups.create({ displayName: 'Idle' }, [old.id, recent.id]);

      const deleted = await tenant.users.softDeleteWhere(inactiveBefore(iso(now - 90 * DAY)));
      expect(deleted).toEqual([{ id: old.id, userName: 'inactive.old' }]);
      expect(await tenant.users.get(old.id)).toBeUndefined();
      expect(deletedAt(old.id)).toEqual(expect.any(String));
      expect(await tenant.users.get(recent.id)).toBeDefined();
      expect(await tenant.users.get(active.id)).toBeDefined();
      expect(await memberIds(group.id)).toEqual([recent.id]);
      expect((await tenant.groups.get(group.id))!.version).toBe(group.version + 1);
      // Soft-deleted, not erased: restorable with the membership.
      await tenant.users.restore({ userName: 'INACTIVE.OLD' });
      expect((await memberIds(group.id)).sort()).toEqual([old.id, recent.id].sort());
    });

    it('applies the filter it is given and no rule of its own: any filter selects, Account status or not', async () => {
      const temp = await createUser('temp.one', { [ACCOUNT_URN]: { status: 'Active' } });
      const idle = await inactiveSince(iso(Date.now() - 100 * DAY), 'idle.one');
      const deleted = await tenant.users.softDeleteWhere(resolveFilter(registry.user, parseFilter('userName sw "TEMP."')));
      expect(deleted).toEqual([{ id: temp.id, userName: 'temp.one' }]);
      expect(await tenant.users.get(idle.id)).toBeDefined();
    });

    it('does not touch users already deleted', async () => {
      const user = await inactiveSince(iso(Date.now() - 100 * DAY));
      await softDelete(user);
      const before = deletedAt(user.id);
      expect(await tenant.users.softDeleteWhere(inactiveBefore(iso(Date.now())))).toEqual([]);
      expect(deletedAt(user.id)).toBe(before);
    });
  });
});

/**
 * Issue 13: the sweeps never hold the event loop for long. Without a limit they erase or delete
 * SWEEP_CHUNK users per transaction, and the inactivity sweep judges its filter (JSON attributes,
 * no index) a window of SCAN_WINDOW rows at a time, so a sweep that finds nothing still works in
 * short steps; between steps other callbacks run. Thousands of users are copied in by SQL.
 */
describe('SQLite sweeps in short steps', () => {
  let dir: string;
  let db: Db;
  let tenant: TenantStore;
  let ran: string[] = [];
  let templates = 0;
  const registry = loadSchemaRegistry();
  const inactiveBefore = (before: string) =>
    resolveFilter(registry.user, parseFilter(`${ACCOUNT_URN}:status eq "Inactive" and ${ACCOUNT_URN}:deactivatedAt lt "${before}"`));
  const longAgo = iso(Date.now() - 100 * DAY);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'roster-sweep-steps-'));
    db = openDatabase(join(dir, 'roster.db'), { verbose: (sql) => ran.push(String(sql)) });
    tenant = sqliteTenantStore(db, DEFAULT_TENANT_ID, journal);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** `count` copies of a user made like `extra`, by SQL (each with its own id and userName); their ids. */
  const copies = async (count: number, extra: object = {}) => {
    const template = await tenant.users.create({ data: { userName: `template.${++templates}`, ...extra } });
    const columns = (db.prepare('SELECT name FROM pragma_table_info(\'users\')').all() as { name: string }[]).map((c) => c.name).filter((c) => c !== 'seq');
    const value = (c: string) => (c === 'id' || c === 'user_name' || c === 'user_name_key' ? `${c} || '.' || n` : c);
    db.prepare(`WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ?)
      INSERT INTO users (${columns.join(', ')}) SELECT ${columns.map(value).join(', ')} FROM users, k WHERE users.id = ?`).run(count - 1, template.id);
    return (db.prepare('SELECT id FROM users WHERE id = ? OR id LIKE ? ORDER BY seq').all(template.id, `${template.id}.%`) as { id: string }[]).map((r) => r.id);
  };
  const live = () => (db.prepare('SELECT count(*) AS n FROM users WHERE deleted_at IS NULL').get() as { n: number }).n;
  const eventCount = (type: string) => (db.prepare('SELECT count(*) AS n FROM events WHERE type = ?').get(type) as { n: number }).n;
  /** Whether a callback queued before `sweep` started ran before it finished: the sweep yielded. */
  const yields = async (sweep: () => Promise<unknown>) => {
    const order: string[] = [];
    setImmediate(() => order.push('other work'));
    await sweep().then(() => order.push('sweep done'));
    return order[0] === 'other work';
  };

  it('the inactivity sweep finds its users in every window, however many non-matching rows lie between, each once', async () => {
    const first = await copies(3, { active: false, [ACCOUNT_URN]: { status: 'Inactive', deactivatedAt: longAgo } });
    const busy = await copies(2 * SCAN_WINDOW + 10);
    const many = await copies(SWEEP_CHUNK + 20, { active: false, [ACCOUNT_URN]: { status: 'Inactive', deactivatedAt: longAgo } });
    await copies(SCAN_WINDOW);
    const last = await copies(1, { active: false, [ACCOUNT_URN]: { status: 'Inactive', deactivatedAt: longAgo } });

    const deleted = await tenant.users.softDeleteWhere(inactiveBefore(iso(Date.now() - 90 * DAY)));
    expect(deleted.map((u) => u.id).sort()).toEqual([...first, ...many, ...last].sort());
    expect(live()).toBe(busy.length + SCAN_WINDOW);
    expect(eventCount('user.deleted')).toBe(deleted.length);
  });

  it('the inactivity sweep lets other callbacks run between its windows, even when it deletes nobody', async () => {
    await copies(SCAN_WINDOW + 1);
    expect(await yields(() => tenant.users.softDeleteWhere(inactiveBefore(iso(Date.now()))))).toBe(true);
  });

  it('the purge erases more users than a chunk, each once, and lets other callbacks run between chunks', async () => {
    const gone = await copies(SWEEP_CHUNK * 2 + 5);
    db.prepare('UPDATE users SET deleted_at = ?').run(longAgo);
    let erased: readonly { id: string }[] = [];
    expect(await yields(async () => { erased = await tenant.users.purgeDeleted(iso(Date.now() - DAY)); })).toBe(true);
    expect(erased.map((u) => u.id).sort()).toEqual([...gone].sort());
    expect((db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n).toBe(0);
    expect(eventCount('user.erased')).toBe(gone.length);
  });

  it('event retention erases more events than a chunk in steps, letting other callbacks run between them', async () => {
    await copies(1);
    db.prepare(`WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 4500)
      INSERT INTO events (tenant_id, id, type, resource_id, occurred_at, event) SELECT tenant_id, id + n, type, resource_id, occurred_at, event FROM events, k`).run();
    const events = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    let erased = 0;
    expect(await yields(async () => { erased = await tenant.events.eraseBefore(iso(Date.now() + DAY)); })).toBe(true);
    expect(erased).toBe(events);
  });

  it('finds each step\'s rows through an index: the purge by users_tenant_deleted, the inactivity window by row number on users_tenant_live', async () => {
    await copies(10, { active: false, [ACCOUNT_URN]: { status: 'Inactive', deactivatedAt: longAgo } });
    const plans = async (sweep: () => Promise<unknown>) => {
      ran = [];
      await sweep();
      return ran.filter((sql) => /^\s*SELECT/i.test(sql)).map((sql) =>
        (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((row) => row.detail).join('; '));
    };
    const window = await plans(() => tenant.users.softDeleteWhere(inactiveBefore(iso(Date.now()))));
    expect(window.filter((plan) => plan.includes('rowid>?'))).toEqual([expect.stringMatching(/^SEARCH t USING (COVERING )?INDEX users_tenant_live \(tenant_id=\? AND rowid>\?\)$/)]);
    const purge = await plans(() => tenant.users.purgeDeleted(iso(Date.now() + DAY)));
    expect(purge.filter((plan) => plan.includes('deleted_at'))[0]).toMatch(/^SEARCH users USING INDEX users_tenant_deleted \(tenant_id=\? AND deleted_at>\? AND deleted_at<\?\)$/);
  });
});
