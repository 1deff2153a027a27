import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import { parseListRequest } from '../../../src/scim/list/list-request';
import type { SchemaRegistry } from '../../../src/scim/schema/registry';
import {
  DEFAULT_TENANT_ID, InvalidPosition, UniquenessViolation, UnknownMembers,
  type ListQuery, type Page, type Store, type StoredUser, type TenantStore,
} from '../../../src/store/port';
import { DAY, inactiveBefore, inactiveSince, iso, sorted, updated, userData } from './contract-support';
import { tenantSnapshot } from './twin-tenants';
import { journal } from '../../support/journal';

/** A tenant's population, the same in every tenant it is seeded in (token ids and hashes aside). */
async function populate(tenant: TenantStore) {
  const user = (userName: string, extra = {}) => tenant.users.create({ data: userData(userName, extra) });
  const alice = await user('alice', { displayName: 'Alice' });
  const bob = await user('bob');
  const gone = await user('gone');
  const idle = await user('idle', inactiveSince(Date.now() - 100 * DAY));
  const staff = await tenant.groups.create({ displayName: 'Staff' }, [alice.id, bob.id, gone.id]);
  updated(await tenant.users.delete(gone.id, undefined));
  const tokenId = (name: string) => `${tenant.tenantId}.${name}`;
  const token = (name: string, userId?: string) => tenant.tokens.create({
    id: tokenId(name), name, hash: `hash-${tokenId(name)}`, created: '2024-01-01T00:00:00.000Z', ...(userId ? { userId } : {}),
  });
  const tokens = {
    service: await token('service'),
    alice: await token('alice', alice.id),
    gone: await token('gone', gone.id),
    /** Bound to a user id string both tenants use (as if a client named its own ids). */
    shared: await token('shared', 'user-1'),
  };
  return { alice, bob, gone, idle, staff, tokens, live: [alice, bob, idle] as StoredUser[] };
}
type Population = Awaited<ReturnType<typeof populate>>;

/**
 * Two tenants holding the same data, each case reaching from one into the other on purpose
 * through every port method that takes an id, a filter, a position or a cutoff: nothing of the
 * other tenant is found, counted, written or erased. Run in both directions, so `default` is
 * both the tenant reaching and the tenant reached.
 */
