import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import { parseListRequest } from '../../../src/scim/list/list-request';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { DEFAULT_TENANT_ID, UnsupportedQuery, type ListQuery, type TenantStore } from '../../../src/store/port';
import { eventRecorder } from '../../../src/store/sqlite/event-append';
import { openDatabase, type Db } from '../../../src/store/sqlite/open-database';
import { sqliteTenantStore } from '../../../src/store/sqlite/sqlite-store';
import { sqliteTenants } from '../../../src/store/sqlite/sqlite-tenants';
import { sqliteUsers } from '../../../src/store/sqlite/sqlite-users';
import { journal } from '../../support/journal';

/**
 * The SQLite listing of deleted users (sqlite-deleted-users.ts) beyond the contract: it finds
 * them through the partial index users_tenant_deleted, which holds the tenant's deleted users
 * only, so its count and its pages cost the number of deleted users (few: each is erased
 * RETENTION_DELETED_DAYS after its deletion), never the number of live ones, and then reads the
 * page's rows alone; a filter or sortBy runs within the list budget. The statements are the ones
 * the adapter runs, explained on the same connection.
 */
const registry = loadSchemaRegistry();
const USERS = 400;

describe('SQLite deleted users', () => {
  let dir: string;
  let db: Db;
  let ran: string[] = [];
  let acme: TenantStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-deleted-plans-'));
    db = openDatabase(join(dir, 'roster.db'), { verbose: (sql) => ran.push(String(sql)) });
    await sqliteTenants(db).create({ id: 'acme', name: 'Acme', settings: {} }, journal);
    // Two tenants of the same shape, one user in 16 deleted (among them, rows whose seq the budget checks).
    for (const tenant of [DEFAULT_TENANT_ID, 'acme']) {
      const store = sqliteTenantStore(db, tenant, journal);
      for (let i = 0; i < USERS; i++) {
        const user = await store.users.create({ data: { userName: `user${i}`, displayName: `User ${i}`, emails: [{ value: `user${i}@example.com` }] } });
        if (i % 16 === 15) await store.users.delete(user.id, undefined);
      }
    }
    acme = sqliteTenantStore(db, 'acme', journal);
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** How each SELECT the listing made reads the users table. */
  const plansOf = async (query: Partial<ListQuery> & { filterText?: string; sortBy?: string }): Promise<string[]> => {
    const { filterText, sortBy, ...page } = query;
    ran = [];
    const result = await acme.users.listDeleted({
      offset: 0, limit: 10, ...page,
      filter: filterText ? resolveFilter(registry.user, parseFilter(filterText)) : undefined,
      sort: sortBy ? parseListRequest(registry.user, { sortBy }, 10).sort : undefined,
    });
    expect(result.total).toBeGreaterThan(0);
    // Statements that read users (an unfiltered total reads resource_counts instead: see the case below).
    const selects = ran.filter((sql) => /^\s*SELECT/i.test(sql) && !/ FROM resource_counts /.test(sql));
    // The step that reads the users table; a sort (USE TEMP B-TREE) may follow it.
    return selects.map((sql) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((row) => row.detail).find((detail) => / t /.test(detail)) ?? '');
  };

  it.each([
    ['the default-order page and its count', {}],
    ['a deep page', { offset: 15 }],
    ['the count only, under a filter', { limit: 0, filterText: 'userName sw "user1"' }],
    ['a cursor page', { after: [5] }],
    ['a cursor page by userName', { sortBy: 'userName', after: ['user1', 5] }],
    ['an indexed filter (userName sw)', { filterText: 'userName sw "user1"' }],
    ['sortBy=userName', { sortBy: 'userName' }],
    ['a scanning filter (displayName co)', { filterText: 'displayName co "1"' }],
  ])('%s: finds the users through the deleted users\' index, then reads only the page\'s rows by key', async (_label, query) => {
    const plans = await plansOf(query);
    // Every statement but the last finds users; the last reads the page's rows (none for a count).
    const finding = (query as { limit?: number }).limit === 0 ? plans : plans.slice(0, -1);
    expect(finding.length).toBeGreaterThan(0);
    for (const plan of finding) expect(plan).toMatch(/^SEARCH t USING (COVERING )?INDEX users_tenant_deleted \(tenant_id=\? AND deleted_at>\?\)/);
    if (finding !== plans) expect(plans[plans.length - 1]).toMatch(/^SEARCH t USING (INTEGER PRIMARY KEY \(rowid=\?\)|INDEX users_tenant_seq \(tenant_id=\? AND seq=\?\))$/);
  });

  it('reads an unfiltered total from resource_counts (migration 9), exact and without counting users', async () => {
    ran = [];
    const { total } = await acme.users.listDeleted({ offset: 0, limit: 0 });
    expect(total).toBe(USERS / 16);
    expect(ran.filter((sql) => /^\s*SELECT/i.test(sql)).flatMap((sql) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((row) => row.detail)))
      .toEqual(['SEARCH resource_counts USING PRIMARY KEY (tenant_id=? AND kind=?)']);
  });

  describe('the list budget (LIST_BUDGET_MS), made deterministic with 0 ms', () => {
    const strict = () => sqliteUsers(db, 'acme', eventRecorder(db, 'acme', journal), 0);
    const query = (filter?: string, sortBy?: string): ListQuery => ({
      offset: 0, limit: 10,
      ...(filter ? { filter: resolveFilter(registry.user, parseFilter(filter)) } : {}),
      ...(sortBy ? { sort: parseListRequest(registry.user, { sortBy }, 10).sort } : {}),
    });

    it.each([
      ['a filter', query('displayName co "1"'), 'filter'],
      ['a sortBy', query(undefined, 'displayName'), 'sort'],
      ['a cursor page with a filter', { ...query('userName sw "user"'), after: [] }, 'filter'],
    ])('refuses %s that runs past it as an UnsupportedQuery', async (_label, listQuery, part) => {
      const error = await strict().listDeleted(listQuery).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnsupportedQuery);
      expect(error).toMatchObject({ part, message: expect.stringContaining('0 ms') });
    });

    it('never limits the unfiltered list in the default order (it reads the deleted users\' index once)', async () => {
      expect((await strict().listDeleted({ offset: 0, limit: 10 })).total).toBe(USERS / 16);
      expect((await strict().listDeleted({ offset: 0, limit: 10, after: [] })).items).toHaveLength(10);
    });
  });
});
