import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import { parseListRequest } from '../../../src/scim/list/list-request';
import type { SchemaRegistry } from '../../../src/scim/schema/registry';
import type { JsonObject } from '../../../src/scim/values/json';
import type { ListQuery, Store, TenantStore } from '../../../src/store/port';
import { iso, tick, updated, userData } from './contract-support';
import { journal } from '../../support/journal';

/**
 * Exact totals without counting (issue 13): an unfiltered list's total is kept with the writes
 * (SQLite: resource_counts, by triggers; MongoDB: the counters collection, by every write's
 * event append), so it must stay exactly the number of resources through every kind of write,
 * in each tenant alone. Each total is checked against a count that does not use the stored
 * one (a filter every resource matches), and against the other tenant, which must not move.
 *
 * And offset pages resolved on an index (ids first, then the page's resources): every page of
 * every order is exactly the same slice of the full listing in that order.
 */
export function countsContract(getStore: () => Store, registry: SchemaRegistry): void {
  describe('exact totals kept with the writes, and offset pages', () => {
    let store: Store;
    let acme: TenantStore;
    let other: TenantStore;
    const tenantIds = ['counted-a', 'counted-b'];

    beforeEach(async () => {
      store = getStore();
      for (const id of tenantIds) await store.tenants.create({ id, name: id, settings: {} }, journal);
      [acme, other] = tenantIds.map((id) => store.tenant(id, journal));
    });

    const everyone = (type: 'user' | 'group') => resolveFilter(registry[type], parseFilter(type === 'user' ? 'userName pr' : 'displayName pr'));
    /** The three totals of a tenant, each as stored and as counted under a filter every resource matches. */
    const totals = async (t: TenantStore) => {
      const none = { offset: 0, limit: 0 };
      const [users, deleted, groups] = await Promise.all([t.users.list(none), t.users.listDeleted(none), t.groups.list(none)]);
      const [usersCounted, deletedCounted, groupsCounted] = await Promise.all([
        t.users.list({ ...none, filter: everyone('user') }), t.users.listDeleted({ ...none, filter: everyone('user') }), t.groups.list({ ...none, filter: everyone('group') }),
      ]);
      expect([usersCounted.total, deletedCounted.total, groupsCounted.total]).toEqual([users.total, deleted.total, groups.total]);
      return { users: users.total, deleted: deleted.total, groups: groups.total };
    };

    it('keeps each tenant\'s totals exact through create, createMany, delete, restore, purge, group create and delete', async () => {
      expect(await totals(acme)).toEqual({ users: 0, deleted: 0, groups: 0 });
      await other.users.create({ data: userData('bystander') });
      await other.groups.create({ displayName: 'Bystanders' }, []);
      const ada = await acme.users.create({ data: userData('ada') });
      const bob = await acme.users.create({ data: userData('bob') });
      await expect(acme.users.create({ data: userData('ADA') })).rejects.toThrow();
      expect(await totals(acme)).toEqual({ users: 2, deleted: 0, groups: 0 });

      // One of the batch fails (a taken userName) and is not counted.
      const batch = await acme.users.createMany([{ data: userData('carol') }, { data: userData('bob') }, { data: userData('dave') }]);
      expect(batch.map((result) => 'created' in result)).toEqual([true, false, true]);
      expect(await totals(acme)).toEqual({ users: 4, deleted: 0, groups: 0 });

      updated(await acme.users.delete(ada.id, undefined));
      updated(await acme.users.delete(bob.id, undefined));
      // Deleting a deleted user changes nothing.
      expect((await acme.users.delete(ada.id, undefined)).status).not.toBe('updated');
      expect(await totals(acme)).toEqual({ users: 2, deleted: 2, groups: 0 });
      await acme.users.restore({ id: bob.id });
      expect(await totals(acme)).toEqual({ users: 3, deleted: 1, groups: 0 });

      const everyoneGroup = await acme.groups.create({ displayName: 'Everyone' }, [bob.id]);
      await acme.groups.create({ displayName: 'Nobody' }, []);
      expect(await totals(acme)).toEqual({ users: 3, deleted: 1, groups: 2 });
      updated(await acme.groups.delete(everyoneGroup.id, undefined));
      expect(await totals(acme)).toEqual({ users: 3, deleted: 1, groups: 1 });

      await tick();
      expect((await acme.users.purgeDeleted(iso(Date.now() + 60_000))).map((user) => user.id)).toEqual([ada.id]);
      expect(await totals(acme)).toEqual({ users: 3, deleted: 0, groups: 1 });

      expect(await totals(other)).toEqual({ users: 1, deleted: 0, groups: 1 });
    });

    it('erasing a tenant leaves no total behind: created again, the id starts from zero; the other tenant keeps its own', async () => {
      for (let i = 0; i < 5; i++) await acme.users.create({ data: userData(`user.${i}`) });
      const gone = await acme.users.create({ data: userData('gone') });
      updated(await acme.users.delete(gone.id, undefined));
      await acme.groups.create({ displayName: 'Everyone' }, []);
      await other.users.create({ data: userData('user.0') });
      expect(await totals(acme)).toEqual({ users: 5, deleted: 1, groups: 1 });

      await store.tenants.markDeleting('counted-a', iso(Date.now()));
      await store.tenants.eraseData('counted-a');
      expect(await totals(acme)).toEqual({ users: 0, deleted: 0, groups: 0 });
      expect(await store.tenants.remove('counted-a')).toBe(true);
      await store.tenants.create({ id: 'counted-a', name: 'again', settings: {} }, journal);
      expect(await totals(store.tenant('counted-a', journal))).toEqual({ users: 0, deleted: 0, groups: 0 });
      expect(await totals(other)).toEqual({ users: 1, deleted: 0, groups: 0 });
    });

    it('a cursor page\'s total is the exact total too', async () => {
      for (let i = 0; i < 4; i++) await acme.users.create({ data: userData(`user.${i}`) });
      const page = await acme.users.list({ offset: 0, limit: 2, after: [] });
      expect(page.total).toBe(4);
      expect(page.items).toHaveLength(2);
    });

    describe('offset pages', () => {
      const PEOPLE = 23;
      beforeEach(async () => {
        // Ties on displayName, users without a displayName or externalId, and deleted users in between.
        for (let i = 0; i < PEOPLE; i++) {
          const extra: JsonObject = i % 4 === 0 ? {} : { displayName: `Person ${String.fromCharCode(65 + (i % 5))}`, externalId: `ext-${(i * 7) % PEOPLE}` };
          const user = await acme.users.create({ data: userData(`person.${(i * 11) % PEOPLE}`, extra) });
          if (i % 6 === 5) updated(await acme.users.delete(user.id, undefined));
          if (i % 3 === 0) await acme.groups.create({ displayName: `Team ${(i * 5) % PEOPLE}` }, []);
        }
      });

      const orders = [undefined, 'userName', 'displayName', 'meta.created', 'meta.lastModified', 'id', 'externalId'];
      it.each(orders.flatMap((sortBy) => (['ascending', 'descending'] as const).map((sortOrder) => [sortBy ?? 'the default order', sortOrder, sortBy] as const)))(
        'users by %s (%s): every page is the same slice of the full listing',
        async (_label, sortOrder, sortBy) => {
          const sort = sortBy ? parseListRequest(registry.user, { sortBy, sortOrder }, 100).sort : undefined;
          const list = (page: Partial<ListQuery>) => acme.users.list({ offset: 0, limit: 100, sort, ...page });
          const all = (await list({})).items.map((user) => user.id);
          expect(all).toHaveLength(PEOPLE - Math.floor(PEOPLE / 6));
          for (const [offset, limit] of [[0, 5], [7, 5], [15, 10], [18, 1], [all.length - 1, 5]]) {
            const page = await list({ offset, limit });
            expect(page.total).toBe(all.length);
            expect(page.items.map((user) => user.id)).toEqual(all.slice(offset, offset + limit));
          }
        },
      );

      it.each([undefined, 'displayName', 'meta.lastModified', 'id'].flatMap((sortBy) => (['ascending', 'descending'] as const).map((sortOrder) => [sortBy ?? 'the default order', sortOrder, sortBy] as const)))(
        'groups by %s (%s): every page is the same slice of the full listing',
        async (_label, sortOrder, sortBy) => {
          const sort = sortBy ? parseListRequest(registry.group, { sortBy, sortOrder }, 100).sort : undefined;
          const list = (page: Partial<ListQuery>) => acme.groups.list({ offset: 0, limit: 100, sort, ...page });
          const all = (await list({})).items.map((group) => group.id);
          expect(all).toHaveLength(Math.ceil(PEOPLE / 3));
          for (const [offset, limit] of [[0, 3], [2, 3], [5, 10]]) {
            expect((await list({ offset, limit })).items.map((group) => group.id)).toEqual(all.slice(offset, offset + limit));
          }
        },
      );
    });
  });
}
