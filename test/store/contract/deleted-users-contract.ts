import { restartedInactivity } from '../../../src/domain/account/inactive-since';
import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import { parseListRequest } from '../../../src/scim/list/list-request';
import type { SchemaRegistry } from '../../../src/scim/schema/registry';
import type { JsonObject } from '../../../src/scim/values/json';
import {
  DEFAULT_TENANT_ID, InvalidPosition,
  type DeletedUser, type ListPosition, type ListQuery, type Page, type Store, type StoredUser, type TenantStore,
} from '../../../src/store/port';
import { DAY, inactiveBefore, inactiveSince, iso, sorted, tick, updated, userData } from './contract-support';
import { twinTenants } from './twin-tenants';

/**
 * UserStore.listDeleted: the soft-deleted users an administrator may restore, each with the time
 * of its deletion, filtered, sorted and paged (offset or cursor) exactly as `list` pages the
 * live ones, and never a live user. And the store's part in "a restore restarts the inactivity
 * clock": the restore itself applies no rule; the domain's restartedInactivity, written back,
 * is what the sweep's filter then respects. Every case runs in `twin` first (twin-tenants.ts).
 */
export function deletedUsersContract(getStore: () => Store, registry: SchemaRegistry): void {
  describe('deleted users (UserStore.listDeleted)', () => {
    let t: TenantStore;
    let seq = 0;
    const { describeIn, seedEach, both, bothEach } = twinTenants({
      store: getStore,
      enter: (tenant) => {
        t = tenant;
        seq = 0;
      },
      tokenOwners: [],
    });

    const createUser = async (userName = `deleted.${++seq}`, extra: JsonObject = {}) => {
      const user = await t.users.create({ data: userData(userName, extra) });
      // Apart by a few milliseconds: MongoDB's default order is by creation time.
      await tick();
      return user;
    };
    const remove = async (user: StoredUser) => updated(await t.users.delete(user.id, undefined));
    const filter = (text: string) => resolveFilter(registry.user, parseFilter(text));
    const sort = (sortBy: string, sortOrder: 'ascending' | 'descending' = 'ascending') => parseListRequest(registry.user, { sortBy, sortOrder }, 100).sort;
    const listDeleted = (query: Partial<ListQuery> = {}) => t.users.listDeleted({ offset: 0, limit: 100, ...query });
    const names = (page: Page<DeletedUser>) => page.items.map((u) => u.data.userName);
    const ids = (items: readonly { id: string }[]) => items.map((u) => u.id);

    describeIn('the listing', 'acme', () => {
      both('lists only soft-deleted users, each as stored with the time of its deletion; a restore or a purge takes it off the list', async () => {
        const alice = await createUser('alice');
        const bob = await createUser('bob', { title: 'Gone' });
        const carol = await createUser('carol');
        expect(await listDeleted()).toEqual({ total: 0, items: [] });

        await remove(bob);
        const [listed] = (await listDeleted()).items;
        expect(listed).toMatchObject({ id: bob.id, created: bob.created, data: bob.data });
        expect(listed.version).toBeGreaterThan(bob.version);
        // The soft delete stamps the three at once.
        expect(listed.deletedAt).toBe(listed.lastModified);
        expect(listed.lastDeletedAt).toBe(listed.deletedAt);
        expect(Date.parse(listed.deletedAt)).toBeGreaterThanOrEqual(Date.parse(bob.created));

        await remove(carol);
        const two = await listDeleted();
        expect(two.total).toBe(2);
        expect(ids(two.items)).toEqual([bob.id, carol.id]);
        expect(ids(two.items)).not.toContain(alice.id);

        await t.users.restore({ id: bob.id });
        expect(ids((await listDeleted()).items)).toEqual([carol.id]);
        expect(await t.users.purgeDeleted(iso(Date.now() + DAY))).toEqual([{ id: carol.id, userName: 'carol' }]);
        expect(await listDeleted()).toEqual({ total: 0, items: [] });
        expect(ids((await t.users.list({ offset: 0, limit: 10 })).items)).toEqual([alice.id, bob.id]);
      });
    });

    describeIn('filters, sorts and pages', 'acme', () => {
      let gone: Record<string, StoredUser>;
      let groupId: string;
      seedEach(async () => {
        gone = {};
        for (const userName of ['anna', 'Abel', 'bruno', 'amy.live', 'Carla']) gone[userName] = await createUser(userName, { title: userName === 'bruno' ? 'Engineer' : 'Clerk' });
        groupId = (await t.groups.create({ displayName: 'Kept' }, [gone.anna.id, gone.bruno.id])).id;
        for (const userName of ['anna', 'Abel', 'bruno', 'Carla']) await remove(gone[userName]);
      });

      bothEach([
        ['userName sw (the admin\'s "names starting with")', 'userName sw "a"', ['anna', 'Abel']],
        ['userName eq, in another case', 'userName eq "CARLA"', ['Carla']],
        ['emails.value eq', 'emails.value eq "bruno@example.com"', ['bruno']],
        ['an attribute kept only in the document', 'title eq "Engineer"', ['bruno']],
        ['the groups it still belongs to (a restore brings them back)', 'groups.value eq "GROUP"', ['anna', 'bruno']],
        ['a filter that only a live user matches', 'userName eq "amy.live"', []],
        ['not', 'not (userName sw "a")', ['bruno', 'Carla']],
      ] as const)('filters as list does: %s', async (_label, text, expected) => {
        const page = await listDeleted({ filter: filter(text.replace('GROUP', groupId)) });
        expect(names(page)).toEqual(expected);
        expect(page.total).toBe(expected.length);
      });

      both('sorts and pages by offset as list does, with the exact total on every page', async () => {
        expect(names(await listDeleted({ sort: sort('userName') }))).toEqual(['Abel', 'anna', 'bruno', 'Carla']);
        expect(names(await listDeleted({ sort: sort('userName', 'descending') }))).toEqual(['Carla', 'bruno', 'anna', 'Abel']);
        expect(await listDeleted({ sort: sort('userName'), offset: 1, limit: 2 })).toMatchObject({ total: 4, items: [{ id: gone.anna.id }, { id: gone.bruno.id }] });
        expect(await listDeleted({ offset: 9, limit: 2 })).toEqual({ total: 4, items: [] });
        expect(await listDeleted({ limit: 0 })).toEqual({ total: 4, items: [] });
        expect(await listDeleted({ limit: 0, filter: filter('userName sw "a"') })).toEqual({ total: 2, items: [] });
      });

      /** Every cursor page from the start: the items in order, and the pages. */
      const walk = async (query: Partial<ListQuery>, limit: number) => {
        const items: DeletedUser[] = [];
        const pages: Page<DeletedUser>[] = [];
        let after: ListPosition = [];
        for (let guard = 0; guard < 20; guard++) {
          const page = await listDeleted({ ...query, limit, after });
          pages.push(page);
          items.push(...page.items);
          if (!page.next) return { items, pages };
          after = page.next;
        }
        throw new Error('the walk did not end');
      };

      bothEach([
        ['the default order', undefined],
        ['userName ascending', ['userName', 'ascending']],
        ['userName descending', ['userName', 'descending']],
        ['title (ties)', ['title', 'ascending']],
        ['meta.created descending', ['meta.created', 'descending']],
      ] as const)('walks every deleted user exactly once with cursors, in the order of index pagination: %s', async (_label, sortBy) => {
        const order = sortBy ? sort(sortBy[0], sortBy[1]) : undefined;
        const indexed = await listDeleted({ sort: order });
        for (const limit of [1, 3, 10]) {
          const { items, pages } = await walk({ sort: order }, limit);
          expect(items).toEqual(indexed.items);
          expect(pages.every((page) => page.total === 4)).toBe(true);
          expect(pages[pages.length - 1].next).toBeUndefined();
        }
        const filtered = await walk({ sort: order, filter: filter('userName sw "a" or userName sw "c"') }, 1);
        expect(sorted(ids(filtered.items))).toEqual(sorted([gone.anna.id, gone.Abel.id, gone.Carla.id]));
      });

      bothEach([
        ['too many keys', undefined, [1, 2, 3, 4, 5, 6, 7]],
        ['a key of the wrong type', undefined, ['not-a-position']],
        ['too few keys for a sorted order', ['title', 'ascending'], ['x']],
      ] as const)('refuses a position that does not fit the order (InvalidPosition): %s', async (_label, sortBy, after) => {
        const order = sortBy ? sort(sortBy[0], sortBy[1]) : undefined;
        await expect(listDeleted({ sort: order, limit: 2, after })).rejects.toBeInstanceOf(InvalidPosition);
        await expect(listDeleted({ sort: order, limit: 0, after })).rejects.toBeInstanceOf(InvalidPosition);
      });
    });

    describeIn('a restore and the inactivity sweep', DEFAULT_TENANT_ID, () => {
      both('restores an Inactive user as it was (no rule in the store); with the domain\'s restarted clock written back, the sweep passes it by until its restore is older than the cutoff', async () => {
        const now = Date.now();
        const idle = await createUser('idle.restarted', inactiveSince(now - 100 * DAY));
        const other = await createUser('idle.as.it.was', inactiveSince(now - 100 * DAY));
        const cutoff = iso(now - 90 * DAY);
        expect(sorted(ids(await t.users.softDeleteWhere(inactiveBefore(registry, cutoff))))).toEqual(sorted([idle.id, other.id]));
        expect(sorted(ids((await listDeleted()).items))).toEqual(sorted([idle.id, other.id]));

        const restored = (await t.users.restore({ id: idle.id }))!;
        expect(restored.data).toEqual(idle.data);
        const data = restartedInactivity(restored.data, iso(now))!;
        const restarted = updated(await t.users.update(idle.id, restored.version, { data }));
        // Restored without the domain's step, the other is due again at once.
        expect((await t.users.restore({ id: other.id }))!.data).toEqual(other.data);

        expect(ids(await t.users.softDeleteWhere(inactiveBefore(registry, cutoff)))).toEqual([other.id]);
        expect(await t.users.get(idle.id)).toEqual(restarted);
        // Once RETENTION_INACTIVE_DAYS have passed since the restore, the sweep takes it.
        expect(ids(await t.users.softDeleteWhere(inactiveBefore(registry, iso(now + 1))))).toEqual([idle.id]);
        expect(sorted(ids((await listDeleted()).items))).toEqual(sorted([idle.id, other.id]));
      });
    });
  });
}
