import type request from 'supertest';
import { parseListRequest } from '../../src/scim/list/list-request';
import { loadSchemaRegistry } from '../../src/scim/schema/registry';
import { COLLECTIONS } from '../../src/store/mongo/documents';
import { INDEXES } from '../../src/store/mongo/indexes';
import { mongoStoreOn } from '../../src/store/mongo/mongo-store';
import { openDatabase } from '../../src/store/sqlite/open-database';
import { DEFAULT_TENANT_ID } from '../../src/store/port';
import { StatementCache } from '../../src/store/sqlite/statement-cache';
import { expectScimError, GROUP_URN, LIST_URN, startTestApp, userBody, type TestApp } from '../support/test-app';
import { FakeDatabase } from '../store/contract/mingo-collections';
import { ALPHABETICAL, INSERTION, USERS } from '../support/fixtures/list-users';
import { journal } from '../support/journal';

/**
 * Cursor pagination (RFC 9865) beside index pagination: `cursor` (empty for the first page),
 * `nextCursor` on every page but the last, the RFC's 400s, and keyset pages (no OFFSET).
 */
const SEARCH_URN = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

type Resource = { id: string; userName?: string; displayName?: string };
type Params = Record<string, string | number>;
const query = (params: Params) => new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();
const nameOf = (r: Resource) => r.userName ?? r.displayName;



/** One page's response, checked for the RFC 9865 shape. */
function cursorPage(res: request.Response, count: number) {
  expect(res.status).toBe(200);
  expect(res.body.schemas).toEqual([LIST_URN]);
  expect(res.body).not.toHaveProperty('startIndex');
  expect(res.body).not.toHaveProperty('previousCursor');
  expect(Number.isInteger(res.body.totalResults)).toBe(true);
  expect(res.body.itemsPerPage).toBe(res.body.Resources.length);
  expect(res.body.Resources.length).toBeLessThanOrEqual(count);
  if (res.body.nextCursor !== undefined) {
    expect(res.body.nextCursor).toMatch(/^[A-Za-z0-9._~-]+$/);
    expect(res.body.Resources.length).toBe(count);
  }
  return res.body as { totalResults: number; itemsPerPage: number; nextCursor?: string; Resources: Resource[] };
}

/** Every cursor page, `count` at a time, by GET or POST /.search: the resources in order and each page's body. */
async function walk(t: TestApp, path: string, params: Params, count: number, via: 'GET' | 'POST' = 'GET') {
  const seen: Resource[] = [];
  const pages: ReturnType<typeof cursorPage>[] = [];
  let cursor = '';
  for (let guard = 0; guard < 200; guard++) {
    const res = via === 'GET'
      ? await t.get(`${path}?${query({ ...params, cursor, count })}`)
      : await t.post(`${path}/.search`, { schemas: [SEARCH_URN], ...params, cursor, count });
    const page = cursorPage(res, count);
    pages.push(page);
    seen.push(...page.Resources);
    if (page.nextCursor === undefined) return { seen, pages };
    cursor = page.nextCursor;
  }
  throw new Error('the walk did not end');
}

/** The whole list in one index-paginated page: the order cursor pages must follow. */
async function indexOrder(t: TestApp, path: string, params: Params) {
  const res = await t.get(`${path}?${query({ ...params, startIndex: 1, count: 1000 })}`).expect(200);
  return res.body.Resources as Resource[];
}

/** Decodes a cursor, edits it and encodes it again, as a curious client would. */
const edit = (cursor: string, change: (document: Record<string, unknown>) => Record<string, unknown>) =>
  Buffer.from(JSON.stringify(change(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))))).toString('base64url');