export function tenantIsolationContract(getStore: () => Store, registry: SchemaRegistry): void {
  const userFilter = (text: string) => resolveFilter(registry.user, parseFilter(text));
  const groupFilter = (text: string) => resolveFilter(registry.group, parseFilter(text));
  const userSort = parseListRequest(registry.user, { sortBy: 'userName', sortOrder: 'ascending' }, 100).sort;
  const ids = (page: Page<{ id: string }>) => sorted(page.items.map((item) => item.id));
  const all: ListQuery = { offset: 0, limit: 100 };

  describe.each([
    ['acme', DEFAULT_TENANT_ID],
    [DEFAULT_TENANT_ID, 'acme'],
  ])('across tenants: %s never reaches into %s', (mineId, theirsId) => {
    let store: Store;
    let mine: TenantStore;
    let theirs: TenantStore;
    let my: Population;
    let their: Population;
    /** Asserts that `theirs` is as it was before `act`. */
    const leavesTheirs = async (act: () => Promise<void>) => {
      const before = await tenantSnapshot(store, theirsId, ['user-1']);
      await act();
      expect(await tenantSnapshot(store, theirsId, ['user-1'])).toEqual(before);
    };

    beforeEach(async () => {
      store = getStore();
      await store.tenants.create({ id: 'acme', name: 'Acme', settings: {} }, journal);
      mine = store.tenant(mineId, journal);
      theirs = store.tenant(theirsId, journal);
      their = await populate(theirs);
      my = await populate(mine);
    });

    it('does not find a user of the other tenant by id: get, update, delete, restore and groupsOf', async () => {
      await leavesTheirs(async () => {
        expect(await mine.users.get(their.alice.id)).toBeUndefined();
        expect(await mine.users.update(their.alice.id, undefined, { data: userData('alice', { title: 'Crossed' }) })).toEqual({ status: 'notFound' });
        expect(await mine.users.update(their.alice.id, 1, { data: userData('alice', { title: 'Crossed' }) })).toEqual({ status: 'notFound' });
        expect(await mine.users.update(their.alice.id, undefined, { data: userData('alice'), passwordHash: 'crossed' })).toEqual({ status: 'notFound' });
        expect(await mine.users.delete(their.alice.id, undefined)).toEqual({ status: 'notFound' });
        expect(await mine.users.delete(their.alice.id, 1)).toEqual({ status: 'notFound' });
        expect(await mine.users.restore({ id: their.gone.id })).toBeUndefined();
        expect((await mine.users.groupsOf([their.alice.id])).get(their.alice.id) ?? []).toEqual([]);
        // Restoring by userName restores this tenant's user of that name, and only it.
        expect((await mine.users.restore({ userName: 'GONE' }))?.id).toBe(my.gone.id);
      });
      expect((await theirs.users.restore({ id: their.gone.id }))?.id).toBe(their.gone.id);
    });

    it('holds userNames and displayNames per tenant: a name only the other tenant holds is free here', async () => {
      await theirs.users.create({ data: userData('Only.Theirs') });
      await theirs.groups.create({ displayName: 'Their Team' }, []);
      await leavesTheirs(async () => {
        expect(updated(await mine.users.update(my.bob.id, undefined, { data: userData('ONLY.theirs') })).data.userName).toBe('ONLY.theirs');
        await expect(mine.groups.create({ displayName: 'their TEAM' }, [my.alice.id])).resolves.toBeDefined();
        // This tenant's own deleted user still holds its name here.
        await expect(mine.users.create({ data: userData('Gone') })).rejects.toMatchObject({ field: 'userName', heldByDeleted: true });
        await expect(mine.groups.create({ displayName: 'staff' }, [])).rejects.toBeInstanceOf(UniquenessViolation);
      });
    });

    it('does not find a group of the other tenant by id: get, update, delete and membersOf', async () => {
      await leavesTheirs(async () => {
        expect(await mine.groups.get(their.staff.id)).toBeUndefined();
        expect(await mine.groups.update(their.staff.id, undefined, { data: { displayName: 'Crossed' } })).toEqual({ status: 'notFound' });
        expect(await mine.groups.update(their.staff.id, 1, { memberChanges: [{ op: 'removeAll' }] })).toEqual({ status: 'notFound' });
        expect(await mine.groups.update(their.staff.id, undefined, { memberChanges: [{ op: 'add', ids: [my.alice.id] }] })).toEqual({ status: 'notFound' });
        expect(await mine.groups.delete(their.staff.id, undefined)).toEqual({ status: 'notFound' });
        expect((await mine.groups.membersOf([their.staff.id])).get(their.staff.id)).toEqual([]);
      });
    });

    it('refuses a user of the other tenant as a member (UnknownMembers) on create and update, writing nothing', async () => {
      const myGroups = await mine.groups.list(all);
      await leavesTheirs(async () => {
        const create = mine.groups.create({ displayName: 'Mixed' }, [my.alice.id, their.alice.id]);
        await expect(create).rejects.toBeInstanceOf(UnknownMembers);
        await expect(create).rejects.toMatchObject({ ids: [their.alice.id] });
        const add = mine.groups.update(my.staff.id, undefined, { data: { displayName: 'Staff 2' }, memberChanges: [{ op: 'add', ids: [their.bob.id] }] });
        await expect(add).rejects.toMatchObject({ ids: [their.bob.id] });
        expect(await mine.groups.list(all)).toEqual(myGroups);
        expect((await mine.users.groupsOf([my.alice.id])).get(my.alice.id)).toEqual([{ id: my.staff.id, displayName: 'Staff' }]);
        // Removing the other tenant's user, or every member, touches this tenant's memberships only.
        updated(await mine.groups.update(my.staff.id, undefined, { memberChanges: [{ op: 'remove', ids: [their.alice.id] }] }));
        expect(sorted(((await mine.groups.membersOf([my.staff.id])).get(my.staff.id) ?? []).map((m) => m.id))).toEqual(sorted([my.alice.id, my.bob.id]));
        updated(await mine.groups.update(my.staff.id, undefined, { memberChanges: [{ op: 'removeAll' }] }));
        updated(await mine.groups.delete(my.staff.id, undefined));
      });
    });

    it('matches nothing of the other tenant in filters on id, members.value and groups.value', async () => {
      await leavesTheirs(async () => {
        expect((await mine.users.list({ ...all, filter: userFilter(`id eq "${their.alice.id}"`) })).total).toBe(0);
        expect((await mine.users.list({ ...all, filter: userFilter(`groups.value eq "${their.staff.id}"`) })).total).toBe(0);
        expect((await mine.users.list({ ...all, filter: userFilter(`groups[value eq "${their.staff.id}"]`) })).total).toBe(0);
        expect((await mine.groups.list({ ...all, filter: groupFilter(`id eq "${their.staff.id}"`) })).total).toBe(0);
        expect((await mine.groups.list({ ...all, filter: groupFilter(`members.value eq "${their.alice.id}"`) })).total).toBe(0);
        expect((await mine.groups.list({ ...all, filter: groupFilter(`members[value eq "${their.bob.id}"]`) })).total).toBe(0);
        // Filters on what both tenants share (names) find this tenant's resources only.
        expect(ids(await mine.users.list({ ...all, filter: userFilter('groups.display eq "staff"') }))).toEqual(sorted([my.alice.id, my.bob.id]));
        expect(ids(await mine.groups.list({ ...all, filter: groupFilter('members.display eq "alice"') }))).toEqual([my.staff.id]);
        expect(ids(await mine.users.list({ ...all, filter: userFilter('userName eq "gone" or userName eq "alice"') }))).toEqual([my.alice.id]);
      });
    });

    it('lists and counts this tenant\'s resources only, in every order and page', async () => {
      expect(ids(await mine.users.list(all))).toEqual(sorted(my.live.map((u) => u.id)));
      expect(await mine.users.list({ offset: 0, limit: 0 })).toEqual({ total: 3, items: [] });
      expect((await mine.users.list({ ...all, sort: userSort })).items.map((u) => u.id)).toEqual([my.alice.id, my.bob.id, my.idle.id]);
      expect((await mine.users.list({ offset: 2, limit: 5, sort: userSort })).items.map((u) => u.id)).toEqual([my.idle.id]);
      expect(ids(await mine.groups.list(all))).toEqual([my.staff.id]);
      expect((await mine.groups.list({ offset: 1, limit: 5 })).items).toEqual([]);
    });

    it.each([
      ['the default order', undefined],
      ['userName', userSort],
    ])('reveals no row of the other tenant from a position taken from its page (%s): refused, or this tenant\'s rows only', async (_label, sort) => {
      const theirPage = await theirs.users.list({ offset: 0, limit: 1, sort, after: [] });
      expect(theirPage.next).toBeDefined();
      const outcome = await mine.users.list({ offset: 0, limit: 100, sort, after: theirPage.next }).catch((error: unknown) => error);
      if (outcome instanceof InvalidPosition) return;
      const page = outcome as Page<StoredUser>;
      expect(page.total).toBe(my.live.length);
      for (const user of page.items) expect(my.live.map((u) => u.id)).toContain(user.id);
    });

    it('purges the deleted users of its own tenant only, with their tokens', async () => {
      await leavesTheirs(async () => {
        expect(await mine.users.purgeDeleted(iso(Date.now() + DAY))).toEqual([{ id: my.gone.id, userName: 'gone' }]);
        expect(await mine.tokens.get(my.tokens.gone.id)).toBeUndefined();
      });
      expect(await store.tenants.contents(theirsId)).toEqual({ users: 4, groups: 1 });
      expect(await theirs.tokens.get(their.tokens.gone.id)).toEqual(their.tokens.gone);
      expect((await theirs.users.restore({ userName: 'gone' }))?.id).toBe(their.gone.id);
    });

    it('soft-deletes by a filter in its own tenant only', async () => {
      await leavesTheirs(async () => {
        expect(await mine.users.softDeleteWhere(inactiveBefore(registry, iso(Date.now() - DAY)))).toEqual([{ id: my.idle.id, userName: 'idle' }]);
        expect(await mine.users.softDeleteWhere(inactiveBefore(registry, iso(Date.now() - DAY)))).toEqual([]);
      });
      expect(await theirs.users.get(their.idle.id)).toEqual(their.idle);
    });

    it('does not find a token of the other tenant: get, revoke and remove; list and revokeOfUser stay in the tenant', async () => {
      await leavesTheirs(async () => {
        for (const token of Object.values(their.tokens)) {
          expect(await mine.tokens.get(token.id)).toBeUndefined();
          expect(await mine.tokens.revoke(token.id, '2024-02-01T00:00:00.000Z')).toBe(false);
          expect(await mine.tokens.remove(token.id)).toBe(false);
        }
        expect((await mine.tokens.list()).map((k) => k.id)).toEqual([my.tokens.service.id]);
        expect(await mine.tokens.list(their.alice.id)).toEqual([]);
        expect((await mine.tokens.list('user-1')).map((k) => k.id)).toEqual([my.tokens.shared.id]);
        await mine.tokens.revokeOfUser('user-1', '2024-03-01T00:00:00.000Z');
        await mine.tokens.revokeOfUser(their.alice.id, '2024-03-01T00:00:00.000Z');
        expect((await mine.tokens.get(my.tokens.shared.id))!.revoked).toBe('2024-03-01T00:00:00.000Z');
      });
      expect(await theirs.tokens.get(their.tokens.gone.id)).toEqual(their.tokens.gone);
    });

    it('refuses a token whose hash a token of the other tenant has (hashes are unique across tenants)', async () => {
      const outcome = await mine.tokens.create({ id: `${mineId}.copy`, name: 'copy', hash: their.tokens.service.hash, created: '2024-01-01T00:00:00.000Z' })
        .then(() => 'created', () => 'refused');
      expect(outcome).toBe('refused');
      expect(await store.credentials.findByHash(their.tokens.service.hash)).toEqual(their.tokens.service);
    });
  });

  describe('operator tokens and credentials', () => {
    const operatorToken = (name: string, extra: { bootstrap?: true } = {}) =>
      ({ id: `operator.${name}`, name, hash: `hash-operator.${name}`, created: '2024-01-01T00:00:00.000Z', ...extra });

    it('keeps operator tokens (of no tenant) apart from every tenant\'s, both ways', async () => {
      const store = getStore();
      await store.tenants.create({ id: 'acme', name: 'Acme', settings: {} }, journal);
      const tenants = [store.tenant(DEFAULT_TENANT_ID, journal), store.tenant('acme', journal)];
      const tenantTokens = await Promise.all(tenants.map((tenant) => populate(tenant).then((p) => p.tokens.service)));
      const operator = await store.operators.create(operatorToken('admin'));
      expect(operator).toEqual(operatorToken('admin'));
      expect(operator).not.toHaveProperty('tenantId');

      expect(await store.operators.list()).toEqual([operator]);
      expect(await store.operators.get(operator.id)).toEqual(operator);
      for (const [i, tenant] of tenants.entries()) {
        expect((await tenant.tokens.list()).map((k) => k.id)).toEqual([tenantTokens[i].id]);
        expect(await tenant.tokens.get(operator.id)).toBeUndefined();
        expect(await tenant.tokens.revoke(operator.id, '2024-02-01T00:00:00.000Z')).toBe(false);
        expect(await tenant.tokens.remove(operator.id)).toBe(false);
        expect(await store.operators.get(tenantTokens[i].id)).toBeUndefined();
        expect(await store.operators.revoke(tenantTokens[i].id, '2024-02-01T00:00:00.000Z')).toBe(false);
        expect(await store.operators.remove(tenantTokens[i].id)).toBe(false);
        expect(await tenant.tokens.get(tenantTokens[i].id)).toEqual(tenantTokens[i]);
      }
      expect(await store.operators.get(operator.id)).toEqual(operator);
      expect(await store.operators.revoke(operator.id, '2024-02-01T00:00:00.000Z')).toBe(true);
      expect(await store.operators.remove(operator.id)).toBe(true);
      expect(await store.operators.list()).toEqual([]);
    });

    it('finds any token by the hash of its secret, the record naming its tenant (none for an operator), and touches any', async () => {
      const store = getStore();
      await store.tenants.create({ id: 'acme', name: 'Acme', settings: {} }, journal);
      const acme = await populate(store.tenant('acme', journal));
      const fallback = await populate(store.tenant(DEFAULT_TENANT_ID, journal));
      const operator = await store.operators.create(operatorToken('admin'));

      expect(await store.credentials.findByHash(acme.tokens.alice.hash)).toEqual({ ...acme.tokens.alice, tenantId: 'acme' });
      expect(await store.credentials.findByHash(fallback.tokens.service.hash)).toEqual({ ...fallback.tokens.service, tenantId: DEFAULT_TENANT_ID });
      const found = await store.credentials.findByHash(operator.hash);
      expect(found).toEqual(operator);
      expect(found).not.toHaveProperty('tenantId');
      expect(await store.credentials.findByHash('hash-nobody')).toBeUndefined();

      await store.credentials.touch(acme.tokens.alice.id, '2024-04-01T00:00:00.000Z');
      await store.credentials.touch(operator.id, '2024-04-02T00:00:00.000Z');
      expect((await store.tenant('acme', journal).tokens.get(acme.tokens.alice.id))!.lastUsed).toBe('2024-04-01T00:00:00.000Z');
      expect((await store.operators.get(operator.id))!.lastUsed).toBe('2024-04-02T00:00:00.000Z');
      expect((await store.tenant(DEFAULT_TENANT_ID, journal).tokens.get(fallback.tokens.alice.id))!.lastUsed).toBeUndefined();
    });

    it('flags the bootstrap operator token and lists bootstrap tokens apart (revoked ones too), whatever other tokens are named', async () => {
      const store = getStore();
      const boot = await store.operators.create(operatorToken('boot', { bootstrap: true }));
      expect(boot).toMatchObject({ id: 'operator.boot', bootstrap: true });
      expect(boot).not.toHaveProperty('tenantId');
      const plain = await store.operators.create(operatorToken('plain'));
      await store.operators.create(operatorToken('bootstrap'));
      await store.tenant(DEFAULT_TENANT_ID, journal).tokens.create({ id: 'default.bootstrap', name: 'bootstrap', hash: 'hash-default.bootstrap', created: '2024-01-01T00:00:00.000Z' });
      expect(plain).not.toHaveProperty('bootstrap');
      await store.operators.revoke(boot.id, '2024-02-01T00:00:00.000Z');
      expect(await store.credentials.listBootstrap()).toEqual([{ ...boot, revoked: '2024-02-01T00:00:00.000Z' }]);
      expect((await store.operators.list()).map((k) => k.id).sort()).toEqual(['operator.bootstrap', 'operator.boot', 'operator.plain'].sort());
    });
  });
}
