import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TENANT_ID, UniquenessViolation, UnknownMembers, type Store, type StoredGroup, type TenantStore } from '../../../src/store/port';
import { openDatabase, type Db } from '../../../src/store/sqlite/open-database';
import { openSqliteStore, sqliteTenantStore } from '../../../src/store/sqlite/sqlite-store';
import { journal } from '../../support/journal';
import { statementRecorder } from '../../support/sqlite-plans';

/** The GroupStore contract, on a real SQLite file. */
describe('SQLite group store', () => {
  let dir: string;
  let store: Store;
  let tenant: TenantStore;
  let seq = 0;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'roster-groups-store-'));
    store = openSqliteStore(join(dir, 'roster.db'));
    tenant = store.tenant(DEFAULT_TENANT_ID, journal);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const createUser = async (displayName?: string) => {
    const userName = `user.${++seq}`;
    const user = await tenant.users.create({
      data: { userName, name: { givenName: 'G', familyName: 'F' }, emails: [{ value: `${userName}@example.com` }], ...(displayName ? { displayName } : {}) },
    });
    return user.id;
  };
  const createUsers = async (count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(await createUser());
    return ids;
  };
  const membersOf = async (groupId: string) => ((await tenant.groups.membersOf([groupId])).get(groupId) ?? []).map((m) => m.id);
  const updated = (result: Awaited<ReturnType<TenantStore['groups']['update']>>): StoredGroup => {
    if (result.status !== 'updated') throw new Error(`expected an update, got ${JSON.stringify(result)}`);
    return result.resource;
  };

  describe('create', () => {
    it('stores the attributes and the members, at version 1', async () => {
      const [a, b] = await createUsers(2);
      const group = await tenant.groups.create({ displayName: 'Engineering', externalId: 'ext-1' }, [a, b]);
      expect(group.version).toBe(1);
      expect(group.data).toEqual({ displayName: 'Engineering', externalId: 'ext-1' });
      expect(group.created).toBe(group.lastModified);
      expect(await tenant.groups.get(group.id)).toEqual(group);
      expect(await membersOf(group.id)).toEqual([a, b]);
    });

    it('stores a member named twice once', async () => {
      const [a] = await createUsers(1);
      const group = await tenant.groups.create({ displayName: 'Twice' }, [a, a]);
      expect(await membersOf(group.id)).toEqual([a]);
    });

    it('throws UnknownMembers naming every id that is not a user, and writes nothing', async () => {
      const [a] = await createUsers(1);
      const missing = [randomUUID(), randomUUID()];
      const attempt = tenant.groups.create({ displayName: 'Ghosts' }, [a, missing[0], missing[1]]);
      await expect(attempt).rejects.toBeInstanceOf(UnknownMembers);
      await expect(attempt).rejects.toMatchObject({ ids: missing });
      expect((await tenant.users.groupsOf([a])).get(a)).toEqual([]);
      // The name is still free: no group row was left behind.
      await expect(tenant.groups.create({ displayName: 'Ghosts' }, [])).resolves.toMatchObject({ data: { displayName: 'Ghosts' } });
    });

    it('refuses a group id as a member: members are users', async () => {
      const other = await tenant.groups.create({ displayName: 'Other' }, []);
      await expect(tenant.groups.create({ displayName: 'Nested' }, [other.id])).rejects.toMatchObject({ ids: [other.id] });
    });

    it('throws UniquenessViolation for a displayName differing only in case', async () => {
      await tenant.groups.create({ displayName: 'Sales Team' }, []);
      const attempt = tenant.groups.create({ displayName: 'SALES team' }, []);
      await expect(attempt).rejects.toBeInstanceOf(UniquenessViolation);
      await expect(attempt).rejects.toMatchObject({ field: 'displayName', value: 'SALES team' });
      const page = await tenant.groups.list({ offset: 0, limit: 10 });
      expect(page.total).toBe(1);
    });
  });

  describe('update', () => {
    it('applies member changes in order and bumps the version once per write', async () => {
      const [a, b, c] = await createUsers(3);
      const group = await tenant.groups.create({ displayName: 'Ordered' }, [a]);

      const first = updated(await tenant.groups.update(group.id, undefined, { memberChanges: [{ op: 'add', ids: [b] }, { op: 'remove', ids: [b] }] }));
      expect(first.version).toBe(2);
      expect(await membersOf(group.id)).toEqual([a]);

      updated(await tenant.groups.update(group.id, undefined, { memberChanges: [{ op: 'remove', ids: [a] }, { op: 'add', ids: [a] }] }));
      expect(await membersOf(group.id)).toEqual([a]);

      const third = updated(await tenant.groups.update(group.id, 3, { memberChanges: [{ op: 'removeAll' }, { op: 'add', ids: [b, c] }] }));
      expect(third.version).toBe(4);
      expect(await membersOf(group.id)).toEqual([b, c]);
    });

    it('treats adding a present member and removing an absent one as no error', async () => {
      const [a, b] = await createUsers(2);
      const group = await tenant.groups.create({ displayName: 'Idempotent' }, [a]);
      updated(await tenant.groups.update(group.id, undefined, { memberChanges: [{ op: 'add', ids: [a] }, { op: 'remove', ids: [b, randomUUID()] }] }));
      expect(await membersOf(group.id)).toEqual([a]);
    });

    it('keeps the attributes as they are on a members-only write', async () => {
      const [a] = await createUsers(1);
      const group = await tenant.groups.create({ displayName: 'Members Only', externalId: 'keep-me' }, []);
      const after = updated(await tenant.groups.update(group.id, undefined, { memberChanges: [{ op: 'add', ids: [a] }] }));
      expect(after.data).toEqual({ displayName: 'Members Only', externalId: 'keep-me' });
      expect(after.version).toBe(2);
      expect(Date.parse(after.lastModified)).toBeGreaterThanOrEqual(Date.parse(group.lastModified));
    });

    it('replaces the attributes and applies member changes in one write', async () => {
      const [a, b] = await createUsers(2);
      const group = await tenant.groups.create({ displayName: 'Before', externalId: 'old' }, [a]);
      const after = updated(await tenant.groups.update(group.id, 1, { data: { displayName: 'After' }, memberChanges: [{ op: 'add', ids: [b] }] }));
      expect(after.data).toEqual({ displayName: 'After' });
      expect(after.version).toBe(2);
      expect(await membersOf(group.id)).toEqual([a, b]);
      // The promoted columns follow the new attributes: the old name is free, the new one taken.
      await expect(tenant.groups.create({ displayName: 'before' }, [])).resolves.toBeDefined();
      await expect(tenant.groups.create({ displayName: 'after' }, [])).rejects.toBeInstanceOf(UniquenessViolation);
    });

    it('returns versionMismatch with the current version when the expected one is stale, and writes nothing', async () => {
      const [a, b] = await createUsers(2);
      const group = await tenant.groups.create({ displayName: 'Stale' }, [a]);
      updated(await tenant.groups.update(group.id, 1, { memberChanges: [{ op: 'add', ids: [b] }] }));

      const result = await tenant.groups.update(group.id, 1, { data: { displayName: 'Never' }, memberChanges: [{ op: 'removeAll' }] });
      expect(result).toEqual({ status: 'versionMismatch', current: 2 });
      const current = await tenant.groups.get(group.id);
      expect(current?.version).toBe(2);
      expect(current?.data).toEqual({ displayName: 'Stale' });
      expect(await membersOf(group.id)).toEqual([a, b]);
    });

    it('returns notFound for an unknown id', async () => {
      expect(await tenant.groups.update(randomUUID(), undefined, { memberChanges: [{ op: 'removeAll' }] })).toEqual({ status: 'notFound' });
    });

    it('throws UnknownMembers and leaves attributes, members and version as they were', async () => {
      const [a, b] = await createUsers(2);
      const group = await tenant.groups.create({ displayName: 'Atomic' }, [a]);
      const missing = randomUUID();
      const attempt = tenant.groups.update(group.id, undefined, {
        data: { displayName: 'Atomic Renamed' },
        memberChanges: [{ op: 'removeAll' }, { op: 'add', ids: [b] }, { op: 'add', ids: [missing] }],
      });
      await expect(attempt).rejects.toBeInstanceOf(UnknownMembers);
      await expect(attempt).rejects.toMatchObject({ ids: [missing] });
      expect(await tenant.groups.get(group.id)).toEqual(group);
      expect(await membersOf(group.id)).toEqual([a]);
    });

    it('throws UniquenessViolation on a rename to another group\'s name in another case, and applies none of the write', async () => {
      const [a] = await createUsers(1);
      await tenant.groups.create({ displayName: 'Taken' }, []);
      const group = await tenant.groups.create({ displayName: 'Free' }, []);
      const attempt = tenant.groups.update(group.id, undefined, { data: { displayName: 'tAKEN' }, memberChanges: [{ op: 'add', ids: [a] }] });
      await expect(attempt).rejects.toBeInstanceOf(UniquenessViolation);
      await expect(attempt).rejects.toMatchObject({ field: 'displayName', value: 'tAKEN' });
      expect(await tenant.groups.get(group.id)).toEqual(group);
      expect(await membersOf(group.id)).toEqual([]);
    });

    it('lets a group change the case of its own displayName', async () => {
      const group = await tenant.groups.create({ displayName: 'own case' }, []);
      const after = updated(await tenant.groups.update(group.id, undefined, { data: { displayName: 'Own Case' } }));
      expect(after.data.displayName).toBe('Own Case');
    });
  });

  describe('delete', () => {
    it('deletes the group and its memberships, leaving the users', async () => {
      const [a, b] = await createUsers(2);
      const doomed = await tenant.groups.create({ displayName: 'Doomed' }, [a, b]);
      const kept = await tenant.groups.create({ displayName: 'Kept' }, [a]);

      expect(await tenant.groups.delete(doomed.id, 1)).toEqual({ status: 'updated', resource: null });
      expect(await tenant.groups.get(doomed.id)).toBeUndefined();
      expect(await membersOf(doomed.id)).toEqual([]);
      const groupsOf = await tenant.users.groupsOf([a, b]);
      expect(groupsOf.get(a)).toEqual([{ id: kept.id, displayName: 'Kept' }]);
      expect(groupsOf.get(b)).toEqual([]);
      expect(await tenant.users.get(b)).toBeDefined();
      // The name is free again.
      await expect(tenant.groups.create({ displayName: 'doomed' }, [])).resolves.toBeDefined();
    });

    it('returns versionMismatch for a stale version and notFound for an unknown id', async () => {
      const [a] = await createUsers(1);
      const group = await tenant.groups.create({ displayName: 'Guarded' }, []);
      updated(await tenant.groups.update(group.id, undefined, { memberChanges: [{ op: 'add', ids: [a] }] }));
      expect(await tenant.groups.delete(group.id, 1)).toEqual({ status: 'versionMismatch', current: 2 });
      expect(await tenant.groups.get(group.id)).toBeDefined();
      expect(await tenant.groups.delete(randomUUID(), undefined)).toEqual({ status: 'notFound' });
    });

    it('removes a deleted user from every group', async () => {
      const [a, b] = await createUsers(2);
      const g1 = await tenant.groups.create({ displayName: 'One' }, [a, b]);
      const g2 = await tenant.groups.create({ displayName: 'Two' }, [a]);
      expect((await tenant.users.delete(a, undefined)).status).toBe('updated');
      const members = await tenant.groups.membersOf([g1.id, g2.id]);
      expect(members.get(g1.id)!.map((m) => m.id)).toEqual([b]);
      expect(members.get(g2.id)).toEqual([]);
    });
  });

  describe('membersOf', () => {
    it('answers for several groups at once, with an empty list for a group without members or an unknown id', async () => {
      const alice = await createUser('Alice Display');
      const bob = await createUser();
      const g1 = await tenant.groups.create({ displayName: 'G1' }, [alice, bob]);
      const g2 = await tenant.groups.create({ displayName: 'G2' }, [bob]);
      const g3 = await tenant.groups.create({ displayName: 'G3' }, []);
      const unknown = randomUUID();
      const bobName = (await tenant.users.get(bob))!.data.userName;

      const result = await tenant.groups.membersOf([g1.id, g2.id, g3.id, unknown]);
      expect([...result.keys()].sort()).toEqual([g1.id, g2.id, g3.id, unknown].sort());
      expect(result.get(g1.id)).toEqual([{ id: alice, display: 'Alice Display' }, { id: bob, display: bobName }]);
      expect(result.get(g2.id)).toEqual([{ id: bob, display: bobName }]);
      expect(result.get(g3.id)).toEqual([]);
      expect(result.get(unknown)).toEqual([]);
    });

    it('answers for more groups than one SQL statement can name', async () => {
      const [a] = await createUsers(1);
      const groups: string[] = [];
      for (let i = 0; i < 1200; i++) groups.push((await tenant.groups.create({ displayName: `Many ${i}` }, i % 2 === 0 ? [a] : [])).id);
      const result = await tenant.groups.membersOf(groups);
      expect(result.size).toBe(1200);
      groups.forEach((id, i) => expect(result.get(id)!.map((m) => m.id)).toEqual(i % 2 === 0 ? [a] : []));
      expect((await tenant.users.groupsOf([a])).get(a)).toHaveLength(600);
    });
  });
});