describe('cursor pagination (RFC 9865)', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    for (const [userName, extra] of USERS) ids[userName] = (await t.post('/Users', userBody(userName, extra)).expect(201)).body.id;
    for (const [displayName, members] of [['Team X', ['bravo', 'Alpha']], ['team y', []], ['Ops', ['delta']], ['admins', []]] as const) {
      const res = await t.post('/Groups', { schemas: [GROUP_URN], displayName, members: members.map((m) => ({ value: ids[m] })) }).expect(201);
      ids[displayName] = res.body.id;
    }
  });
  afterAll(() => t.close());

  describe('pages', () => {
    it('starts with an empty cursor (GET ?cursor, no value) and answers totalResults, itemsPerPage and nextCursor, without startIndex', async () => {
      const res = await t.get('/Users?cursor&count=3').expect(200);
      expect(res.headers['content-type']).toMatch(/application\/scim\+json/);
      const page = cursorPage(res, 3);
      expect(page).toMatchObject({ totalResults: 7, itemsPerPage: 3, nextCursor: expect.any(String) });
      expect(page.Resources.map(nameOf)).toEqual(INSERTION.slice(0, 3));
      expect(Object.keys(res.body)).toEqual(['schemas', 'totalResults', 'itemsPerPage', 'nextCursor', 'Resources']);
    });

    it('continues from nextCursor and omits it on the last page', async () => {
      const first = cursorPage(await t.get('/Users?cursor=&count=5'), 5);
      const last = cursorPage(await t.get(`/Users?${query({ cursor: first.nextCursor!, count: 5 })}`), 5);
      expect(last.Resources.map(nameOf)).toEqual(INSERTION.slice(5));
      expect(last).toMatchObject({ totalResults: 7, itemsPerPage: 2 });
      expect(last).not.toHaveProperty('nextCursor');
    });

    it('serves a list that fits one page, or fills the last page exactly, without nextCursor', async () => {
      expect(cursorPage(await t.get('/Users?cursor&count=7'), 7)).not.toHaveProperty('nextCursor');
      expect(cursorPage(await t.get('/Users?cursor'), 1000)).not.toHaveProperty('nextCursor');
      const { pages } = await walk(t, '/Users', {}, 7);
      expect(pages).toHaveLength(1);
    });

    it('answers count=0 with the total only, and an empty list with no resources and no nextCursor', async () => {
      expect((await t.get('/Users?cursor&count=0').expect(200)).body).toEqual({ schemas: [LIST_URN], totalResults: 7, itemsPerPage: 0, Resources: [] });
      expect((await t.get(`/Users?${query({ cursor: '', filter: 'userName eq "nobody"' })}`).expect(200)).body)
        .toEqual({ schemas: [LIST_URN], totalResults: 0, itemsPerPage: 0, Resources: [] });
    });

    it.each([1, 2, 3, 6])('collects every user exactly once in the default order, %i at a time', async (count) => {
      const { seen, pages } = await walk(t, '/Users', {}, count);
      expect(seen.map(nameOf)).toEqual(INSERTION);
      expect(pages.every((page) => page.totalResults === 7)).toBe(true);
      expect(pages).toHaveLength(Math.ceil(7 / count));
    });

    it.each([
      [{ sortBy: 'userName' }, ALPHABETICAL],
      [{ sortBy: 'userName', sortOrder: 'descending' }, [...ALPHABETICAL].reverse()],
      // Ties (Engineer / engineer) in insertion order, missing titles last ascending and first descending.
      [{ sortBy: 'title' }, ['delta', 'charlie', 'bravo', 'foxtrot', 'Golf', 'Alpha', 'Echo']],
      [{ sortBy: 'title', sortOrder: 'descending' }, ['Alpha', 'Echo', 'Golf', 'bravo', 'foxtrot', 'charlie', 'delta']],
      [{ sortBy: 'displayName' }, undefined],
      [{ sortBy: 'displayName', sortOrder: 'descending' }, undefined],
      [{ sortBy: 'emails' }, undefined],
      [{ sortBy: 'emails.value', sortOrder: 'descending' }, undefined],
      [{ sortBy: 'name.familyName' }, undefined],
      [{ sortBy: 'meta.lastModified', sortOrder: 'descending' }, undefined],
      [{ sortBy: 'active' }, undefined],
      [{ filter: 'emails co "example.com"', sortBy: 'userName' }, ALPHABETICAL.filter((n) => n !== 'foxtrot')],
      [{ filter: 'title pr', sortBy: 'title', sortOrder: 'descending' }, ['Golf', 'bravo', 'foxtrot', 'charlie', 'delta']],
    ])('walks %j in the order of index pagination, 2 and 3 at a time', async (params, expected) => {
      const order = await indexOrder(t, '/Users', params as Params);
      if (expected) expect(order.map(nameOf)).toEqual(expected);
      for (const count of [2, 3]) {
        const { seen } = await walk(t, '/Users', params as Params, count);
        expect(seen.map((r) => r.id)).toEqual(order.map((r) => r.id));
      }
    });

    it('walks POST /Users/.search with the cursor in the body, in the order of GET', async () => {
      const params = { filter: 'title pr', sortBy: 'userName', sortOrder: 'descending' };
      const { seen } = await walk(t, '/Users', params, 2, 'POST');
      expect(seen.map(nameOf)).toEqual(['Golf', 'foxtrot', 'delta', 'charlie', 'bravo']);
      // A cursor is the query's, not the method's: GET and POST pages continue each other.
      const first = cursorPage(await t.post('/Users/.search', { ...params, cursor: '', count: 2 }), 2);
      const second = cursorPage(await t.get(`/Users?${query({ ...params, cursor: first.nextCursor!, count: 2 })}`), 2);
      expect(second.Resources.map(nameOf)).toEqual(['delta', 'charlie']);
    });

    it('walks groups, with attributes applied to each page', async () => {
      const { seen } = await walk(t, '/Groups', { sortBy: 'displayName', attributes: 'displayName' }, 3);
      expect(seen.map(nameOf)).toEqual(['admins', 'Ops', 'Team X', 'team y']);
      expect(seen.every((group) => !('members' in group))).toBe(true);
      const { seen: byInsertion } = await walk(t, '/Groups', {}, 1);
      expect(byInsertion.map(nameOf)).toEqual(['Team X', 'team y', 'Ops', 'admins']);
    });

    it('lets the count change between pages', async () => {
      const first = cursorPage(await t.get('/Users?cursor&count=2&sortBy=userName'), 2);
      const rest = cursorPage(await t.get(`/Users?${query({ cursor: first.nextCursor!, count: 10, sortBy: 'userName' })}`), 10);
      expect([...first.Resources, ...rest.Resources].map(nameOf)).toEqual(ALPHABETICAL);
    });
  });

  describe('errors', () => {
    let next: string;
    beforeAll(async () => {
      next = cursorPage(await t.get(`/Users?${query({ cursor: '', count: 2, sortBy: 'userName', filter: 'title pr' })}`), 2).nextCursor!;
    });
    const withCursor = (cursor: string, params: Params = { sortBy: 'userName', filter: 'title pr' }) => t.get(`/Users?${query({ ...params, cursor, count: 2 })}`);

    it('accepts the cursor with the query it was issued for', async () => {
      const page = cursorPage(await withCursor(next), 2);
      expect(page.Resources.map(nameOf)).toEqual(['delta', 'foxtrot']);
    });

    it.each([
      ['not base64url', 'not a cursor!'],
      ['truncated', () => next.slice(0, -5)],
      ['random text', 'QUJDREVGR0g'],
      ['far too long', 'A'.repeat(9000)],
    ])('refuses a malformed cursor (%s): 400 invalidCursor', async (_label, cursor) => {
      const body = expectScimError(await withCursor(typeof cursor === 'function' ? cursor() : cursor), 400, 'invalidCursor');
      expect(body.detail).toMatch(/cursor/);
    });

    it('refuses an altered cursor: a position edited, or one character changed', async () => {
      expectScimError(await withCursor(edit(next, (d) => ({ ...d, p: ['a', 1] }))), 400, 'invalidCursor');
      const changed = next.slice(0, 10) + (next[10] === 'x' ? 'y' : 'x') + next.slice(11);
      expectScimError(await withCursor(changed), 400, 'invalidCursor');
    });

    it.each([
      ['another filter', { sortBy: 'userName', filter: 'title pr and active eq true' }],
      ['no filter', { sortBy: 'userName' }],
      ['another sortBy', { sortBy: 'displayName', filter: 'title pr' }],
      ['another sortOrder', { sortBy: 'userName', sortOrder: 'descending', filter: 'title pr' }],
    ])('refuses a cursor sent with %s: 400 invalidCursor', async (_label, params) => {
      const body = expectScimError(await withCursor(next, params), 400, 'invalidCursor');
      expect(body.detail).toMatch(/another query/);
    });

    it('refuses a /Users cursor on /Groups', async () => {
      const users = cursorPage(await t.get('/Users?cursor&count=1'), 1).nextCursor!;
      expectScimError(await t.get(`/Groups?${query({ cursor: users, count: 1 })}`), 400, 'invalidCursor');
    });

    it('refuses a cursor whose position does not fit the order, even with a valid check', async () => {
      // Forged in full (the check is unkeyed by design): the store refuses the position itself.
      const { createHash } = await import('node:crypto');
      const digest = (value: unknown, length: number) => createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, length);
      const forged = edit(next, (d) => ({ ...d, p: ['a', 'b', 'c'], c: digest([d.q, ['a', 'b', 'c']], 11) }));
      expectScimError(await withCursor(forged), 400, 'invalidCursor');
      // A well-formed forged position only moves where the page starts, inside the filter.
      const early = edit(next, (d) => ({ ...d, p: ['', 0], c: digest([d.q, ['', 0]], 11) }));
      const page = cursorPage(await t.get(`/Users?${query({ sortBy: 'userName', filter: 'title pr', cursor: early, count: 100 })}`), 100);
      expect(page.Resources.map(nameOf)).toEqual(['bravo', 'charlie', 'delta', 'foxtrot', 'Golf']);
    });

    it('refuses startIndex beside a cursor, empty or not: 400 invalidValue', async () => {
      const body = expectScimError(await t.get('/Users?cursor&startIndex=1'), 400, 'invalidValue');
      expect(body.detail).toMatch(/startIndex and cursor/);
      expectScimError(await t.post('/Users/.search', { cursor: next, startIndex: 3 }), 400, 'invalidValue');
    });

    it('refuses a count that is not a whole number with invalidCount, and clamps a large one', async () => {
      expectScimError(await t.get('/Users?cursor&count=ten'), 400, 'invalidCount');
      expectScimError(await t.post('/Users/.search', { cursor: '', count: 2.5 }), 400, 'invalidCount');
      expect(cursorPage(await t.get('/Users?cursor&count=99999999999999999999'), 1000).itemsPerPage).toBe(7);
    });

    it('refuses a cursor that is not a string in a search body', async () => {
      expectScimError(await t.post('/Users/.search', { cursor: 12 }), 400, 'invalidCursor');
      expectScimError(await t.post('/Users/.search', { cursor: ['a'] }), 400, 'invalidCursor');
    });

    it('refuses a cursor given twice in the query string', async () => {
      expectScimError(await t.get('/Users?cursor&cursor'), 400, 'invalidValue');
    });

    it('leaves index pagination as it was: no nextCursor', async () => {
      const res = await t.get('/Users?startIndex=1&count=2').expect(200);
      expect(res.body).toMatchObject({ startIndex: 1, itemsPerPage: 2, totalResults: 7 });
      expect(res.body).not.toHaveProperty('nextCursor');
    });
  });

  describe('POST /.search at the root', () => {
    it('walks users then groups, each exactly once, in the order of index pagination', async () => {
      const all = (await t.post('/.search', { count: 100 }).expect(200)).body.Resources as Resource[];
      expect(all).toHaveLength(11);
      for (const count of [1, 3, 4, 7, 11, 20]) {
        const { seen, pages } = await walk(t, '', {}, count, 'POST');
        expect(seen.map((r) => r.id)).toEqual(all.map((r) => r.id));
        expect(pages.every((page) => page.totalResults === 11)).toBe(true);
        expect(pages).toHaveLength(Math.ceil(11 / count));
      }
    });

    it.each([
      [{ sortBy: 'displayName', filter: 'displayName pr' }],
      [{ sortBy: 'displayName', sortOrder: 'descending' }],
      // Groups have no userName: they come after the sorted users ascending, before them descending.
      [{ sortBy: 'userName' }],
      [{ sortBy: 'userName', sortOrder: 'descending' }],
      [{ filter: 'displayName sw "team"' }],
    ])('walks %j in the order of index pagination', async (params) => {
      const all = (await t.post('/.search', { ...params, count: 100 }).expect(200)).body.Resources as Resource[];
      for (const count of [2, 3]) {
        const { seen } = await walk(t, '', params, count, 'POST');
        expect(seen.map((r) => r.id)).toEqual(all.map((r) => r.id));
      }
    });

    it('refuses a cursor of one resource type, or of another root query', async () => {
      const users = cursorPage(await t.get('/Users?cursor&count=1'), 1).nextCursor!;
      expectScimError(await t.post('/.search', { cursor: users, count: 1 }), 400, 'invalidCursor');
      const root = cursorPage(await t.post('/.search', { cursor: '', count: 1, sortBy: 'displayName' }), 1).nextCursor!;
      expectScimError(await t.post('/.search', { cursor: root, count: 1 }), 400, 'invalidCursor');
      expectScimError(await t.post('/.search', { cursor: root, count: 1, sortBy: 'displayName', startIndex: 1 }), 400, 'invalidValue');
      expectScimError(await t.post('/.search', { cursor: 'garbage', count: 1 }), 400, 'invalidCursor');
    });
  });
});

