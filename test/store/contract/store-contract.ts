import { randomUUID } from 'node:crypto';
import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import { parseListRequest } from '../../../src/scim/list/list-request';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import type { JsonObject } from '../../../src/scim/values/json';
import {
  DEFAULT_TENANT_ID, InvalidPosition, UniquenessViolation, UnknownMembers,
  type ExpectedVersion, type GroupWrite, type ListPosition, type ListQuery, type Page, type Store, type StoredGroup, type StoredUser, type TenantStore,
} from '../../../src/store/port';
import { ACCOUNT_URN, DAY, ENTERPRISE_URN, inactiveBefore, inactiveSince, iso, sorted, tick, updated, userData } from './contract-support';
import { clientsContract } from './clients-contract';
import { deletedUsersContract } from './deleted-users-contract';
import { effectivePermissionsContract } from './effective-permissions-contract';
import { eventsContract } from './events-contract';
import { tenantIsolationContract } from './tenant-isolation-contract';
import { webhooksContract } from './webhooks-contract';
import { tenantRegistryContract } from './tenant-registry-contract';
import { twinTenants } from './twin-tenants';
import { countsContract } from './counts-contract';
import { batchCreateContract } from './batch-create-contract';
import { sweepChunksContract } from './sweep-chunks-contract';
import { groupMembersContract } from './group-members-contract';
import { activityContract } from './activity-contract';

/**
 * The behaviour every Store adapter owes the domain layer, driven through the port alone (no
 * HTTP, no adapter internals): each adapter's `*.contract.test.ts` runs it against a fresh store.
 *
 * Every case about a tenant's resources runs twice on one store (twin-tenants.ts): in the tenant
 * `twin`, then with identical data in the tenant under test (`default` or `acme`), and asserts
 * that the second run saw nothing of the first and changed nothing of it. The cases that set
 * two tenants against each other on purpose, and the registry of tenants, follow in their own
 * files.
 *
 * What the port leaves open is not asserted: the order of a group's members and the default
 * list order when resources were created within the same millisecond (compared as sets or
 * checked for completeness), and how far a group's version moves on one write (only that it
 * moves: every membership change bumps it, and an adapter without transactions bumps it per
 * step). Everything else is exact.
 */
export interface OpenedStore {
  readonly store: Store;
  close(): Promise<void>;
}

/** User ids the token cases bind tokens to without creating the users. */
const TOKEN_OWNERS = ['user-1', 'user-2'];

