import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import { parseListRequest } from '../../../src/scim/list/list-request';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import type { JsonObject } from '../../../src/scim/values/json';
import { DEFAULT_TENANT_ID, type ListQuery, type TenantStore } from '../../../src/store/port';
import { openDatabase, type Db } from '../../../src/store/sqlite/open-database';
import { sqliteTenantStore } from '../../../src/store/sqlite/sqlite-store';
import { sqliteTenants } from '../../../src/store/sqlite/sqlite-tenants';
import { journal } from '../../support/journal';

/**
 * What a page of a list costs in SQLite, read from the statements the adapter runs (captured,
 * with their parameters, then explained on the same connection): an unfiltered total is one look-up in resource_counts
 * (migration 9), never a count of the tenant's rows; an offset page finds its rows' seqs by
 * walking one index in the list's order, reading no column of the table (the OFFSET skips index
 * entries, not rows), then reads only the page's rows by key.
 */
const registry = loadSchemaRegistry();
const USERS = 120;

describe('SQLite list pages: stored totals, offsets resolved on an index', () => {
  let dir: string;
  let db: Db;
  let ran: string[] = [];
  let acme: TenantStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-list-plans-'));
    db = openDatabase(join(dir, 'roster.db'), { verbose: (sql) => ran.push(String(sql)) });
    await sqliteTenants(db).create({ id: 'acme', name: 'Acme', settings: {} }, journal);
    // Two tenants of the same shape; some users without a displayName or externalId, one in ten deleted.
    for (const tenant of [DEFAULT_TENANT_ID, 'acme']) {
      const store = sqliteTenantStore(db, tenant, journal);
      for (let i = 0; i < USERS; i++) {
        const extra: JsonObject = i % 3 === 0 ? {} : { displayName: `User ${i % 40}`, externalId: `ext-${i}` };
        const user = await store.users.create({ data: { userName: `user${i}`, ...extra } });
        if (i % 10 === 9) await store.users.delete(user.id, undefined);
      }
      for (let i = 0; i < 30; i++) await store.groups.create({ displayName: `Group ${i}` }, []);
    }
    acme = sqliteTenantStore(db, 'acme', journal);
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The SELECTs `run` made, as SQL text. */
  const selectsOf = async (run: () => Promise<unknown>): Promise<string[]> => {
    ran = [];
    await run();
    const selects = ran.filter((sql) => /^\s*SELECT/i.test(sql));
    ran = [];
    return selects;
  };
  const planOf = (sql: string): string[] => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((row) => row.detail);
  const query = (type: 'user' | 'group', page: Omit<Partial<ListQuery>, 'filter' | 'sort'> & { filter?: string; sortBy?: string; sortOrder?: 'ascending' | 'descending' } = {}): ListQuery => {
    const { filter, sortBy, sortOrder, ...rest } = page;
    return {
      offset: 0, limit: 10, ...rest,
      filter: filter ? resolveFilter(registry[type], parseFilter(filter)) : undefined,
      sort: sortBy ? parseListRequest(registry[type], { sortBy, sortOrder }, 10).sort : undefined,
    };
  };

  /**
   * Whether the statement reads anything from the rows of `table` itself (its bytecode has a
   * Column or Rowid on a cursor opened on the table's b-tree): a DeferredSeek that nothing reads
   * from costs nothing, which is how SQLite walks a partial index whose condition it need not test.
   */
  const readsRowsOf = (sql: string, table: string): boolean => {
    const root = (db.prepare('SELECT rootpage FROM sqlite_master WHERE type = ? AND name = ?').get('table', table) as { rootpage: number }).rootpage;
    const program = db.prepare(`EXPLAIN ${sql}`).all() as { opcode: string; p1: number; p2: number }[];
    const cursors = new Set(program.filter((op) => op.opcode === 'OpenRead' && op.p2 === root).map((op) => op.p1));
    return program.some((op) => ['Column', 'Rowid', 'SeekRowid', 'NotExists'].includes(op.opcode) && cursors.has(op.p1));
  };

  describe('totals', () => {
    it.each([
      ['the first page of users', () => acme.users.list(query('user'))],
      ['a deep page of users', () => acme.users.list(query('user', { offset: 90 }))],
      ['a sorted page of users', () => acme.users.list(query('user', { sortBy: 'userName' }))],
      ['a cursor page of users', () => acme.users.list(query('user', { after: [5] }))],
      ['a cursor page of users by userName', () => acme.users.list(query('user', { sortBy: 'userName', after: ['user5', 5] }))],
      ['the count of users only', () => acme.users.list(query('user', { limit: 0 }))],
      ['a page of groups', () => acme.groups.list(query('group', { offset: 5 }))],
      ['a page of deleted users', () => acme.users.listDeleted(query('user'))],
    ])('%s reads its total by primary key from resource_counts and counts no rows', async (_case, run) => {
      const selects = await selectsOf(run);
      expect(selects.some((sql) => /count\(/i.test(sql))).toBe(false);
      expect(selects.flatMap(planOf)).toContain('SEARCH resource_counts USING PRIMARY KEY (tenant_id=? AND kind=?)');
    });

    it('are exact: the stored totals equal the rows of each tenant', async () => {
      for (const tenant of [DEFAULT_TENANT_ID, 'acme']) {
        const store = sqliteTenantStore(db, tenant, journal);
        expect((await store.users.list(query('user', { limit: 0 }))).total).toBe(USERS - USERS / 10);
        expect((await store.users.listDeleted(query('user', { limit: 0 }))).total).toBe(USERS / 10);
        expect((await store.groups.list(query('group', { limit: 0 }))).total).toBe(30);
      }
    });

    it('a filtered list still counts, exactly, through the filter\'s index', async () => {
      const selects = await selectsOf(() => acme.users.list(query('user', { filter: 'userName sw "user1"', sortBy: 'userName' })));
      const count = selects.find((sql) => /count\(/i.test(sql))!;
      expect(planOf(count)).toEqual([expect.stringMatching(/^SEARCH t USING (COVERING )?INDEX users_tenant_live_user_name \(tenant_id=\? AND user_name_key>\? AND user_name_key<\?\)$/)]);
    });
  });

  // The index each order's offset is resolved on; "last term" orders sort only the rows that tie on the key.
  describe.each([
    ['user', undefined, 'ascending', 'users_tenant_live'],
    ['user', 'userName', 'ascending', 'users_tenant_live_user_name'],
    ['user', 'userName', 'descending', 'users_tenant_live_user_name'],
    ['user', 'displayName', 'ascending', 'users_tenant_live_display_name'],
    ['user', 'displayName', 'descending', 'users_tenant_live_display_name'],
    ['user', 'meta.lastModified', 'ascending', 'users_tenant_live_last_modified'],
    ['user', 'meta.lastModified', 'descending', 'users_tenant_live_last_modified'],
    ['group', undefined, 'ascending', 'groups_tenant_seq'],
    ['group', 'displayName', 'ascending', 'groups_tenant_display_name'],
    ['group', 'displayName', 'descending', 'groups_tenant_display_name'],
    ['group', 'meta.lastModified', 'ascending', 'groups_tenant_last_modified'],
    ['group', 'id', 'descending', 'groups_tenant_id'],
  ] as const)('an offset page of %s sorted by %s %s', (type, sortBy, sortOrder, index) => {
    const run = () => (type === 'user' ? acme.users : acme.groups).list(query(type, { offset: type === 'user' ? 40 : 20, sortBy, sortOrder }));
    const table = `${type}s`;

    it(`finds its seqs on ${index} alone, without sorting the tenant or reading its rows`, async () => {
      const inner = (await selectsOf(run)).find((sql) => new RegExp(`^SELECT t\\.seq FROM ${table} t .* LIMIT \\S+ OFFSET \\S+$`, 's').test(sql))!;
      const plan = planOf(inner);
      // The default order of users starts from the block holding the offset (offset-start.ts): a rowid range.
      expect(plan[0]).toMatch(new RegExp(`^SEARCH t USING (COVERING )?INDEX ${index} \\(tenant_id=\\?( AND rowid>\\?)?\\)$`));
      expect(plan).not.toContain('USE TEMP B-TREE FOR ORDER BY');
      expect(readsRowsOf(inner, table)).toBe(false);
    });

    it('then reads only the page\'s rows, by key', async () => {
      const selects = await selectsOf(run);
      expect(planOf(selects[selects.length - 1])).toContain(`SEARCH t USING INDEX ${table}_tenant_seq (tenant_id=? AND seq=?)`);
    });
  });

  it('an order no index serves (meta.created) sorts only the seqs and their keys, and reads the rows of the page alone', async () => {
    const selects = await selectsOf(() => acme.users.list(query('user', { offset: 40, sortBy: 'meta.created' })));
    const sorting = selects.filter((sql) => planOf(sql).includes('USE TEMP B-TREE FOR ORDER BY'));
    expect(sorting).toEqual([expect.stringMatching(/^SELECT t\.seq FROM users t /)]);
    expect(selects.filter((sql) => /^SELECT t\.\*/.test(sql))).toEqual([expect.stringMatching(/ AND t\.seq IN \(SELECT value FROM json_each\(/)]);
  });
});
