import { DEFAULT_TENANT_ID, TenantExists, type Store, type TenantStore } from '../../../src/store/port';
import { iso, tick, updated, userData } from './contract-support';
import { tenantSnapshot } from './twin-tenants';
import { journal } from '../../support/journal';

const at = (day: number) => iso(Date.UTC(2024, 0, day));

/** Fills a tenant with one of everything eraseData must erase: users live and deleted, a group with members, tokens. */
async function fill(tenant: TenantStore, users: number) {
  const made = [];
  for (let i = 0; i < users; i++) made.push(await tenant.users.create({ data: userData(`user.${i}`) }));
  const group = await tenant.groups.create({ displayName: 'Everyone' }, made.map((u) => u.id));
  await tenant.groups.create({ displayName: 'Nobody' }, []);
  updated(await tenant.users.delete(made[0].id, undefined));
  const token = (name: string, userId?: string) => tenant.tokens.create({
    id: `${tenant.tenantId}.${name}`, name, hash: `hash-${tenant.tenantId}.${name}`, created: at(1), ...(userId ? { userId } : {}),
  });
  const tokens = [await token('service'), await token('live-user', made[1].id), await token('deleted-user', made[0].id)];
  return { users: made, group, tokens };
}

/** The registry of tenants: the records themselves, and erasing one tenant's data for good. */
export function tenantRegistryContract(getStore: () => Store): void {
  describe('the tenant registry', () => {
    let store: Store;
    const create = (id: string, settings = {}) => store.tenants.create({ id, name: `Tenant ${id}`, settings }, journal);
    const listIds = async (offset = 0, limit = 100) => {
      const page = await store.tenants.list(offset, limit);
      return { total: page.total, ids: page.items.map((tenant) => tenant.id) };
    };

    beforeEach(() => {
      store = getStore();
    });

    it('holds the default tenant from the start, with no settings of its own and not being deleted', async () => {
      const tenant = await store.tenants.get(DEFAULT_TENANT_ID);
      expect(tenant).toEqual({ id: DEFAULT_TENANT_ID, name: expect.any(String), created: expect.any(String), lastModified: expect.any(String), settings: {} });
      expect(await store.tenants.list(0, 10)).toEqual({ total: 1, items: [tenant] });
      expect(await store.tenants.contents(DEFAULT_TENANT_ID)).toEqual({ users: 0, groups: 0 });
    });

    it('creates a tenant with its name and settings, found by get and listed in id order with the total, offset and limit', async () => {
      const acme = await create('acme', { maxRoles: 3, usernameImmutable: true, retentionDeletedDays: 30, retentionInactiveDays: 'off' });
      expect(acme).toEqual({
        id: 'acme', name: 'Tenant acme', created: expect.any(String), lastModified: acme.created,
        settings: { maxRoles: 3, usernameImmutable: true, retentionDeletedDays: 30, retentionInactiveDays: 'off' },
      });
      expect(Number.isNaN(Date.parse(acme.created))).toBe(false);
      expect(await store.tenants.get('acme')).toEqual(acme);
      expect(await store.tenants.get('nobody')).toBeUndefined();
      for (const id of ['zeta', 'm-2', 'm-10', 'b']) await create(id);
      expect(await listIds()).toEqual({ total: 6, ids: ['acme', 'b', 'default', 'm-10', 'm-2', 'zeta'] });
      expect(await listIds(2, 3)).toEqual({ total: 6, ids: ['default', 'm-10', 'm-2'] });
      expect(await listIds(6, 3)).toEqual({ total: 6, ids: [] });
      expect(await listIds(0, 0)).toEqual({ total: 6, ids: [] });
    });

    it('refuses an id that is taken (TenantExists): by a live tenant, by default, by one being deleted until its record is removed', async () => {
      const first = await create('acme');
      const again = store.tenants.create({ id: 'acme', name: 'Another', settings: { maxRoles: 1 } }, journal);
      await expect(again).rejects.toBeInstanceOf(TenantExists);
      await expect(again).rejects.toMatchObject({ id: 'acme' });
      expect(await store.tenants.get('acme')).toEqual(first);
      await expect(create(DEFAULT_TENANT_ID)).rejects.toBeInstanceOf(TenantExists);
      await store.tenants.markDeleting('acme', at(2));
      await expect(create('acme')).rejects.toBeInstanceOf(TenantExists);
      await store.tenants.eraseData('acme');
      await expect(create('acme')).rejects.toBeInstanceOf(TenantExists);
      expect(await store.tenants.remove('acme')).toBe(true);
      await expect(create('acme')).resolves.toMatchObject({ id: 'acme', settings: {} });
    });

    it('updates the name, or replaces the whole settings object, moving lastModified on; undefined for no such tenant', async () => {
      const acme = await create('acme', { maxRoles: 3, usernameImmutable: true });
      await tick();
      const renamed = (await store.tenants.update('acme', { name: 'Acme Corp' }, journal))!;
      expect(renamed).toEqual({ ...acme, name: 'Acme Corp', lastModified: expect.any(String) });
      expect(renamed.lastModified > acme.lastModified).toBe(true);
      const resettled = await store.tenants.update('acme', { settings: { retentionDeletedDays: 'off' } }, journal);
      expect(resettled).toMatchObject({ name: 'Acme Corp', settings: { retentionDeletedDays: 'off' } });
      expect(resettled!.settings).toEqual({ retentionDeletedDays: 'off' });
      const both = await store.tenants.update('acme', { name: 'Acme', settings: {} }, journal);
      expect(both).toMatchObject({ id: 'acme', name: 'Acme', created: acme.created, settings: {} });
      expect(await store.tenants.get('acme')).toEqual(both);
      expect(await store.tenants.update('nobody', { name: 'Nobody' }, journal)).toBeUndefined();
      expect(await store.tenants.get('nobody')).toBeUndefined();
    });

    it('counts a tenant\'s users (soft-deleted ones included) and groups, and no other tenant\'s', async () => {
      await create('acme');
      await fill(store.tenant('acme', journal), 4);
      await fill(store.tenant(DEFAULT_TENANT_ID, journal), 2);
      expect(await store.tenants.contents('acme')).toEqual({ users: 4, groups: 2 });
      expect(await store.tenants.contents(DEFAULT_TENANT_ID)).toEqual({ users: 2, groups: 2 });
      await store.tenant('acme', journal).users.purgeDeleted(iso(Date.now() + 1000));
      expect(await store.tenants.contents('acme')).toEqual({ users: 3, groups: 2 });
    });

    it('marks a tenant deleting, keeping the first time; undefined for no such tenant', async () => {
      const acme = await create('acme');
      const marked = await store.tenants.markDeleting('acme', at(2));
      expect(marked).toMatchObject({ id: 'acme', name: acme.name, created: acme.created, settings: {}, deleting: at(2) });
      expect(await store.tenants.markDeleting('acme', at(3))).toMatchObject({ id: 'acme', deleting: at(2) });
      expect(await store.tenants.get('acme')).toMatchObject({ deleting: at(2) });
      expect((await store.tenants.list(0, 10)).items.map((tenant) => tenant.id)).toEqual(['acme', DEFAULT_TENANT_ID]);
      expect(await store.tenants.markDeleting('nobody', at(2))).toBeUndefined();
      expect(await store.tenants.get(DEFAULT_TENANT_ID)).not.toHaveProperty('deleting');
    });

    it('erases every token, membership, user and group of one tenant (past one batch), leaving another tenant as it was; again, harmlessly', async () => {
      await create('doomed');
      await create('twin');
      const doomed = await fill(store.tenant('doomed', journal), 1_100);
      await fill(store.tenant('twin', journal), 5);
      const twin = await tenantSnapshot(store, 'twin');
      await store.tenants.markDeleting('doomed', at(2));

      await store.tenants.eraseData('doomed');
      const tenant = store.tenant('doomed', journal);
      expect(await store.tenants.contents('doomed')).toEqual({ users: 0, groups: 0 });
      expect(await tenant.users.list({ offset: 0, limit: 10 })).toEqual({ total: 0, items: [] });
      expect(await tenant.groups.list({ offset: 0, limit: 10 })).toEqual({ total: 0, items: [] });
      expect(await tenant.tokens.list()).toEqual([]);
      for (const token of doomed.tokens) {
        expect(await tenant.tokens.get(token.id)).toBeUndefined();
        expect(await store.credentials.findByHash(token.hash)).toBeUndefined();
      }
      expect((await tenant.groups.membersOf([doomed.group.id])).get(doomed.group.id)).toEqual([]);
      expect(await tenant.users.restore({ userName: 'user.0' })).toBeUndefined();
      expect(await tenantSnapshot(store, 'twin')).toEqual(twin);
      expect(await store.tenants.get('doomed')).toMatchObject({ id: 'doomed', deleting: at(2) });

      await store.tenants.eraseData('doomed');
      expect(await store.tenants.contents('doomed')).toEqual({ users: 0, groups: 0 });
      expect(await tenantSnapshot(store, 'twin')).toEqual(twin);
    }, 120_000);

    it('removes the record after an erase; the id can then be created again, empty, and nothing old comes back', async () => {
      await create('acme', { maxRoles: 2 });
      const old = await fill(store.tenant('acme', journal), 3);
      await store.tenants.markDeleting('acme', at(2));
      await store.tenants.eraseData('acme');
      expect(await store.tenants.remove('acme')).toBe(true);
      expect(await store.tenants.remove('acme')).toBe(false);
      expect(await store.tenants.get('acme')).toBeUndefined();
      expect(await listIds()).toEqual({ total: 1, ids: [DEFAULT_TENANT_ID] });

      const reborn = await create('acme');
      expect(reborn).not.toHaveProperty('deleting');
      expect(reborn.settings).toEqual({});
      const tenant = store.tenant('acme', journal);
      expect(await store.tenants.contents('acme')).toEqual({ users: 0, groups: 0 });
      for (const user of old.users) expect(await tenant.users.get(user.id)).toBeUndefined();
      expect(await tenant.users.restore({ id: old.users[0].id })).toBeUndefined();
      expect(await tenant.groups.get(old.group.id)).toBeUndefined();
      expect(await tenant.tokens.list()).toEqual([]);
      // The old names and token ids are free: the same data can be created again.
      const again = await fill(tenant, 3);
      expect((await tenant.groups.membersOf([again.group.id])).get(again.group.id)).toHaveLength(2);
      expect(await store.tenants.contents('acme')).toEqual({ users: 3, groups: 2 });
    });
  });
}