export function storeContract(name: string, open: () => Promise<OpenedStore>): void {
  const registry = loadSchemaRegistry();

  describe(`${name}: the Store contract`, () => {
    let opened: OpenedStore;
    let store: Store;
    /** The tenant the running case body works in (twin-tenants.ts points it at each in turn). */
    let t: TenantStore;
    let seq = 0;

    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });
    afterEach(async () => {
      await opened.close();
    });

    const { describeIn, seedEach, both, bothEach } = twinTenants({
      store: () => store,
      enter: (tenant) => {
        t = tenant;
        seq = 0;
      },
      tokenOwners: TOKEN_OWNERS,
    });

    const createUser = (userName = `user.${++seq}`, extra: JsonObject = {}) => t.users.create({ data: userData(userName, extra) });
    const createUsers = async (count: number) => {
      const users: StoredUser[] = [];
      for (let i = 0; i < count; i++) users.push(await createUser());
      return users;
    };
    const memberIds = async (groupId: string) => ((await t.groups.membersOf([groupId])).get(groupId) ?? []).map((m) => m.id).sort();
    const updateGroup = (id: string, expected: ExpectedVersion, write: GroupWrite) => t.groups.update(id, expected, write);
    const userFilter = (text: string) => resolveFilter(registry.user, parseFilter(text));
    const groupFilter = (text: string) => resolveFilter(registry.group, parseFilter(text));
    const userSort = (sortBy: string, sortOrder: 'ascending' | 'descending' = 'ascending') => parseListRequest(registry.user, { sortBy, sortOrder }, 100).sort;
    const listUserNames = async (query: Partial<ListQuery> = {}) =>
      (await t.users.list({ offset: 0, limit: 100, ...query })).items.map((u) => u.data.userName);
    /** A token id of this run: token ids and hashes are unique across tenants, so each run's carry its tenant. */
    const tokenId = (name: string) => `${t.tenantId}.${name}`;
    const token = (name: string, extra: { userId?: string; expires?: string; created?: string } = {}) =>
      ({ id: tokenId(name), name: `token ${name}`, hash: `hash-${tokenId(name)}`, created: extra.created ?? '2024-01-01T00:00:00.000Z', ...extra });

    it('describes itself and is ready once open', () => {
      expect(store.description).toEqual(expect.any(String));
      expect(store.ready?.() ?? true).toBe(true);
    });

    describeIn('users', 'acme', () => {
      both('creates a user at version 1 with its attributes, and gets it by id', async () => {
        const user = await createUser('Ada.Lovelace', { displayName: 'Ada', [ENTERPRISE_URN]: { department: 'Math' } });
        expect(user).toMatchObject({ id: expect.any(String), version: 1, data: userData('Ada.Lovelace', { displayName: 'Ada', [ENTERPRISE_URN]: { department: 'Math' } }) });
        expect(user.created).toBe(user.lastModified);
        expect(Number.isNaN(Date.parse(user.created))).toBe(false);
        expect(user.passwordHash).toBeUndefined();
        expect(await t.users.get(user.id)).toEqual(user);
        expect(await t.users.get(randomUUID())).toBeUndefined();
      });

      both('keeps attribute names with dots and dollars, and values of every JSON type, as written', async () => {
        const data = userData('odd.keys', {
          active: false,
          [ENTERPRISE_URN]: { manager: { value: 'boss-1', $ref: 'https://example.com/Users/boss-1', displayName: 'Boss' }, employeeNumber: '7' },
          x509Certificates: [],
          nickName: null,
          title: '',
          [ACCOUNT_URN]: { status: 'Active', roles: ['A', 'B'] },
        });
        const user = await t.users.create({ data });
        expect((await t.users.get(user.id))!.data).toEqual(data);
        // And through an update, which replaces the whole document of attributes.
        const again = { ...data, title: 'Again' };
        expect(updated(await t.users.update(user.id, user.version, { data: again })).data).toEqual(again);
        expect((await t.users.get(user.id))!.data).toEqual(again);
      });

      both('keeps the password hash across updates that do not name one, and replaces it when one does', async () => {
        const user = await t.users.create({ data: userData('with.password'), passwordHash: 'hash-1' });
        expect(user.passwordHash).toBe('hash-1');
        const same = updated(await t.users.update(user.id, user.version, { data: userData('with.password', { title: 'T' }) }));
        expect(same.passwordHash).toBe('hash-1');
        const changed = updated(await t.users.update(user.id, same.version, { data: same.data, passwordHash: 'hash-2' }));
        expect(changed.passwordHash).toBe('hash-2');
        expect((await t.users.get(user.id))!.passwordHash).toBe('hash-2');
      });

      both('updates conditionally on the version: the expected one wins, a stale one gets versionMismatch and writes nothing', async () => {
        const user = await createUser('versioned');
        await tick();
        const next = updated(await t.users.update(user.id, 1, { data: userData('versioned', { title: 'First' }) }));
        expect(next).toMatchObject({ id: user.id, version: 2, created: user.created, data: { title: 'First' } });
        expect(next.lastModified > user.lastModified).toBe(true);

        expect(await t.users.update(user.id, 1, { data: userData('versioned', { title: 'Stale' }) })).toEqual({ status: 'versionMismatch', current: 2 });
        expect((await t.users.get(user.id))!.data.title).toBe('First');

        // No expected version: last writer wins.
        expect(updated(await t.users.update(user.id, undefined, { data: userData('versioned', { title: 'Last' }) })).version).toBe(3);
      });

      both('lets exactly one of several concurrent writers expecting the same version win', async () => {
        const user = await createUser('contended');
        const results = await Promise.all([1, 2, 3, 4, 5].map((n) => t.users.update(user.id, 1, { data: userData('contended', { title: `Writer ${n}` }) })));
        expect(results.filter((r) => r.status === 'updated')).toHaveLength(1);
        expect(results.filter((r) => r.status === 'versionMismatch')).toHaveLength(4);
        expect((await t.users.get(user.id))!.version).toBe(2);
      });

      both('answers notFound for an unknown id', async () => {
        expect(await t.users.update(randomUUID(), undefined, { data: userData('ghost') })).toEqual({ status: 'notFound' });
        expect(await t.users.update(randomUUID(), 1, { data: userData('ghost') })).toEqual({ status: 'notFound' });
        expect(await t.users.delete(randomUUID(), undefined)).toEqual({ status: 'notFound' });
      });

      both('refuses a userName another user holds in any case, on create and update (UniquenessViolation)', async () => {
        await createUser('Taken.Name');
        const attempt = createUser('TAKEN.name');
        await expect(attempt).rejects.toBeInstanceOf(UniquenessViolation);
        await expect(attempt).rejects.toMatchObject({ field: 'userName', value: 'TAKEN.name', heldByDeleted: false });

        const other = await createUser('other.name');
        const rename = t.users.update(other.id, other.version, { data: userData('taken.NAME') });
        await expect(rename).rejects.toMatchObject({ field: 'userName', value: 'taken.NAME', heldByDeleted: false });
        expect((await t.users.get(other.id))!).toEqual(other);
        expect((await t.users.list({ offset: 0, limit: 0 })).total).toBe(2);
      });

      both('lets a user change the case of its own userName, which frees nothing and takes nothing', async () => {
        const user = await createUser('own.case');
        const after = updated(await t.users.update(user.id, 1, { data: userData('Own.Case') }));
        expect(after.data.userName).toBe('Own.Case');
        await expect(createUser('OWN.CASE')).rejects.toBeInstanceOf(UniquenessViolation);
      });

      both('frees the old userName on a rename', async () => {
        const user = await createUser('before.rename');
        updated(await t.users.update(user.id, undefined, { data: userData('after.rename') }));
        await expect(createUser('BEFORE.rename')).resolves.toBeDefined();
        await expect(createUser('after.RENAME')).rejects.toBeInstanceOf(UniquenessViolation);
      });
    });

    describeIn('soft delete, restore and the retention sweeps', DEFAULT_TENANT_ID, () => {
      both('hides a deleted user from get, update, list and filters, conditionally on the version', async () => {
        const user = await createUser('soon.gone');
        const kept = await createUser('kept');
        expect(await t.users.delete(user.id, user.version + 1)).toEqual({ status: 'versionMismatch', current: user.version });
        expect(await t.users.delete(user.id, user.version)).toEqual({ status: 'updated', resource: null });

        expect(await t.users.get(user.id)).toBeUndefined();
        expect(await t.users.update(user.id, undefined, { data: user.data })).toEqual({ status: 'notFound' });
        expect(await t.users.delete(user.id, undefined)).toEqual({ status: 'notFound' });
        expect(await t.users.list({ offset: 0, limit: 10 })).toEqual({ total: 1, items: [kept] });
        expect((await t.users.list({ offset: 0, limit: 10, filter: userFilter('userName eq "soon.gone"') })).total).toBe(0);
      });

      both('keeps the userName of a deleted user: taking it is a UniquenessViolation held by a deleted user', async () => {
        const user = await createUser('Held.Name');
        updated(await t.users.delete(user.id, undefined));
        const error = await createUser('HELD.NAME').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(UniquenessViolation);
        expect(error).toMatchObject({ field: 'userName', value: 'HELD.NAME', heldByDeleted: true });
        const other = await createUser('other');
        await expect(t.users.update(other.id, undefined, { data: userData('held.name') })).rejects.toMatchObject({ heldByDeleted: true });
      });

      both('removes a deleted user from every group, bumping the version of those groups only', async () => {
        const [gone, stays] = await createUsers(2);
        const mine = await t.groups.create({ displayName: 'Mine' }, [gone.id, stays.id]);
        const theirs = await t.groups.create({ displayName: 'Theirs' }, [stays.id]);
        updated(await t.users.delete(gone.id, undefined));
        expect(await memberIds(mine.id)).toEqual([stays.id]);
        expect((await t.groups.get(mine.id))!.version).toBeGreaterThan(mine.version);
        expect((await t.groups.get(theirs.id))!.version).toBe(theirs.version);
        const page = await t.groups.list({ offset: 0, limit: 10, filter: groupFilter(`members.value eq "${gone.id}"`) });
        expect(page.total).toBe(0);
      });

      both('refuses a deleted user as a new member (UnknownMembers), and keeps its hidden membership through remove and removeAll', async () => {
        const [gone, live] = await createUsers(2);
        const group = await t.groups.create({ displayName: 'Hidden' }, [gone.id, live.id]);
        updated(await t.users.delete(gone.id, undefined));
        await expect(t.groups.create({ displayName: 'Nope' }, [gone.id])).rejects.toEqual(new UnknownMembers([gone.id]));
        await expect(updateGroup(group.id, undefined, { memberChanges: [{ op: 'add', ids: [gone.id] }] })).rejects.toBeInstanceOf(UnknownMembers);

        updated(await updateGroup(group.id, undefined, { memberChanges: [{ op: 'removeAll' }] }));
        updated(await updateGroup(group.id, undefined, { memberChanges: [{ op: 'remove', ids: [gone.id] }] }));
        expect(await memberIds(group.id)).toEqual([]);
        await t.users.restore({ id: gone.id });
        expect(await memberIds(group.id)).toEqual([gone.id]);
      });

      both('restores a deleted user by id with its data, password hash, memberships and a new version; its groups move on too', async () => {
        const user = await t.users.create({ data: userData('back.again'), passwordHash: 'hash-x' });
        const group = await t.groups.create({ displayName: 'Back' }, [user.id]);
        updated(await t.users.delete(user.id, undefined));
        const afterDelete = (await t.groups.get(group.id))!.version;

        const restored = await t.users.restore({ id: user.id });
        expect(restored).toMatchObject({ id: user.id, created: user.created, data: user.data, passwordHash: 'hash-x' });
        expect(restored!.version).toBeGreaterThan(user.version);
        expect(await t.users.get(user.id)).toEqual(restored);
        expect(await memberIds(group.id)).toEqual([user.id]);
        expect((await t.groups.get(group.id))!.version).toBeGreaterThan(afterDelete);
        expect((await t.users.groupsOf([user.id])).get(user.id)).toEqual([{ id: group.id, displayName: 'Back' }]);
      });

      both('restores by userName without regard to case, and answers undefined for a live or unknown user', async () => {
        const user = await createUser('Case.Restore');
        expect(await t.users.restore({ id: user.id })).toBeUndefined();
        expect(await t.users.restore({ userName: 'case.restore' })).toBeUndefined();
        updated(await t.users.delete(user.id, undefined));
        expect(await t.users.restore({ id: randomUUID() })).toBeUndefined();
        expect(await t.users.restore({ userName: 'no.such.name' })).toBeUndefined();
        expect((await t.users.restore({ userName: 'cASE.rESTORE' }))?.id).toBe(user.id);
        expect(await listUserNames({ filter: userFilter('userName eq "case.restore"') })).toEqual(['Case.Restore']);
      });

      both('purges users deleted before the cutoff with their tokens and memberships, returning them; later deletions stay restorable', async () => {
        const [old, recent, live] = [await createUser('Old.One'), await createUser('recent.one'), await createUser('live.one')];
        const group = await t.groups.create({ displayName: 'Purge' }, [old.id, recent.id, live.id]);
        await t.tokens.create(token('old', { userId: old.id }));
        await t.tokens.create(token('live', { userId: live.id }));
        await t.tokens.create(token('service'));
        updated(await t.users.delete(old.id, undefined));
        await tick();
        const cutoff = iso(Date.now());
        await tick();
        updated(await t.users.delete(recent.id, undefined));

        expect(await t.users.purgeDeleted(iso(Date.parse(cutoff) - DAY))).toEqual([]);
        expect(await t.users.purgeDeleted(cutoff)).toEqual([{ id: old.id, userName: 'Old.One' }]);
        expect(await t.tokens.get(tokenId('old'))).toBeUndefined();
        expect(await t.tokens.get(tokenId('live'))).toBeDefined();
        expect(await t.tokens.get(tokenId('service'))).toBeDefined();
        expect(await t.users.restore({ id: old.id })).toBeUndefined();
        // The userName is free again, and the erased user is no member anywhere, even restored ones.
        const newcomer = await createUser('old.one');
        expect(newcomer.id).not.toBe(old.id);
        expect((await t.users.restore({ id: recent.id }))?.id).toBe(recent.id);
        expect(await memberIds(group.id)).toEqual(sorted([recent.id, live.id]));
        expect(await t.users.purgeDeleted(iso(Date.now() + DAY))).toEqual([]);
      });

      both('soft-deletes the live users a filter selects (the sweep of users Inactive since before a cutoff), leaving others and the already deleted alone', async () => {
        const now = Date.now();
        const inactive = (userName: string, since: number, status = 'Inactive') => createUser(userName, inactiveSince(since, status));
        const old = await inactive('inactive.old', now - 100 * DAY);
        const recent = await inactive('inactive.recent', now - 10 * DAY);
        const activeOld = await inactive('active.old', now - 200 * DAY, 'Active');
        const noDate = await createUser('no.date', { [ACCOUNT_URN]: { status: 'Inactive' } });
        const noAccount = await createUser('no.account');
        const alreadyGone = await inactive('already.gone', now - 300 * DAY);
        updated(await t.users.delete(alreadyGone.id, undefined));
        const group = await t.groups.create({ displayName: 'Idle' }, [old.id, recent.id]);

        expect(await t.users.softDeleteWhere(inactiveBefore(registry, iso(now - 90 * DAY)))).toEqual([{ id: old.id, userName: 'inactive.old' }]);
        expect(await t.users.get(old.id)).toBeUndefined();
        for (const user of [recent, activeOld, noDate, noAccount]) expect(await t.users.get(user.id)).toBeDefined();
        expect(await memberIds(group.id)).toEqual([recent.id]);
        expect((await t.groups.get(group.id))!.version).toBeGreaterThan(group.version);
        // Soft-deleted, not erased: restorable with the membership.
        await t.users.restore({ userName: 'INACTIVE.OLD' });
        expect(await memberIds(group.id)).toEqual(sorted([old.id, recent.id]));
      });
    });

    describeIn('listing users', 'acme', () => {
      const names = ['alice', 'Bob', 'carol', 'Dave', 'eve'];
      let users: StoredUser[];

      seedEach(async () => {
        users = [];
        for (const [i, userName] of names.entries()) {
          users.push(await createUser(userName, {
            title: i % 2 === 0 ? 'Engineer' : 'Manager',
            active: i !== 3,
            [ACCOUNT_URN]: { status: i === 4 ? 'Inactive' : 'Active' },
          }));
        }
      });

      both('counts and pages: limit 0 asks for the total only, an offset past the end returns no items', async () => {
        expect(await t.users.list({ offset: 0, limit: 0 })).toEqual({ total: 5, items: [] });
        expect(await t.users.list({ offset: 5, limit: 10 })).toEqual({ total: 5, items: [] });
        const page = await t.users.list({ offset: 1, limit: 2, sort: userSort('userName') });
        expect(page.total).toBe(5);
        expect(page.items).toEqual([users[1], users[2]]);
      });

      both('returns every user exactly once across pages in the default order', async () => {
        const seen: string[] = [];
        for (let offset = 0; offset < 5; offset += 2) {
          const page = await t.users.list({ offset, limit: 2 });
          expect(page.total).toBe(5);
          seen.push(...page.items.map((u) => u.id));
        }
        expect(sorted(seen)).toEqual(sorted(users.map((u) => u.id)));
      });

      both('sorts case-insensitively, in both directions, without overlap between pages', async () => {
        expect(await listUserNames({ sort: userSort('userName') })).toEqual(names);
        expect(await listUserNames({ sort: userSort('userName', 'descending') })).toEqual([...names].reverse());
        const seen: unknown[] = [];
        for (let offset = 0; offset < 5; offset += 2) seen.push(...await listUserNames({ sort: userSort('userName', 'descending'), offset, limit: 2 }));
        expect(seen).toEqual([...names].reverse());
        // Computed sort values (title is not a promoted field), ties broken the same way every time.
        const byTitle = await listUserNames({ sort: userSort('title') });
        expect(byTitle.slice(0, 3).sort()).toEqual(['alice', 'carol', 'eve']);
        expect(byTitle.slice(3).sort()).toEqual(['Bob', 'Dave']);
        expect(await listUserNames({ sort: userSort('title') })).toEqual(byTitle);
      });

      bothEach([
        ['userName eq "ALICE"', ['alice']],
        ['userName sw "d"', ['Dave']],
        ['userName co "A"', ['alice', 'carol', 'Dave']],
        ['title eq "engineer" and active eq true', ['alice', 'carol', 'eve']],
        ['not (title eq "engineer")', ['Bob', 'Dave']],
        ['active eq false or userName eq "bob"', ['Bob', 'Dave']],
        ['emails[type eq "work" and value ew "@EXAMPLE.COM"]', names],
        ['emails.value eq "carol@example.com"', ['carol']],
        [`${ACCOUNT_URN}:status eq "Inactive"`, ['eve']],
        [`${ACCOUNT_URN}:status eq "inactive"`, []],
        ['nickName pr', []],
      ])('filters: %s', async (text, expected) => {
        const page = await t.users.list({ offset: 0, limit: 100, filter: userFilter(text), sort: userSort('userName') });
        expect(page.items.map((u) => u.data.userName)).toEqual(expected);
        expect(page.total).toBe(expected.length);
      });

      both('filters, sorts and pages at once', async () => {
        const page = await t.users.list({ offset: 1, limit: 1, filter: userFilter('title eq "Engineer"'), sort: userSort('userName', 'descending') });
        expect(page).toEqual({ total: 3, items: [users[2]] });
      });

      both('filters on id and on a user\'s groups', async () => {
        const group = await t.groups.create({ displayName: 'Filtered' }, [users[0].id, users[3].id]);
        expect(await listUserNames({ filter: userFilter(`id eq "${users[1].id}"`) })).toEqual(['Bob']);
        expect(await listUserNames({ filter: userFilter(`groups.value eq "${group.id}"`), sort: userSort('userName') })).toEqual(['alice', 'Dave']);
        expect(await listUserNames({ filter: userFilter(`groups eq "${randomUUID()}"`) })).toEqual([]);
      });
    });

    describeIn('groups', DEFAULT_TENANT_ID, () => {
      both('creates a group at version 1 with its members, each named once', async () => {
        const [a, b] = await createUsers(2);
        const group = await t.groups.create({ displayName: 'Engineering', externalId: 'ext-1' }, [a.id, b.id, a.id]);
        expect(group).toMatchObject({ id: expect.any(String), version: 1, data: { displayName: 'Engineering', externalId: 'ext-1' } });
        expect(group.created).toBe(group.lastModified);
        expect(await t.groups.get(group.id)).toEqual(group);
        expect(await t.groups.get(randomUUID())).toBeUndefined();
        expect(await memberIds(group.id)).toEqual(sorted([a.id, b.id]));
      });

      both('throws UnknownMembers naming every id that is not a live user (groups included), and writes nothing', async () => {
        const [a] = await createUsers(1);
        const other = await t.groups.create({ displayName: 'Other' }, []);
        const missing = randomUUID();
        const attempt = t.groups.create({ displayName: 'Ghosts' }, [a.id, missing, other.id]);
        await expect(attempt).rejects.toBeInstanceOf(UnknownMembers);
        await expect(attempt).rejects.toMatchObject({ ids: [missing, other.id] });
        expect((await t.users.groupsOf([a.id])).get(a.id)).toEqual([]);
        expect((await t.groups.list({ offset: 0, limit: 10 })).total).toBe(1);
        await expect(t.groups.create({ displayName: 'Ghosts' }, [])).resolves.toBeDefined();
      });

      both('refuses a displayName another group holds in any case (UniquenessViolation), on create and rename', async () => {
        const [a] = await createUsers(1);
        await t.groups.create({ displayName: 'Sales Team' }, []);
        const attempt = t.groups.create({ displayName: 'SALES team' }, [a.id]);
        await expect(attempt).rejects.toBeInstanceOf(UniquenessViolation);
        await expect(attempt).rejects.toMatchObject({ field: 'displayName', value: 'SALES team' });
        expect((await t.users.groupsOf([a.id])).get(a.id)).toEqual([]);

        const group = await t.groups.create({ displayName: 'Free' }, []);
        const rename = updateGroup(group.id, undefined, { data: { displayName: 'sales TEAM' }, memberChanges: [{ op: 'add', ids: [a.id] }] });
        await expect(rename).rejects.toMatchObject({ field: 'displayName', value: 'sales TEAM' });
        expect(await t.groups.get(group.id)).toEqual(group);
        expect(await memberIds(group.id)).toEqual([]);

        const own = updated(await updateGroup(group.id, undefined, { data: { displayName: 'FREE' } }));
        expect(own.data.displayName).toBe('FREE');
      });

      both('applies member changes as set operations, in order: each write is one new version, however many changes it holds', async () => {
        const [a, b, c] = await createUsers(3);
        const group = await t.groups.create({ displayName: 'Ordered', externalId: 'keep-me' }, [a.id]);

        const first = updated(await updateGroup(group.id, undefined, { memberChanges: [{ op: 'add', ids: [b.id] }, { op: 'remove', ids: [b.id] }] }));
        expect(first.version).toBe(group.version + 1);
        expect(first.data).toEqual(group.data);
        expect(await memberIds(group.id)).toEqual([a.id]);

        const second = updated(await updateGroup(group.id, undefined, { memberChanges: [{ op: 'add', ids: [a.id] }, { op: 'remove', ids: [c.id, randomUUID()] }] }));
        expect(second.version).toBe(first.version + 1);
        expect(await memberIds(group.id)).toEqual([a.id]);

        const third = updated(await updateGroup(group.id, second.version, { memberChanges: [{ op: 'removeAll' }, { op: 'add', ids: [b.id, c.id] }] }));
        expect(third.version).toBe(second.version + 1);
        expect(await memberIds(group.id)).toEqual(sorted([b.id, c.id]));
        expect(await t.groups.get(group.id)).toEqual(third);
      });

      both('replaces the attributes and the members in one write, conditionally on the version', async () => {
        const [a, b] = await createUsers(2);
        const group = await t.groups.create({ displayName: 'Before', externalId: 'old' }, [a.id]);
        const after = updated(await updateGroup(group.id, 1, { data: { displayName: 'After' }, memberChanges: [{ op: 'add', ids: [b.id] }] }));
        expect(after.data).toEqual({ displayName: 'After' });
        expect(after.version).toBe(2);
        expect(await memberIds(group.id)).toEqual(sorted([a.id, b.id]));
        await expect(t.groups.create({ displayName: 'before' }, [])).resolves.toBeDefined();
        await expect(t.groups.create({ displayName: 'after' }, [])).rejects.toBeInstanceOf(UniquenessViolation);
      });

      both('returns versionMismatch with the current version for a stale one, writing nothing; notFound for an unknown id', async () => {
        const [a, b] = await createUsers(2);
        const group = await t.groups.create({ displayName: 'Stale' }, [a.id]);
        const moved = updated(await updateGroup(group.id, 1, { memberChanges: [{ op: 'add', ids: [b.id] }] }));
        const result = await updateGroup(group.id, 1, { data: { displayName: 'Never' }, memberChanges: [{ op: 'removeAll' }] });
        expect(result).toEqual({ status: 'versionMismatch', current: moved.version });
        expect(await t.groups.get(group.id)).toEqual(moved);
        expect(await memberIds(group.id)).toEqual(sorted([a.id, b.id]));
        expect(await updateGroup(randomUUID(), undefined, { memberChanges: [{ op: 'removeAll' }] })).toEqual({ status: 'notFound' });
        expect(await updateGroup(randomUUID(), 1, { data: { displayName: 'Nowhere' } })).toEqual({ status: 'notFound' });
      });

      both('throws UnknownMembers and leaves attributes, members and version as they were', async () => {
        const [a, b] = await createUsers(2);
        const group = await t.groups.create({ displayName: 'Atomic' }, [a.id]);
        const missing = randomUUID();
        const attempt = updateGroup(group.id, undefined, {
          data: { displayName: 'Atomic Renamed' },
          memberChanges: [{ op: 'removeAll' }, { op: 'add', ids: [b.id] }, { op: 'add', ids: [missing] }],
        });
        await expect(attempt).rejects.toBeInstanceOf(UnknownMembers);
        await expect(attempt).rejects.toMatchObject({ ids: [missing] });
        expect(await t.groups.get(group.id)).toEqual(group);
        expect(await memberIds(group.id)).toEqual([a.id]);
      });

      both('never loses a member when many writers add members at once', async () => {
        const users = await createUsers(12);
        const group = await t.groups.create({ displayName: 'Busy' }, []);
        const results = await Promise.all(users.map((u) => updateGroup(group.id, undefined, { memberChanges: [{ op: 'add', ids: [u.id] }] })));
        expect(results.every((r) => r.status === 'updated')).toBe(true);
        expect(await memberIds(group.id)).toEqual(sorted(users.map((u) => u.id)));
        // The same member added by many writers at once is one membership.
        await Promise.all(users.slice(0, 4).map(() => updateGroup(group.id, undefined, { memberChanges: [{ op: 'add', ids: [users[0].id] }] })));
        expect(await memberIds(group.id)).toHaveLength(12);
        expect((await t.groups.get(group.id))!.version).toBeGreaterThan(12);
      });

      both('lets exactly one of several concurrent writers expecting the same version win', async () => {
        const group = await t.groups.create({ displayName: 'Contended' }, []);
        const results = await Promise.all([1, 2, 3, 4].map((n) => updateGroup(group.id, 1, { data: { displayName: `Contended ${n}` } })));
        expect(results.filter((r) => r.status === 'updated')).toHaveLength(1);
        expect(results.filter((r) => r.status === 'versionMismatch')).toHaveLength(3);
      });

      both('deletes a group and its memberships conditionally on the version, leaving the users and other groups', async () => {
        const [a, b] = await createUsers(2);
        const doomed = await t.groups.create({ displayName: 'Doomed' }, [a.id, b.id]);
        const kept = await t.groups.create({ displayName: 'Kept' }, [a.id]);
        expect(await t.groups.delete(doomed.id, 2)).toEqual({ status: 'versionMismatch', current: 1 });
        expect(await t.groups.delete(doomed.id, 1)).toEqual({ status: 'updated', resource: null });
        expect(await t.groups.get(doomed.id)).toBeUndefined();
        expect(await t.groups.delete(doomed.id, undefined)).toEqual({ status: 'notFound' });
        expect(await memberIds(doomed.id)).toEqual([]);
        const groupsOf = await t.users.groupsOf([a.id, b.id]);
        expect(groupsOf.get(a.id)).toEqual([{ id: kept.id, displayName: 'Kept' }]);
        expect(groupsOf.get(b.id)).toEqual([]);
        expect(await t.users.get(b.id)).toEqual(b);
        await expect(t.groups.create({ displayName: 'doomed' }, [])).resolves.toBeDefined();
      });

      both('answers membersOf for several groups at once: display is the displayName, else the userName', async () => {
        const alice = await createUser('alice', { displayName: 'Alice Display' });
        const bob = await createUser('bob');
        const g1 = await t.groups.create({ displayName: 'G1' }, [alice.id, bob.id]);
        const g2 = await t.groups.create({ displayName: 'G2' }, [bob.id]);
        const g3 = await t.groups.create({ displayName: 'G3' }, []);
        const unknown = randomUUID();
        const result = await t.groups.membersOf([g1.id, g2.id, g3.id, unknown]);
        expect(sorted([...result.keys()])).toEqual(sorted([g1.id, g2.id, g3.id, unknown]));
        const byId = <T extends { id: string }>(refs: readonly T[]) => [...refs].sort((x, y) => (x.id < y.id ? -1 : 1));
        expect(byId(result.get(g1.id)!)).toEqual(byId([{ id: alice.id, display: 'Alice Display' }, { id: bob.id, display: 'bob' }]));
        expect(result.get(g2.id)).toEqual([{ id: bob.id, display: 'bob' }]);
        expect(result.get(g3.id)).toEqual([]);
        expect(result.get(unknown)).toEqual([]);
      });

      both('answers groupsOf for several users at once, each user\'s groups by displayName', async () => {
        const [a, b, c] = await createUsers(3);
        const zeta = await t.groups.create({ displayName: 'zeta' }, [a.id]);
        const alpha = await t.groups.create({ displayName: 'Alpha' }, [a.id, b.id]);
        const mid = await t.groups.create({ displayName: 'Mid' }, [a.id]);
        const result = await t.users.groupsOf([a.id, b.id, c.id]);
        expect(result.get(a.id)).toEqual([alpha, mid, zeta].map((g) => ({ id: g.id, displayName: g.data.displayName })));
        expect(result.get(b.id)).toEqual([{ id: alpha.id, displayName: 'Alpha' }]);
        expect(result.get(c.id)).toEqual([]);
      });

      both('lists groups with filters on attributes and members, sorted and paged', async () => {
        const [a, b] = await createUsers(2);
        const eng = await t.groups.create({ displayName: 'Engineering', externalId: 'grp-eng' }, [a.id]);
        const emp = await t.groups.create({ displayName: 'Empty Group' }, []);
        const sales = await t.groups.create({ displayName: 'sales' }, [a.id, b.id]);
        const list = async (filter?: string, sortOrder: 'ascending' | 'descending' = 'ascending', offset = 0, limit = 10) =>
          t.groups.list({
            offset, limit,
            ...(filter ? { filter: groupFilter(filter) } : {}),
            sort: parseListRequest(registry.group, { sortBy: 'displayName', sortOrder }, 100).sort,
          });
        expect((await list()).items).toEqual([emp, eng, sales]);
        expect((await list(undefined, 'descending', 1, 1))).toEqual({ total: 3, items: [eng] });
        expect((await list('displayName sw "E"')).items.map((g) => g.id)).toEqual([emp.id, eng.id]);
        expect((await list('externalId eq "grp-eng"')).items.map((g) => g.id)).toEqual([eng.id]);
        expect((await list('externalId eq "GRP-ENG"')).total).toBe(0);
        expect((await list(`members.value eq "${a.id}"`)).items.map((g) => g.id)).toEqual([eng.id, sales.id]);
        expect((await list(`members[value eq "${b.id}"]`)).items.map((g) => g.id)).toEqual([sales.id]);
        expect((await list('members pr')).items.map((g) => g.id)).toEqual([eng.id, sales.id]);
        expect((await list('not (members pr)')).items.map((g) => g.id)).toEqual([emp.id]);
      });

      both('handles a group with more members than one query names, and users in many groups', async () => {
        const users = await createUsers(1100);
        const big = await t.groups.create({ displayName: 'Big' }, users.map((u) => u.id));
        expect(await memberIds(big.id)).toEqual(sorted(users.map((u) => u.id)));
        const last = users[users.length - 1];
        updated(await t.users.delete(last.id, undefined));
        expect(await memberIds(big.id)).toHaveLength(1099);
        updated(await updateGroup(big.id, undefined, { memberChanges: [{ op: 'removeAll' }] }));
        expect(await memberIds(big.id)).toEqual([]);
        await t.users.restore({ id: last.id });
        expect(await memberIds(big.id)).toEqual([last.id]);

        const groups: StoredGroup[] = [];
        for (let i = 0; i < 30; i++) groups.push(await t.groups.create({ displayName: `Many ${String(i).padStart(2, '0')}` }, [users[0].id]));
        const groupsOf = await t.users.groupsOf(users.map((u) => u.id));
        expect(groupsOf.size).toBe(1100);
        expect(groupsOf.get(users[0].id)!.map((g) => g.id)).toEqual(groups.map((g) => g.id));
        expect(groupsOf.get(users[1].id)).toEqual([]);
      }, 120_000);
    });

    describeIn('tokens of a tenant', 'acme', () => {
      both('creates, finds by hash or id, and lists service tokens apart from each user\'s, oldest first; each record names the tenant', async () => {
        const created = await t.tokens.create(token('t1', { expires: '2030-01-01T00:00:00.000Z' }));
        expect(created).toEqual({
          id: tokenId('t1'), name: 'token t1', hash: `hash-${tokenId('t1')}`, created: '2024-01-01T00:00:00.000Z', expires: '2030-01-01T00:00:00.000Z', tenantId: t.tenantId,
        });
        await t.tokens.create(token('t0', { created: '2023-01-01T00:00:00.000Z' }));
        await t.tokens.create(token('u1', { userId: 'user-1' }));
        expect(await store.credentials.findByHash(`hash-${tokenId('t1')}`)).toEqual(created);
        expect(await store.credentials.findByHash('nope')).toBeUndefined();
        expect(await t.tokens.get(tokenId('t1'))).toEqual(created);
        expect(await t.tokens.get(tokenId('u1'))).toMatchObject({ id: tokenId('u1'), userId: 'user-1', tenantId: t.tenantId });
        expect(await t.tokens.get(tokenId('nope'))).toBeUndefined();
        expect((await t.tokens.list()).map((k) => k.id)).toEqual([tokenId('t0'), tokenId('t1')]);
        expect((await t.tokens.list('user-1')).map((k) => k.id)).toEqual([tokenId('u1')]);
        expect(await t.tokens.list('user-2')).toEqual([]);
      });

      both('refuses a second token with the same hash', async () => {
        await t.tokens.create(token('a'));
        // Any refusal will do: the adapter's own error (not a port type). Not `rejects.toThrow()`,
        // which does not recognise a SqliteError made in another test file's module registry.
        const outcome = await t.tokens.create({ ...token('b'), hash: `hash-${tokenId('a')}` }).then(() => 'created', () => 'refused');
        expect(outcome).toBe('refused');
        expect((await t.tokens.list()).map((k) => k.id)).toEqual([tokenId('a')]);
      });

      both('revokes once (keeping the first time), touches, and removes', async () => {
        await t.tokens.create(token('r'));
        expect(await t.tokens.revoke(tokenId('r'), '2024-02-01T00:00:00.000Z')).toBe(true);
        expect(await t.tokens.revoke(tokenId('r'), '2024-03-01T00:00:00.000Z')).toBe(true);
        expect((await t.tokens.get(tokenId('r')))!.revoked).toBe('2024-02-01T00:00:00.000Z');
        expect(await t.tokens.revoke(tokenId('nope'), '2024-02-01T00:00:00.000Z')).toBe(false);
        await store.credentials.touch(tokenId('r'), '2024-04-01T00:00:00.000Z');
        expect((await t.tokens.get(tokenId('r')))!.lastUsed).toBe('2024-04-01T00:00:00.000Z');
        expect(await t.tokens.remove(tokenId('r'))).toBe(true);
        expect(await t.tokens.remove(tokenId('r'))).toBe(false);
        expect(await t.tokens.get(tokenId('r'))).toBeUndefined();
      });

      both('revokes every token of one user at once, keeping earlier revocation times and other tokens', async () => {
        await t.tokens.create(token('mine-1', { userId: 'user-1' }));
        await t.tokens.create(token('mine-2', { userId: 'user-1' }));
        await t.tokens.create(token('theirs', { userId: 'user-2' }));
        await t.tokens.create(token('service'));
        await t.tokens.revoke(tokenId('mine-2'), '2024-02-01T00:00:00.000Z');
        await t.tokens.revokeOfUser('user-1', '2024-03-01T00:00:00.000Z');
        const revoked = async (name: string) => (await t.tokens.get(tokenId(name)))!.revoked;
        expect(await revoked('mine-1')).toBe('2024-03-01T00:00:00.000Z');
        expect(await revoked('mine-2')).toBe('2024-02-01T00:00:00.000Z');
        expect(await revoked('theirs')).toBeUndefined();
        expect(await revoked('service')).toBeUndefined();
        await t.tokens.revokeOfUser('nobody', '2024-03-01T00:00:00.000Z');
      });

      both('stamps a user\'s lastDeletedAt when it is soft-deleted (by DELETE or the inactivity sweep) and keeps it through a restore', async () => {
        const user = await createUser('stamped');
        expect(user).not.toHaveProperty('lastDeletedAt');
        const before = iso(Date.now());
        updated(await t.users.delete(user.id, undefined));
        const restored = (await t.users.restore({ id: user.id }))!;
        expect(restored.lastDeletedAt! >= before).toBe(true);
        expect(await t.users.get(user.id)).toEqual(restored);
        expect((await t.users.list({ offset: 0, limit: 10 })).items).toEqual([restored]);

        const idle = await createUser('idle', inactiveSince(Date.now() - 10 * DAY));
        await t.users.softDeleteWhere(inactiveBefore(registry, iso(Date.now() - DAY)));
        expect((await t.users.restore({ id: idle.id }))!.lastDeletedAt).toEqual(expect.any(String));
      });
    });

    describeIn('cursor pagination (ListQuery.after, RFC 9865)', DEFAULT_TENANT_ID, () => {
      // Case differences, ties (title), missing values (title, displayName), a primary email that is not the smallest.
      const people: [string, JsonObject][] = [
        ['bravo', { title: 'Engineer', displayName: 'Bravo B', emails: [{ value: 'zz@example.com', type: 'home' }, { value: 'aa@example.com', type: 'work', primary: true }] }],
        ['Alpha', { displayName: 'team alpha' }],
        ['charlie', { title: 'Designer', displayName: 'Team Alpha 2' }],
        ['Echo', {}],
        ['delta', { title: 'engineer' }],
        ['foxtrot', { title: 'ENGINEER', displayName: 'bravo b' }],
        ['Golf', { title: 'Zookeeper' }],
      ];
      let byName: Record<string, StoredUser>;

      seedEach(async () => {
        byName = {};
        for (const [userName, extra] of people) byName[userName] = await createUser(userName, extra);
      });

      /** Every cursor page of a query from `start` on: the items in order, and each page. */
      const walk = async <T extends { id: string }>(list: (after: ListPosition) => Promise<Page<T>>, start: ListPosition = []) => {
        const items: T[] = [];
        const pages: Page<T>[] = [];
        let after: ListPosition = start;
        for (let guard = 0; guard < 100; guard++) {
          const page = await list(after);
          pages.push(page);
          items.push(...page.items);
          if (!page.next) return { items, pages };
          after = page.next;
        }
        throw new Error('the walk did not end');
      };
      const ids = (items: readonly { id: string }[]) => items.map((item) => item.id);
      const userWalk = (query: Partial<ListQuery>, limit: number) => walk((after) => t.users.list({ offset: 0, limit, ...query, after }));

      bothEach([
        ['the default order', undefined],
        ['userName ascending', ['userName', 'ascending']],
        ['userName descending', ['userName', 'descending']],
        ['title ascending (ties, missing values last)', ['title', 'ascending']],
        ['title descending (missing values first)', ['title', 'descending']],
        ['displayName ascending', ['displayName', 'ascending']],
        ['displayName descending', ['displayName', 'descending']],
        ['emails.value (a multi-valued attribute, by its primary value)', ['emails.value', 'descending']],
        ['meta.created', ['meta.created', 'descending']],
        ['meta.lastModified', ['meta.lastModified', 'ascending']],
      ] as const)('walks every user exactly once, in the order of index pagination: %s', async (_label, sortBy) => {
        const sort = sortBy ? userSort(sortBy[0], sortBy[1]) : undefined;
        const indexed = await t.users.list({ offset: 0, limit: 100, sort });
        expect(indexed.items).toHaveLength(people.length);
        for (const limit of [1, 2, 3, 7, 50]) {
          const { items, pages } = await userWalk({ sort }, limit);
          expect(ids(items)).toEqual(ids(indexed.items));
          expect(items).toEqual(indexed.items);
          expect(pages).toHaveLength(Math.max(1, Math.ceil(people.length / limit)));
          for (const page of pages) expect(page.total).toBe(people.length);
          // Every page but the last is full; only the last has no next.
          expect(pages.slice(0, -1).every((page) => page.items.length === limit && page.next)).toBe(true);
          expect(pages[pages.length - 1].next).toBeUndefined();
        }
      });

      both('sorts case-insensitively and puts missing values last ascending, first descending', async () => {
        const names = (items: readonly StoredUser[]) => items.map((u) => u.data.userName);
        expect(names((await userWalk({ sort: userSort('userName') }, 2)).items)).toEqual(['Alpha', 'bravo', 'charlie', 'delta', 'Echo', 'foxtrot', 'Golf']);
        const byTitle = names((await userWalk({ sort: userSort('title') }, 2)).items);
        expect(byTitle.slice(0, 1)).toEqual(['charlie']);
        expect(byTitle.slice(1, 4).sort()).toEqual(['bravo', 'delta', 'foxtrot']);
        expect(byTitle.slice(4, 5)).toEqual(['Golf']);
        expect(byTitle.slice(5).sort()).toEqual(['Alpha', 'Echo']);
        const descending = names((await userWalk({ sort: userSort('title', 'descending') }, 3)).items);
        expect(descending.slice(0, 2).sort()).toEqual(['Alpha', 'Echo']);
        expect(descending[2]).toBe('Golf');
      });

      both('walks a filtered list, and counts the filter on every page', async () => {
        const filter = userFilter('title eq "engineer"');
        const { items, pages } = await userWalk({ filter, sort: userSort('userName', 'descending') }, 2);
        expect(items.map((u) => u.data.userName)).toEqual(['foxtrot', 'delta', 'bravo']);
        expect(pages.map((page) => page.total)).toEqual([3, 3]);
      });

      both('walks groups, sorted by displayName and in the default order', async () => {
        const groups: StoredGroup[] = [];
        for (const displayName of ['ops', 'Admins', 'billing', 'Zeta', 'core']) groups.push(await t.groups.create({ displayName }, []));
        const sort = parseListRequest(registry.group, { sortBy: 'displayName', sortOrder: 'descending' }, 100).sort;
        const { items } = await walk((after) => t.groups.list({ offset: 0, limit: 2, sort, after }));
        expect(items.map((g) => g.data.displayName)).toEqual(['Zeta', 'ops', 'core', 'billing', 'Admins']);
        const indexed = await t.groups.list({ offset: 0, limit: 100 });
        expect(ids((await walk((after) => t.groups.list({ offset: 0, limit: 3, after }))).items)).toEqual(ids(indexed.items));
      });

      bothEach([
        ['the default order', undefined],
        ['userName', ['userName', 'ascending']],
        ['title descending', ['title', 'descending']],
      ] as const)('neither repeats nor skips a user when others are created or deleted mid-walk: %s', async (_label, sortBy) => {
        const sort = sortBy ? userSort(sortBy[0], sortBy[1]) : undefined;
        const before = ids((await t.users.list({ offset: 0, limit: 100, sort })).items);
        const first = await t.users.list({ offset: 0, limit: 3, sort, after: [] });
        // The last user served is deleted (the position outlives it), one not yet served is deleted, and new ones arrive on both sides.
        const lastServed = first.items[2].id;
        const unseen = before[5];
        updated(await t.users.delete(lastServed, undefined));
        updated(await t.users.delete(unseen, undefined));
        await tick();
        const early = await createUser('aaa.new', { title: 'Aardvark keeper', displayName: 'aaa' });
        await tick();
        const late = await createUser('zzz.new', { title: 'Zz top', displayName: 'zzz' });
        const { items } = await walk((after) => t.users.list({ offset: 0, limit: 2, sort, after }), first.next);
        const seen = [...ids(first.items), ...ids(items)];
        expect(new Set(seen).size).toBe(seen.length);
        // Every user that existed throughout was served exactly once, in the original order.
        const survivors = before.filter((id) => id !== unseen);
        expect(seen.filter((id) => survivors.includes(id))).toEqual(survivors);
        expect(seen).not.toContain(unseen);
        // A newcomer is served when it sorts after the position: always at the end of the default order.
        if (!sort) expect(seen.slice(-2)).toEqual([early.id, late.id]);
        if (sortBy?.[0] === 'userName') {
          expect(seen).not.toContain(early.id);
          expect(seen[seen.length - 1]).toBe(late.id);
        }
      });

      both('answers limit 0 with the total only, and the last page of an exact multiple without next', async () => {
        expect(await t.users.list({ offset: 0, limit: 0, after: [] })).toEqual({ total: 7, items: [] });
        const first = await t.users.list({ offset: 0, limit: 4, sort: userSort('userName'), after: [] });
        expect(first.next).toBeDefined();
        const second = await t.users.list({ offset: 0, limit: 3, sort: userSort('userName'), after: first.next });
        expect(second.items).toHaveLength(3);
        expect(second.next).toBeUndefined();
        expect(await t.users.list({ offset: 0, limit: 0, sort: userSort('userName'), after: first.next })).toEqual({ total: 7, items: [] });
        // The offset is ignored beside a position.
        expect((await t.users.list({ offset: 5, limit: 2, after: [] })).items).toEqual((await t.users.list({ offset: 0, limit: 2 })).items);
      });

      both('never serves, from any position, a resource the filter excludes', async () => {
        const unfiltered = await t.users.list({ offset: 0, limit: 1, sort: userSort('userName'), after: [] });
        const filter = userFilter('userName sw "d" or userName sw "g"');
        const page = await t.users.list({ offset: 0, limit: 100, filter, sort: userSort('userName'), after: unfiltered.next });
        expect(page.items.map((u) => u.data.userName)).toEqual(['delta', 'Golf']);
        expect(page.total).toBe(2);
        // A deleted user stays hidden however the position is chosen.
        updated(await t.users.delete(byName.delta.id, undefined));
        expect((await t.users.list({ offset: 0, limit: 100, filter, sort: userSort('userName'), after: unfiltered.next })).items.map((u) => u.data.userName)).toEqual(['Golf']);
      });

      bothEach([
        ['too many keys', undefined, [1, 2, 3, 4, 5, 6, 7]],
        ['too few keys for a sorted order', ['title', 'ascending'], ['x']],
        ['a key of the wrong type', undefined, ['not-a-position']],
      ] as const)('refuses a position that does not fit the order (InvalidPosition): %s', async (_label, sortBy, after) => {
        const sort = sortBy ? userSort(sortBy[0], sortBy[1]) : undefined;
        await expect(t.users.list({ offset: 0, limit: 2, sort, after })).rejects.toBeInstanceOf(InvalidPosition);
        await expect(t.users.list({ offset: 0, limit: 0, sort, after })).rejects.toBeInstanceOf(InvalidPosition);
        await expect(t.groups.list({ offset: 0, limit: 2, after: [1, 2, 3, 4, 5, 6, 7] })).rejects.toBeInstanceOf(InvalidPosition);
      });
    });

    tenantIsolationContract(() => store, registry);
    tenantRegistryContract(() => store);
    eventsContract(() => store);
    webhooksContract(() => store);
    effectivePermissionsContract(() => store, registry);
    clientsContract(() => store);
    deletedUsersContract(() => store, registry);
    countsContract(() => store, registry);
    batchCreateContract(() => store, registry);
    sweepChunksContract(() => store, registry);
    groupMembersContract(() => store, registry);
    activityContract(() => store);
  });
}
