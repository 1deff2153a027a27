import type { SchemaRegistry } from '../../../src/scim/schema/registry';
import { InvalidPosition, type MemberRef, type Page, type Store, type StoredGroup, type TenantStore } from '../../../src/store/port';
import { sorted, updated, userData } from './contract-support';
import { twinTenants } from './twin-tenants';

/**
 * GroupStore.membersPage: one group's live members a page at a time, by offset or after the
 * position of the previous page, with their exact total. The order is the adapter's (SQLite:
 * the users' insertion; MongoDB: member id) but it is one order: pages laid end to end hold
 * every live member exactly once. Every case runs in `twin` first (twin-tenants.ts).
 */
export function groupMembersContract(getStore: () => Store, registry: SchemaRegistry): void {
  describe('GroupStore.membersPage', () => {
    let t: TenantStore;
    let seq = 0;
    const { describeIn, both } = twinTenants({
      store: getStore,
      enter: (tenant) => {
        t = tenant;
        seq = 0;
      },
      tokenOwners: [],
    });
    void registry;

    const createUsers = async (count: number, displayName?: (i: number) => string) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) ids.push((await t.users.create({ data: userData(`member.${++seq}`, displayName ? { displayName: displayName(i) } : {}) })).id);
      return ids;
    };
    const groupOf = (members: readonly string[]) => t.groups.create({ displayName: `Group ${++seq}` }, members);
    const page = async (group: StoredGroup, query: { offset?: number; limit: number; after?: Page<MemberRef>['next'] }) => {
      const result = await t.groups.membersPage(group.id, { offset: query.offset ?? 0, limit: query.limit, ...(query.after ? { after: query.after } : {}) });
      if (!result) throw new Error('expected the group to exist');
      return result;
    };
    const ids = (p: Page<MemberRef>) => p.items.map((m) => m.id);
    /** Every page after the first, following `next`, as one list. */
    const walk = async (group: StoredGroup, limit: number) => {
      const pages: Page<MemberRef>[] = [await page(group, { limit })];
      while (pages[pages.length - 1].next) pages.push(await page(group, { limit, after: pages[pages.length - 1].next }));
      return pages;
    };

    describeIn('pages', 'acme', () => {
      both('pages laid end to end, by position, hold every member once, with the total on each page and no position after the last', async () => {
        const members = await createUsers(7);
        const group = await groupOf(members);
        const pages = await walk(group, 3);
        expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1]);
        expect(pages.map((p) => p.total)).toEqual([7, 7, 7]);
        expect(pages[2].next).toBeUndefined();
        expect(sorted(pages.flatMap(ids))).toEqual(sorted(members));
      });

      both('an offset page is the slice of the same order that positions walk', async () => {
        const group = await groupOf(await createUsers(6));
        const order = (await walk(group, 2)).flatMap(ids);
        expect(ids(await page(group, { offset: 2, limit: 3 }))).toEqual(order.slice(2, 5));
        expect(ids(await page(group, { offset: 5, limit: 3 }))).toEqual(order.slice(5));
        const beyond = await page(group, { offset: 10, limit: 3 });
        expect(beyond).toEqual({ total: 6, items: [] });
      });

      both('a position taken before a change still continues the walk: members added or removed meanwhile are seen or not, never twice', async () => {
        const members = await createUsers(4);
        const group = await groupOf(members);
        const first = await page(group, { limit: 2 });
        const [late] = await createUsers(1);
        updated(await t.groups.update(group.id, undefined, { memberChanges: [{ op: 'add', ids: [late] }] }));
        const rest = await page(group, { limit: 10, after: first.next });
        const seen = [...ids(first), ...ids(rest)];
        expect(new Set(seen).size).toBe(seen.length);
        expect(sorted(seen.filter((id) => id !== late))).toEqual(sorted(members));
        expect(rest.total).toBe(5);
      });

      both('a group created after the latest group was deleted has its own total, not the deleted group\'s', async () => {
        const doomed = await groupOf(await createUsers(3));
        expect((await page(doomed, { limit: 1 })).total).toBe(3);
        expect((await t.groups.delete(doomed.id, undefined)).status).toBe('updated');
        const fresh = await groupOf([]);
        expect(await page(fresh, { limit: 10 })).toEqual({ total: 0, items: [] });
      });

      both('members are shown by displayName, else userName', async () => {
        const [named] = await createUsers(1, () => 'Named Member');
        const [plain] = await createUsers(1);
        const group = await groupOf([named, plain]);
        const byId = new Map((await page(group, { limit: 10 })).items.map((m) => [m.id, m.display]));
        expect(byId.get(named)).toBe('Named Member');
        expect(byId.get(plain)).toMatch(/^member\.\d+$/);
      });

      both('soft-deleted members are neither listed nor counted, and a restore brings them back', async () => {
        const members = await createUsers(5);
        const group = await groupOf(members);
        updated(await t.users.delete(members[1], undefined));
        updated(await t.users.delete(members[3], undefined));
        const pages = await walk(group, 2);
        expect(pages.map((p) => p.total)).toEqual([3, 3]);
        expect(sorted(pages.flatMap(ids))).toEqual(sorted([members[0], members[2], members[4]]));
        expect(ids(await page(group, { offset: 1, limit: 5 }))).toHaveLength(2);
        await t.users.restore({ id: members[1] });
        expect((await page(group, { limit: 0 })).total).toBe(4);
      });

      both('limit 0 answers the total alone; an empty group has none; an unknown group is undefined', async () => {
        const group = await groupOf(await createUsers(3));
        expect(await page(group, { limit: 0 })).toEqual({ total: 3, items: [] });
        expect(await page(await groupOf([]), { limit: 5 })).toEqual({ total: 0, items: [] });
        expect(await t.groups.membersPage('no-such-group', { offset: 0, limit: 5 })).toBeUndefined();
      });

      both('a position this store did not produce is InvalidPosition', async () => {
        const group = await groupOf(await createUsers(2));
        for (const after of [[], [1, 2], [true], [null]]) {
          await expect(t.groups.membersPage(group.id, { offset: 0, limit: 2, after })).rejects.toBeInstanceOf(InvalidPosition);
        }
      });
    });
  });
}
