import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import { parseListRequest } from '../../../src/scim/list/list-request';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { DEFAULT_TENANT_ID, type ListQuery, type TenantStore } from '../../../src/store/port';
import { openDatabase, type Db } from '../../../src/store/sqlite/open-database';
import { sqliteTenantStore } from '../../../src/store/sqlite/sqlite-store';
import { sqliteTenants } from '../../../src/store/sqlite/sqlite-tenants';
import { journal } from '../../support/journal';
import { statementRecorder } from '../../support/sqlite-plans';

/**
 * The plans SQLite chooses for a tenant's hot queries: each finds its rows through an index
 * that leads with tenant_id, so its cost is the page's (or the matches'), not the size of the
 * tenant or of the whole database. The statements are the ones the adapter runs, captured with
 * their parameters, and explained on the same connection.
 */
const registry = loadSchemaRegistry();
const USERS = 200;

describe('SQLite query plans of a tenant', () => {
  let dir: string;
  let db: Db;
  const recorder = statementRecorder();
  let acme: TenantStore;
  let groupId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-plans-'));
    db = openDatabase(join(dir, 'roster.db'), { verbose: recorder.verbose });
    await sqliteTenants(db).create({ id: 'acme', name: 'Acme', settings: {} }, journal);
    // Two tenants of the same shape, so an index without tenant_id would be as good as any.
    for (const tenant of [DEFAULT_TENANT_ID, 'acme']) {
      const store = sqliteTenantStore(db, tenant, journal);
      const ids: string[] = [];
      for (let i = 0; i < USERS; i++) {
        const data = { userName: `user${i}`, externalId: `ext-${i}`, displayName: `User ${i}`, emails: [{ value: `user${i}@example.com` }] };
        ids.push((await store.users.create({ data })).id);
      }
      groupId = (await store.groups.create({ displayName: 'Everyone' }, ids.slice(0, 50))).id;
    }
    acme = sqliteTenantStore(db, 'acme', journal);
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The query plan of every SELECT `run` made, one line per step. */
  const plansOf = (run: () => Promise<unknown>) => recorder.plansOf(db, run);
  const users = ({ filter, sortBy, ...page }: Omit<Partial<ListQuery>, 'filter' | 'sort'> & { filter?: string; sortBy?: string }) => () => acme.users.list({
    offset: 0, limit: 10, ...page,
    filter: filter ? resolveFilter(registry.user, parseFilter(filter)) : undefined,
    sort: sortBy ? parseListRequest(registry.user, { sortBy }, 10).sort : undefined,
  });
  const groups = (filter?: string) => () => acme.groups.list({ offset: 0, limit: 10, filter: filter ? resolveFilter(registry.group, parseFilter(filter)) : undefined });

  it.each([
    ['userName eq', users({ filter: 'userName eq "user7"' }), 'SEARCH t USING INDEX users_tenant_user_name (tenant_id=? AND user_name_key=?)'],
    ['externalId eq', users({ filter: 'externalId eq "ext-7"' }), 'SEARCH t USING INDEX users_tenant_external_id (tenant_id=? AND external_id=?)'],
    ['emails.value eq', users({ filter: 'emails.value eq "user7@example.com"' }), 'SEARCH ue USING COVERING INDEX user_emails_tenant_value (tenant_id=? AND value_key=?)'],
    ['displayName eq', users({ filter: 'displayName eq "User 7"' }), 'SEARCH t USING INDEX users_tenant_display_name (tenant_id=? AND display_name_key=?)'],
    // From the block holding the offset (user_blocks, offset-start.ts): a range of the live-users index.
    ['the default-order page', users({ offset: 20 }), 'SEARCH t USING INDEX users_tenant_live (tenant_id=? AND rowid>?)'],
    ['a cursor page in the default order', users({ after: [5] }), 'SEARCH t USING INDEX users_tenant_live (tenant_id=? AND rowid>?)'],
    ['sortBy=userName', users({ sortBy: 'userName' }), 'SEARCH t USING INDEX users_tenant_live_user_name (tenant_id=?)'],
    ['a cursor page by userName', users({ sortBy: 'userName', after: ['user1', 5] }), 'SEARCH t USING INDEX users_tenant_live_user_name (tenant_id=? AND (user_name_key,rowid)>(?,?))'],
    ['groups.value eq', users({ filter: 'groups.value eq "x"' }), 'SEARCH g USING COVERING INDEX groups_tenant_id (tenant_id=? AND id=?)'],
    ['members.value eq', groups('members.value eq "x"'), 'SEARCH mu USING INDEX users_tenant_id (tenant_id=? AND id=?)'],
    ['the groups\' default-order page', groups(), 'SEARCH t USING COVERING INDEX groups_tenant_seq (tenant_id=?)'],
    // A page's groups: each user's memberships, never every membership of the tenant.
    ['groupsOf a page of users', async () => acme.users.groupsOf((await acme.users.list({ offset: 0, limit: 10 })).items.map((u) => u.id)), 'SEARCH m USING COVERING INDEX memberships_user (tenant_id=? AND user_seq=?)'],
    ['membersOf a group', async () => acme.groups.membersOf([groupId]), 'SEARCH m USING PRIMARY KEY (tenant_id=? AND group_seq=?)'],
  ])('%s is served by a tenant-leading index', async (_case, run, step) => {
    expect(await plansOf(run)).toContain(step);
  });

  it('reads a tenant\'s live users\' count from resource_counts (migration 9), never counting them', async () => {
    const plans = await plansOf(users({ limit: 0 }));
    expect(plans).toEqual(['SEARCH resource_counts USING PRIMARY KEY (tenant_id=? AND kind=?)']);
  });

  it.each([
    ['a filtered list', users({ filter: 'userName sw "user1" or emails.value eq "a@example.com"' })],
    ['a sorted, filtered page', users({ filter: 'externalId eq "ext-7"', sortBy: 'userName', offset: 1 })],
    ['a group page with members', async () => acme.groups.membersOf([groupId])],
    ['groupsOf a page of users', async () => acme.users.groupsOf((await acme.users.list({ offset: 0, limit: 10 })).items.map((u) => u.id))],
    ['get by id', async () => acme.users.get('no-such-id')],
    ['restore by userName', async () => acme.users.restore({ userName: 'user7' })],
    ['a user\'s tokens', async () => acme.tokens.list('no-such-user')],
  ])('%s reads only through tenant-leading indexes or row ids, never a scan of a table', async (_case, run) => {
    const steps = (await plansOf(run)).filter((step) => /^(SCAN|SEARCH) /.test(step));
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) {
      expect(step).toMatch(/^SEARCH \w+ USING (COVERING INDEX \w+ \(tenant_id=\?|INDEX \w+ \(tenant_id=\?|PRIMARY KEY \(tenant_id=\?|INTEGER PRIMARY KEY \(rowid=\?\))|^SCAN json_each VIRTUAL TABLE/);
    }
  });
});