describe('cursor pagination while resources come and go', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    for (let i = 0; i < 30; i++) await t.post('/Users', userBody(`user${String(i).padStart(2, '0')}`, { title: i % 3 ? `T${i % 4}` : undefined })).expect(201);
  });
  afterAll(() => t.close());

  it.each([
    [{}],
    [{ sortBy: 'userName' }],
    [{ sortBy: 'userName', sortOrder: 'descending' }],
    [{ sortBy: 'title' }],
    [{ sortBy: 'title', sortOrder: 'descending' }],
  ])('neither repeats nor skips a resource when others are created or deleted mid-walk: %j', async (params) => {
    const before = await indexOrder(t, '/Users', params as Params);
    const first = cursorPage(await t.get(`/Users?${query({ ...params, cursor: '', count: 4 })}`), 4);
    // Delete the last one served (the cursor outlives it) and one not yet served; add one at each end.
    const unseen = before[8];
    await t.delete(`/Users/${first.Resources[3].id}`).expect(204);
    await t.delete(`/Users/${unseen.id}`).expect(204);
    const added = [
      (await t.post('/Users', userBody(`aaa-${Object.values(params).join('-')}`, { title: 'A first' })).expect(201)).body as Resource,
      (await t.post('/Users', userBody(`zzz-${Object.values(params).join('-')}`, { title: 'Z last' })).expect(201)).body as Resource,
    ];
    const seen = [...first.Resources];
    let cursor = first.nextCursor!;
    for (;;) {
      const page = cursorPage(await t.get(`/Users?${query({ ...params, cursor, count: 3 })}`), 3);
      seen.push(...page.Resources);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    const seenIds = seen.map((r) => r.id);
    expect(new Set(seenIds).size).toBe(seenIds.length);
    const survivors = before.map((r) => r.id).filter((id) => id !== unseen.id);
    expect(seenIds.filter((id) => survivors.includes(id))).toEqual(survivors);
    expect(seenIds).not.toContain(unseen.id);
    // New users appear only where they sort after the cursor (the end of the default order).
    expect(seenIds.filter((id) => added.some((a) => a.id === id)).length).toBeLessThanOrEqual(2);
    if (Object.keys(params).length === 0) expect(seenIds.slice(-2)).toEqual(added.map((a) => a.id));
    // Put things back for the next case.
    for (const user of added) await t.delete(`/Users/${user.id}`).expect(204);
  });
});