/**
 * GroupStore.membersPage reads the group's page, never the group: a page walks the memberships
 * primary key from its position (or offset) and looks up only that page's users, and the total
 * counts the primary key alone, less the soft-deleted members found from the deleted users.
 */
describe('SQLite membersPage plans', () => {
  let dir: string;
  let db: Db;
  const recorder = statementRecorder();
  let tenant: TenantStore;
  let groupId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-members-plans-'));
    db = openDatabase(join(dir, 'roster.db'), { verbose: recorder.verbose });
    tenant = sqliteTenantStore(db, DEFAULT_TENANT_ID, journal);
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) ids.push((await tenant.users.create({ data: { userName: `plan.${i}` } })).id);
    groupId = (await tenant.groups.create({ displayName: 'Planned' }, ids)).id;
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The query plan of every SELECT `run` made. */
  const plansOf = (run: () => Promise<unknown>) => recorder.plansOf(db, run);

  it.each([
    ['a page after a position', { offset: 0, limit: 10, after: [20] }, ['SEARCH m USING PRIMARY KEY (tenant_id=? AND group_seq=? AND user_seq>?)', 'SEARCH u USING INTEGER PRIMARY KEY (rowid=?)']],
    ['a page at an offset', { offset: 20, limit: 10 }, ['SEARCH m USING PRIMARY KEY (tenant_id=? AND group_seq=?)', 'SEARCH u USING INTEGER PRIMARY KEY (rowid=?)']],
    ['the total', { offset: 0, limit: 0 }, ['SEARCH memberships USING PRIMARY KEY (tenant_id=? AND group_seq=?)', 'SEARCH dm USING PRIMARY KEY (tenant_id=? AND group_seq=? AND user_seq=?)']],
  ])('%s', async (_name, query, steps) => {
    await tenant.groups.update(groupId, undefined, { memberChanges: [] });
    const plan = await plansOf(() => tenant.groups.membersPage(groupId, query));
    for (const step of steps) expect(plan).toContain(step);
    expect(plan.filter((line) => /^SCAN /.test(line) && !/CONSTANT ROW/.test(line))).toEqual([]);
    expect(plan.join('\n')).not.toMatch(/TEMP B-TREE/);
  });
});
