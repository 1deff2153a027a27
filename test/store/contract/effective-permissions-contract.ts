import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import type { SchemaRegistry } from '../../../src/scim/schema/registry';
import type { JsonObject } from '../../../src/scim/values/json';
import { DEFAULT_TENANT_ID, type Store, type StoredGroup, type StoredUser, type TenantStore } from '../../../src/store/port';
import { ACCOUNT_URN, sorted, updated, userData } from './contract-support';
import { journal } from '../../support/journal';

const GROUP_EXTENSION = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Group';

/** A group's attributes, granting `permissions` (none: no extension at all). */
const groupData = (displayName: string, permissions?: readonly string[]): JsonObject => ({
  displayName,
  ...(permissions ? { [GROUP_EXTENSION]: { description: `The ${displayName} team`, permissions: [...permissions] } } : {}),
});
const entitlements = (...values: string[]): JsonObject => ({ entitlements: values.map((value) => ({ value, type: 'app' })) });

/**
 * effectivePermissions through the store port (a user's own entitlements' values and the
 * permissions of the groups it is a direct member of): what each adapter's groupsOf reports of
 * a group, and which users a filter on effectivePermissions selects, kept in step with every
 * write that changes either side.
 */
export function effectivePermissionsContract(getStore: () => Store, registry: SchemaRegistry): void {
  describe('effective permissions: own entitlements and the permissions of the user\'s groups', () => {
    let store: Store;
    let t: TenantStore;
    let users: Record<string, StoredUser>;
    let groups: Record<string, StoredGroup>;

    const userFilter = (text: string) => resolveFilter(registry.user, parseFilter(text));
    const selected = async (text: string, tenant = t) =>
      sorted((await tenant.users.list({ offset: 0, limit: 100, filter: userFilter(text) })).items.map((u) => String(u.data.userName)));

    /**
     * ada holds reports.view herself; bob and cy inherit it from Finance, cy also servers.restart
     * from Ops; eve holds Reports.View (another permission: they are caseExact); dee is only in a
     * group that grants nothing; gone inherits from Finance but is soft-deleted.
     */
    beforeEach(async () => {
      store = getStore();
      t = store.tenant(DEFAULT_TENANT_ID, journal);
      users = {};
      for (const [name, extra] of [['ada', entitlements('reports.view')], ['bob', {}], ['cy', {}], ['dee', {}], ['eve', entitlements('Reports.View')], ['gone', {}]] as const) {
        users[name] = await t.users.create({ data: userData(name, extra) });
      }
      groups = {
        finance: await t.groups.create(groupData('Finance', ['reports.view', 'invoices.approve']), [users.bob.id, users.cy.id, users.gone.id]),
        ops: await t.groups.create(groupData('Ops', ['servers.restart']), [users.cy.id]),
        empty: await t.groups.create(groupData('Empty'), [users.dee.id]),
      };
      updated(await t.users.delete(users.gone.id, undefined));
    });

    it('reports the permissions each group grants in groupsOf, and none for a group granting none', async () => {
      const groupsOf = await t.users.groupsOf([users.cy.id, users.dee.id, users.ada.id]);
      expect(groupsOf.get(users.cy.id)).toEqual([
        { id: groups.finance.id, displayName: 'Finance', permissions: expect.arrayContaining(['reports.view', 'invoices.approve']) },
        { id: groups.ops.id, displayName: 'Ops', permissions: ['servers.restart'] },
      ]);
      expect(groupsOf.get(users.cy.id)![0].permissions).toHaveLength(2);
      expect(groupsOf.get(users.dee.id)).toEqual([{ id: groups.empty.id, displayName: 'Empty' }]);
      expect(groupsOf.get(users.ada.id)).toEqual([]);
    });

    it.each([
      [`${ACCOUNT_URN}:effectivePermissions eq "reports.view"`, ['ada', 'bob', 'cy']],
      ['effectivePermissions eq "reports.view"', ['ada', 'bob', 'cy']],
      ['EffectivePermissions eq "Reports.View"', ['eve']],
      ['effectivePermissions eq "invoices.approve"', ['bob', 'cy']],
      ['effectivePermissions sw "reports."', ['ada', 'bob', 'cy']],
      ['effectivePermissions co "approve"', ['bob', 'cy']],
      ['effectivePermissions ew ".restart"', ['cy']],
      ['effectivePermissions pr', ['ada', 'bob', 'cy', 'eve']],
      ['not (effectivePermissions pr)', ['dee']],
      ['effectivePermissions eq null', ['dee']],
      ['effectivePermissions ne "reports.view"', ['dee', 'eve']],
      ['effectivePermissions eq "servers.restart" and effectivePermissions eq "invoices.approve"', ['cy']],
      ['effectivePermissions eq "servers.restart" or userName eq "dee"', ['cy', 'dee']],
      ['effectivePermissions eq "reports.view" and not (groups.value eq "{{finance}}")', ['ada']],
      ['effectivePermissions eq "nobody.has.this"', []],
    ])('%s selects %j (never the soft-deleted member)', async (text, expected) => {
      expect(await selected(text.replace('{{finance}}', groups.finance.id))).toEqual(expected);
    });

    it('follows a change of a group\'s permissions, and keeps them through a members-only change', async () => {
      updated(await t.groups.update(groups.ops.id, undefined, { data: groupData('Ops', ['servers.restart', 'reports.view']) }));
      expect(await selected('effectivePermissions eq "reports.view"')).toEqual(['ada', 'bob', 'cy']);
      updated(await t.groups.update(groups.ops.id, undefined, { memberChanges: [{ op: 'add', ids: [users.dee.id] }] }));
      expect(await selected('effectivePermissions eq "servers.restart"')).toEqual(['cy', 'dee']);
      updated(await t.groups.update(groups.ops.id, undefined, { data: groupData('Ops') }));
      expect(await selected('effectivePermissions eq "servers.restart"')).toEqual([]);
      expect((await t.users.groupsOf([users.dee.id])).get(users.dee.id)).toEqual([
        { id: groups.empty.id, displayName: 'Empty' },
        { id: groups.ops.id, displayName: 'Ops' },
      ]);
    });

    it('follows memberships: a member removed, a group deleted, a user restored', async () => {
      updated(await t.groups.update(groups.finance.id, undefined, { memberChanges: [{ op: 'remove', ids: [users.bob.id] }] }));
      expect(await selected('effectivePermissions eq "invoices.approve"')).toEqual(['cy']);
      updated(await t.groups.delete(groups.ops.id, undefined));
      expect(await selected('effectivePermissions eq "servers.restart"')).toEqual([]);
      expect(await t.users.restore({ id: users.gone.id })).toBeDefined();
      expect(await selected('effectivePermissions eq "invoices.approve"')).toEqual(['cy', 'gone']);
    });

    it('follows a user\'s own entitlements as they are replaced', async () => {
      updated(await t.users.update(users.dee.id, undefined, { data: userData('dee', entitlements('reports.export', 'reports.view')) }));
      expect(await selected('effectivePermissions eq "reports.export"')).toEqual(['dee']);
      updated(await t.users.update(users.ada.id, undefined, { data: userData('ada') }));
      expect(await selected('effectivePermissions eq "reports.view"')).toEqual(['bob', 'cy', 'dee']);
    });

    it('selects users of its own tenant only, though another grants the same permission', async () => {
      await store.tenants.create({ id: 'acme', name: 'Acme', settings: {} }, journal);
      const acme = store.tenant('acme', journal);
      const stranger = await acme.users.create({ data: userData('stranger', entitlements('servers.restart')) });
      await acme.groups.create(groupData('Finance', ['invoices.approve']), [stranger.id]);
      expect(await selected('effectivePermissions eq "invoices.approve"')).toEqual(['bob', 'cy']);
      expect(await selected('effectivePermissions eq "servers.restart"')).toEqual(['cy']);
      expect(await selected('effectivePermissions eq "invoices.approve"', acme)).toEqual(['stranger']);
    });
  });
}