describe('cursor pages cost the same at any depth (SQL, not timing)', () => {
  let t: TestApp;
  let sql: string[];
  let spy: jest.SpyInstance;

  beforeAll(async () => {
    t = await startTestApp();
    for (let i = 0; i < 40; i++) await t.post('/Users', userBody(`deep${String(i).padStart(2, '0')}`, { displayName: i % 5 ? `D${i % 7}` : undefined })).expect(201);
    for (let i = 0; i < 6; i++) await t.post('/Groups', { schemas: [GROUP_URN], displayName: `G${i}` }).expect(201);
  });
  afterAll(() => t.close());
  beforeEach(() => {
    sql = [];
    const original = StatementCache.prototype.get;
    spy = jest.spyOn(StatementCache.prototype, 'get').mockImplementation(function (this: StatementCache, text: string) {
      sql.push(text);
      return original.call(this, text);
    });
  });
  afterEach(() => spy.mockRestore());

  /** The SQL of every page query of a cursor walk, page by page (the count queries left out). */
  async function pageQueries(path: string, params: Params, count: number) {
    const perPage: string[] = [];
    let cursor = '';
    for (;;) {
      sql = [];
      const page = cursorPage(await t.get(`${path}?${query({ ...params, cursor, count })}`), count);
      perPage.push(...sql.filter((text) => !text.startsWith('SELECT count(*)') && /\bFROM (users|groups) t\b/.test(text)));
      if (!page.nextCursor) return perPage;
      cursor = page.nextCursor;
    }
  }

  /** SQLite's plan for a page query, run on the test's own database file. */
  function planOf(text: string): string {
    const db = openDatabase(t.config.sqlitePath);
    try {
      const params = (text.match(/\?/g) ?? []).map(() => 1);
      // Every statement is scoped to the tenant it runs for (the named @tenant).
      const named = text.includes('@tenant') ? [{ tenant: t.tenantId }] : [];
      return (db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...params, ...named) as { detail: string }[]).map((row) => row.detail).join('\n');
    } finally {
      db.close();
    }
  }

  it.each([
    ['/Users', {}, /rowid>\?/],
    ['/Users', { sortBy: 'userName' }, /\(user_name_key,rowid\)>\(\?,\?\)/],
    ['/Users', { sortBy: 'userName', sortOrder: 'descending' }, /user_name_key<\?/],
    ['/Users', { sortBy: 'meta.lastModified' }, /\(last_modified,rowid\)>\(\?,\?\)/],
    ['/Groups', { sortBy: 'displayName' }, /\(display_name_key,rowid\)>\(\?,\?\)/],
    // seq is the rowid: the (tenant_id, seq) index serves a tenant's groups in insertion order.
    ['/Groups', {}, /(rowid|tenant_id=\? AND seq)>\?/],
  ])('%s %j: one keyset statement for every page after the first, no OFFSET, searched through an index', async (path, params, range) => {
    const queries = await pageQueries(path, params, 3);
    expect(queries.length).toBeGreaterThan(1);
    for (const text of queries) {
      expect(text).not.toMatch(/\bOFFSET\b/i);
      expect(text).toMatch(/LIMIT \?$/);
    }
    // Page 2 and the deepest page run the very same statement: nothing in it grows with depth.
    expect(new Set(queries.slice(1)).size).toBe(1);
    const plan = planOf(queries[queries.length - 1]);
    expect(plan).toMatch(range);
    expect(plan).not.toMatch(/TEMP B-TREE/);
    expect(plan).not.toMatch(/^SCAN/m);
  });

  it('keeps the keyset for sorts no index serves (computed values): no OFFSET either', async () => {
    const queries = await pageQueries('/Users', { sortBy: 'displayName', sortOrder: 'descending' }, 7);
    for (const text of queries) expect(text).not.toMatch(/\bOFFSET\b/i);
    expect(new Set(queries.slice(1)).size).toBeLessThanOrEqual(2);
  });

  it('still pages by OFFSET with startIndex (the spy sees the page query)', async () => {
    await t.get('/Users?startIndex=30&count=3').expect(200);
    expect(sql.some((text) => /LIMIT \? OFFSET \?$/.test(text))).toBe(true);
  });
});

