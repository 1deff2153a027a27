import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadConfig } from '../../src/config/config';
import { Tokens } from '../../src/app/tokens';
import { createLogger } from '../../src/logger';
import { assemble } from '../../src/main';
import { loadSchemaRegistry } from '../../src/scim/schema/registry';
import { DEFAULT_TENANT_ID, type Store } from '../../src/store/port';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import { BASE, expectScimError, GROUP_URN, startTestApp, TEST_TENANT, userBody, type TestApp } from '../support/test-app';
import { journal } from '../support/journal';

/**
 * Bounded filter cost (issue 8): at most MAX_FILTER_TERMS comparisons per filter, refused before
 * anything runs; long and/or chains compiled as balanced trees, so SQLite's expression-depth
 * limit is never met; and, on SQLite, a time budget for every filtered or sorted list.
 */
const chain = (n: number, term: (i: number) => string = (i) => `userName eq "user${i}"`, join = ' or ') =>
  Array.from({ length: n }, (_, i) => term(i)).join(join);
const q = encodeURIComponent;

describe('the comparison limit (MAX_FILTER_TERMS, default 100)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.post('/Users', userBody('user7')).expect(201);
    await t.post('/Groups', { schemas: [GROUP_URN], displayName: 'user7' }).expect(201);
  });
  afterAll(() => t.close());

  const requests: [string, (filter: string) => request.Test][] = [
    ['GET /Users?filter', (filter) => t.get(`/Users?filter=${q(filter)}`)],
    ['GET /Users?filter with a cursor', (filter) => t.get(`/Users?filter=${q(filter)}&cursor=`)],
    ['POST /Users/.search', (filter) => t.post('/Users/.search', { filter })],
    ['POST /Groups/.search', (filter) => t.post('/Groups/.search', { filter: filter.replace(/userName/g, 'displayName') })],
    ['POST /.search', (filter) => t.post('/.search', { filter: filter.replace(/userName/g, 'displayName') })],
    ['POST /.search with a cursor', (filter) => t.post('/.search', { filter: filter.replace(/userName/g, 'displayName'), cursor: '' })],
  ];

  it.each(requests)('%s: answers a filter of 100 comparisons', async (_name, send) => {
    const res = await send(chain(100)).expect(200);
    expect(res.body.totalResults).toBeGreaterThan(0);
  });

  it.each(requests)('%s: refuses 101 comparisons with 400 invalidFilter, saying how many', async (_name, send) => {
    const body = expectScimError(await send(chain(101)), 400, 'invalidFilter');
    expect(body.detail).toMatch(/^filter too complex: at most 100 comparisons \(this one has 101\)/);
  });

  it('counts the comparisons inside value paths and the issue\'s 300-term search', async () => {
    const inner = expectScimError(await t.get(`/Users?filter=${q(chain(51, (i) => `emails[type eq "work" and value eq "u${i}"]`))}`), 400, 'invalidFilter');
    expect(inner.detail).toMatch(/this one has 102\)/);
    const issue = expectScimError(await t.post('/.search', { filter: chain(300, (i) => `members.display co "x${i}"`) }), 400, 'invalidFilter');
    expect(issue.detail).toMatch(/at most 100 comparisons \(this one has 300\)/);
  });

  it('takes the limit from MAX_FILTER_TERMS', async () => {
    const strict = await startTestApp({ maxFilterTerms: 5 });
    try {
      await strict.get(`/Users?filter=${q(chain(5))}`).expect(200);
      expect(expectScimError(await strict.get(`/Users?filter=${q(chain(6))}`), 400, 'invalidFilter').detail).toMatch(/at most 5 comparisons \(this one has 6\)/);
    } finally {
      await strict.close();
    }
  });

  it('says that a dateTime needs quotes, rather than calling it an invalid number', async () => {
    const body = expectScimError(await t.get(`/Users?filter=${q('meta.created gt 2024-01-31T00:00:00Z')}`), 400, 'invalidFilter');
    expect(body.detail).toBe('Unquoted dateTime 2024-01-31T00:00:00Z at position 16: dateTimes are strings, so put them in double quotes, as in "2024-01-31T00:00:00Z"');
  });
});

