import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateFilter } from '../../../src/scim/filter/evaluate-filter';
import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import type { JsonObject } from '../../../src/scim/values/json';
import { DEFAULT_TENANT_ID, type TenantStore } from '../../../src/store/port';
import { openDatabase, type Db } from '../../../src/store/sqlite/open-database';
import { sqliteTenantStore } from '../../../src/store/sqlite/sqlite-store';
import { sqliteTenants } from '../../../src/store/sqlite/sqlite-tenants';
import { journal } from '../../support/journal';
import { statementRecorder } from '../../support/sqlite-plans';

const ACCOUNT = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Account';
const registry = loadSchemaRegistry();

const STATUSES = ['Created', 'Pending', 'Active', 'Inactive'];
const TYPES = ['Internal', 'External', 'ConfigAdmin', 'SuperAdmin'];
const users: JsonObject[] = Array.from({ length: 40 }, (_, i) => ({
  userName: `user${i}`,
  ...(i % 10 === 9 ? {} : { [ACCOUNT]: { status: STATUSES[i % 4], accountType: TYPES[Math.floor(i / 4) % 4] } }),
}));

/** README "Console": the account status and type are indexed columns (migration 12), so the console's filters never scan the tenant. */
describe('filters on the account status and type', () => {
  let dir: string;
  let db: Db;
  let tenant: TenantStore;
  const recorder = statementRecorder();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-account-columns-'));
    db = openDatabase(join(dir, 'roster.db'), { verbose: recorder.verbose });
    await sqliteTenants(db).create({ id: 'other', name: 'Other', settings: {} }, journal);
    for (const id of ['other', DEFAULT_TENANT_ID]) {
      const store = sqliteTenantStore(db, id, journal);
      for (const data of users) await store.users.create({ data });
    }
    tenant = sqliteTenantStore(db, DEFAULT_TENANT_ID, journal);
    const gone = (await tenant.users.list({ offset: 0, limit: 1, filter: resolveFilter(registry.user, parseFilter('userName eq "user2"')) })).items[0];
    await tenant.users.delete(gone.id, undefined);
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const list = async (filter: string) =>
    (await tenant.users.list({ offset: 0, limit: 100, filter: resolveFilter(registry.user, parseFilter(filter)) }));
  const expected = (filter: string) => {
    const resolved = resolveFilter(registry.user, parseFilter(filter));
    return users.filter((data) => data.userName !== 'user2' && evaluateFilter(resolved, data)).map((data) => String(data.userName));
  };

  it.each([
    `${ACCOUNT}:status eq "Active"`,
    `${ACCOUNT}:status eq "Inactive"`,
    `${ACCOUNT}:status eq "inactive"`,
    `${ACCOUNT}:status ne "Active"`,
    `${ACCOUNT}:status pr`,
    `not (${ACCOUNT}:status pr)`,
    `${ACCOUNT}:status sw "In"`,
    `${ACCOUNT}:accountType eq "SuperAdmin"`,
    `${ACCOUNT}:accountType eq "SuperAdmin" and ${ACCOUNT}:status eq "Active"`,
    `${ACCOUNT}:status eq "Pending" or ${ACCOUNT}:accountType eq "External"`,
  ])('%s finds what the in-memory evaluator finds, in this tenant, live users only', async (filter) => {
    const page = await list(filter);
    expect(page.items.map((u) => String(u.data.userName)).sort()).toEqual(expected(filter).sort());
    expect(page.total).toBe(expected(filter).length);
  });

  it.each([
    [`${ACCOUNT}:status eq "Inactive"`, 'users_live_account_status'],
    [`${ACCOUNT}:accountType eq "SuperAdmin"`, 'users_live_account_type'],
  ])('serves %s from %s, never scanning the tenant\'s documents', async (filter, index) => {
    const plans = await recorder.plansOf(db, () => list(filter));
    expect(plans).toContainEqual(expect.stringContaining(`USING INDEX ${index} (tenant_id=? AND account_`));
    expect(plans.filter((step) => /^SCAN t\b/.test(step))).toEqual([]);
  });
});