describe('MongoDB adapter: cursor pages are keyset queries an index bounds (after the tenant), never $skip', () => {
  // Through the store port over in-memory collections (the contract runs the same code against a server where MONGODB_URI is set).
  const registry = loadSchemaRegistry();
  const database = new FakeDatabase();
  const store = mongoStoreOn(database.asCollections(), registry, { description: 'mongodb://in-memory/roster', ready: () => true, close: async () => undefined }, database.runtime()).tenant(DEFAULT_TENANT_ID, journal);
  const users = database.collection(COLLECTIONS.users);
  const sortOf = (sortBy: string, sortOrder = 'ascending') => parseListRequest(registry.user, { sortBy, sortOrder }, 100).sort;

  beforeAll(async () => {
    for (let i = 0; i < 9; i++) await store.users.create({ data: { userName: `m${i}`, ...(i % 2 ? { title: `T${i % 3}` } : {}) } });
  });
  afterEach(() => jest.restoreAllMocks());

  /** The find / aggregate calls of a walk's pages after the first. */
  async function deepCalls(sort: ReturnType<typeof sortOf>) {
    const find = jest.spyOn(users, 'find');
    const aggregate = jest.spyOn(users, 'aggregate');
    let page = await store.users.list({ offset: 0, limit: 2, sort, after: [] });
    find.mockClear();
    aggregate.mockClear();
    while (page.next) page = await store.users.list({ offset: 0, limit: 2, sort, after: page.next });
    return { finds: find.mock.calls as unknown as [Record<string, unknown>, Record<string, unknown>][], aggregates: aggregate.mock.calls as unknown as [Record<string, unknown>[]][] };
  }

  it.each([
    ['the default order', undefined, 'created', '$gte'],
    ['userName', sortOf('userName'), 'userNameKey', '$gte'],
    ['userName descending', sortOf('userName', 'descending'), 'userNameKey', '$lte'],
    ['meta.lastModified descending', sortOf('meta.lastModified', 'descending'), 'lastModified', '$lte'],
  ] as const)('%s: a find whose filter bounds the leading sort key, limit count + 1, no skip', async (_label, sort, field, bound) => {
    const { finds, aggregates } = await deepCalls(sort);
    expect(aggregates).toHaveLength(0);
    expect(finds.length).toBeGreaterThan(1);
    for (const [filter, options] of finds) {
      expect(options).toMatchObject({ limit: 3 });
      expect(options).not.toHaveProperty('skip');
      const keyset = (filter.$and as Record<string, Record<string, unknown>>[])[1];
      expect(Object.keys(keyset[field])).toEqual([bound]);
      // The tenant's and liveness's equalities, then the range on the sort key: an index leading
      // (tenantId, key), or (tenantId, live, key) for a key live users are listed by, bounds all three.
      expect(filter.tenantId).toBe(DEFAULT_TENANT_ID);
      expect((filter.$and as Record<string, unknown>[])[0]).toEqual({ live: true });
      const leading = (index: (typeof INDEXES)[number]) => Object.keys(index.fields).slice(0, 3).join();
      expect(INDEXES.some((index) => index.collection === COLLECTIONS.users && [`tenantId,${field}`, `tenantId,live,${field}`].some((p) => leading(index).startsWith(p)))).toBe(true);
    }
  });

  it('a computed sort value: the keyset $match follows $addFields, and there is no $skip', async () => {
    const { finds, aggregates } = await deepCalls(sortOf('title', 'descending'));
    expect(finds).toHaveLength(0);
    expect(aggregates.length).toBeGreaterThan(1);
    for (const [pipeline] of aggregates) {
      const stages = pipeline.map((stage) => Object.keys(stage)[0]);
      expect(stages).not.toContain('$skip');
      expect(stages.indexOf('$addFields')).toBeLessThan(stages.lastIndexOf('$match'));
      expect(pipeline.find((stage) => '$limit' in stage)).toEqual({ $limit: 3 });
    }
  });
});