describe('long and/or chains (balanced trees)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ maxFilterTerms: 2000 });
    for (const name of ['user3', 'user500', 'user1998']) await t.post('/Users', userBody(name)).expect(201);
  });
  afterAll(() => t.close());

  const userNames = (res: request.Response) => res.body.Resources.map((r: { userName: string }) => r.userName).sort();

  it('answers a chain of 2,000 "or" (left-deep, it exceeded SQLite\'s expression depth: 500)', async () => {
    const res = await t.post('/Users/.search', { filter: chain(2000) }).expect(200);
    expect(userNames(res)).toEqual(['user1998', 'user3', 'user500']);
  });

  it('answers a chain of 2,000 "and" of scanning terms', async () => {
    const res = await t.post('/Users/.search', { filter: chain(2000, (i) => `userName ne "nobody${i}"`, ' and ') }).expect(200);
    expect(res.body.totalResults).toBe(3);
  });

  it('keeps "and" binding tighter than "or", and "not" and parentheses exact, in long chains', async () => {
    const ors = chain(999, (i) => `userName eq "user${i}"`);
    const filter = `not (${ors}) and userName sw "user" or userName eq "user3" and ${chain(999, (i) => `title ne "t${i}"`, ' and ')}`;
    const res = await t.post('/Users/.search', { filter }).expect(200);
    // user3 and user500 are in the negated chain; user1998 is not; user3 comes back through the second branch.
    expect(userNames(res)).toEqual(['user1998', 'user3']);
  });
});

describe('the time budget of filtered and sorted lists (SQLite), over HTTP', () => {
  // The store's users and groups get no time at all: a list that scans 64 rows or more runs out (see test/store/sqlite/list-budget.test.ts).
  let dir: string;
  let store: Store;
  let agent: (method: 'get' | 'post', path: string, body?: object) => request.Test;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-budget-http-'));
    const config = loadConfig({ SQLITE_PATH: join(dir, 'roster.db'), LOG_LEVEL: 'silent' });
    store = openSqliteStore(config.sqlitePath, { listBudgetMs: 0 });
    if (TEST_TENANT !== DEFAULT_TENANT_ID) await store.tenants.create({ id: TEST_TENANT, name: TEST_TENANT, settings: {} }, journal);
    const { secret } = await new Tokens(store.tenant(TEST_TENANT, journal).tokens).create('test');
    const { app } = assemble({ config, store, registry: loadSchemaRegistry(), logger: createLogger('silent') });
    agent = (method, path, body) => {
      const test = request(app)[method](BASE + path).set('Authorization', `Bearer ${secret}`);
      return body ? test.set('Content-Type', 'application/scim+json').send(JSON.stringify(body)) : test;
    };
    for (let i = 0; i < 100; i++) await agent('post', '/Users', userBody(`user${i}`)).expect(201);
  }, 30_000);
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a filter that runs out of time with 400 invalidFilter and how to narrow it', async () => {
    const body = expectScimError(await agent('get', `/Users?filter=${q('name.givenName co "x"')}`), 400, 'invalidFilter');
    expect(body.detail).toMatch(/filter this costly: .* more than the 0 ms one request may spend searching users\. Narrow it with an indexed comparison/);
  });

  it('refuses a sort that runs out of time with 400 invalidPath and how to avoid it', async () => {
    const body = expectScimError(await agent('get', '/Users?sortBy=emails'), 400, 'invalidPath');
    expect(body.detail).toMatch(/sorting by emails\.value here: .* sort by userName, displayName, id, meta\.created or meta\.lastModified/);
  });

  it('still answers the identity providers\' indexed look-ups', async () => {
    for (const filter of ['userName eq "user7"', 'emails[type eq "work"].value eq "user7@example.com"', 'externalId eq "x"']) {
      expect((await agent('get', `/Users?filter=${q(filter)}`).expect(200)).body.totalResults).toBe(filter.startsWith('externalId') ? 0 : 1);
    }
  });
});
