import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import { parseListRequest } from '../../../src/scim/list/list-request';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { DEFAULT_TENANT_ID, UnsupportedQuery, type GroupStore, type ListQuery, type UserStore } from '../../../src/store/port';
import { openDatabase, type Db } from '../../../src/store/sqlite/open-database';
import { queryBudget } from '../../../src/store/sqlite/query-budget';
import { sqliteGroups } from '../../../src/store/sqlite/sqlite-groups';
import { sqliteUsers } from '../../../src/store/sqlite/sqlite-users';
import { eventRecorder } from '../../../src/store/sqlite/event-append';
import { journal } from '../../support/journal';

/**
 * The time budget of filtered and sorted lists (query-budget.ts, list-page.ts), made
 * deterministic with a budget of 0 ms: the clock is read on the rows whose key is a multiple of
 * 64, so a list that scans 64 rows or more (of its table or in any subquery) runs out of time at
 * once, and a look-up of user7 (seq 8, emails 15 and 16) never reads the clock at all.
 */
const registry = loadSchemaRegistry();
const USERS = 200;

describe('the SQLite list budget', () => {
  let dir: string;
  let db: Db;
  let users: UserStore;
  let groups: GroupStore;
  /** The same database, with no time at all for a filtered or sorted list. */
  let strictUsers: UserStore;
  let strictGroups: GroupStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-budget-'));
    db = openDatabase(join(dir, 'roster.db'));
    const record = eventRecorder(db, DEFAULT_TENANT_ID, journal);
    [users, groups] = [sqliteUsers(db, DEFAULT_TENANT_ID, record), sqliteGroups(db, DEFAULT_TENANT_ID, record)];
    [strictUsers, strictGroups] = [sqliteUsers(db, DEFAULT_TENANT_ID, record, 0), sqliteGroups(db, DEFAULT_TENANT_ID, record, 0)];
    const ids: string[] = [];
    for (let i = 0; i < USERS; i++) {
      const data = { userName: `user${i}`, externalId: `ext-${i}`, displayName: `User ${i}`, emails: [{ value: `user${i}@example.com`, type: 'work' }, { value: `u${i}@home.example`, type: 'home' }] };
      ids.push((await users.create({ data })).id);
    }
    // One group: its own table has one row, so only the subqueries over its members can run out of time.
    await groups.create({ displayName: 'everyone' }, ids);
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const userQuery = (filter?: string, sortBy?: string): ListQuery => ({
    offset: 0, limit: 10,
    ...(filter ? { filter: resolveFilter(registry.user, parseFilter(filter)) } : {}),
    ...(sortBy ? { sort: parseListRequest(registry.user, { sortBy }, 10).sort } : {}),
  });
  const groupQuery = (filter: string): ListQuery => ({ offset: 0, limit: 10, filter: resolveFilter(registry.group, parseFilter(filter)) });

  it.each([
    // Two characters: too short for the trigram index (search-index.ts), so these still scan.
    ['a scan of the users table', 'displayName co "no"'],
    ['a scan of the JSON documents', 'name.givenName co "no"'],
    ['an index range over every user', 'userName gt "a"'],
    ['a subquery over every email', 'emails.value co "no"'],
    ['a negated subquery', 'not (emails.value ew "nobody")'],
  ])('stops %s that runs past the budget: an UnsupportedQuery naming indexed comparisons', async (_case, filter) => {
    const refusal = strictUsers.list(userQuery(filter));
    await expect(refusal).rejects.toBeInstanceOf(UnsupportedQuery);
    await expect(refusal).rejects.toMatchObject({ part: 'filter', message: expect.stringMatching(/needs more than the 0 ms one request may spend searching users\. Narrow it with an indexed comparison/) });
    // The same list with time to run answers.
    await expect(users.list(userQuery(filter))).resolves.toMatchObject({ total: expect.any(Number) });
  });

  it('stops a subquery that scans every member of a one-row table (the check runs inside subqueries)', async () => {
    await expect(strictGroups.list(groupQuery('members.display co "nobody"'))).rejects.toMatchObject({ part: 'filter' });
    await expect(strictGroups.list(groupQuery('not (members.display co "nobody")'))).rejects.toMatchObject({ part: 'filter' });
    expect((await groups.list(groupQuery('members.display co "user 1"'))).total).toBe(1);
  });

  it('stops a sort on a computed value, as a sort (no filter to narrow)', async () => {
    const refusal = strictUsers.list(userQuery(undefined, 'emails'));
    await expect(refusal).rejects.toMatchObject({ part: 'sort', message: expect.stringMatching(/sorting by emails\.value here: it needs more than the 0 ms .* Add a filter that narrows the list/) });
    // A filter that leaves few users makes the same sort cheap.
    expect((await strictUsers.list(userQuery('userName eq "user7"', 'emails'))).items.map((u) => u.data.userName)).toEqual(['user7']);
  });

  it.each([
    'userName eq "user7"',
    'externalId eq "ext-7"',
    'emails[type eq "work"].value eq "user7@example.com"',
    'emails.value eq "u7@home.example"',
    'displayName eq "User 7"',
    'id eq "no-such-id"',
  ])('answers the indexed look-up %s within any budget', async (filter) => {
    const page = await strictUsers.list(userQuery(filter));
    expect(page.total).toBe(filter.startsWith('id') ? 0 : 1);
  });

  it.each([
    'displayName co "nobody"',
    'name.givenName co "nobody"',
    'emails.value co "nobody"',
    'userName ew "nobody"',
  ])('answers the substring search %s from the trigram index within any budget', async (filter) => {
    expect((await strictUsers.list(userQuery(filter))).total).toBe(0);
  });

  it('answers an unfiltered, unsorted list whatever its size: it is never refused', async () => {
    expect((await strictUsers.list(userQuery())).total).toBe(USERS);
  });

  it('answers a sort an index serves: the page reads only its rows', async () => {
    expect((await strictUsers.list(userQuery(undefined, 'userName'))).total).toBe(USERS);
  });

  it('leaves the connection usable after a list is stopped', async () => {
    await expect(strictUsers.list(userQuery('displayName co "x"'))).rejects.toBeInstanceOf(UnsupportedQuery);
    expect((await users.list(userQuery('displayName co "user 19"'))).total).toBe(11);
    expect(db.prepare('SELECT count(*) AS n FROM users').get()).toEqual({ n: USERS });
  });

  it('costs nothing outside a list: the check passes every row when no budget runs', () => {
    expect(db.prepare('SELECT count(*) AS n FROM users t WHERE scim_budget(t.seq)').get()).toEqual({ n: USERS });
    expect(queryBudget(db).run(1000, () => 'done')).toEqual({ result: 'done' });
  });
});
