import { ACCOUNT_URN, expectScimError, GROUP_URN, LIST_URN, patchBody, startTestApp, USER_URN, userBody, type TestApp } from '../support/test-app';
import { ALPHABETICAL, INSERTION, USERS } from '../support/fixtures/list-users';

const SEARCH_URN = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
/** Every user carries the Account extension, so its URN is always in a user's schemas, whatever attributes are asked for. */
const USER_SCHEMAS = [USER_URN, ACCOUNT_URN];

type Resource = { id: string; userName?: string; displayName?: string; [key: string]: unknown };
const names = (res: { body: { Resources: Resource[] } }) => res.body.Resources.map((r) => r.userName ?? r.displayName);
const displayNames = (res: { body: { Resources: Resource[] } }) => res.body.Resources.map((r) => r.displayName);
const query = (params: Record<string, string | number>) =>
  new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();

describe('list responses', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    for (const [userName, extra] of USERS) {
      const res = await t.post('/Users', userBody(userName, extra)).expect(201);
      ids[userName] = res.body.id;
    }
    for (const [displayName, members] of [['Team X', ['bravo', 'Alpha']], ['Team Y', []], ['Ops', ['delta']]] as const) {
      const res = await t.post('/Groups', { schemas: [GROUP_URN], displayName, members: members.map((m) => ({ value: ids[m] })) }).expect(201);
      ids[displayName] = res.body.id;
    }
  });
  afterAll(() => t.close());

  /** Every page of a list, `count` at a time, checking each page's numbers on the way. */
  async function walk(params: Record<string, string>, count: number) {
    const seen: Resource[] = [];
    let total = Infinity;
    for (let startIndex = 1; startIndex <= total; startIndex += count) {
      const res = await t.get(`/Users?${query({ ...params, startIndex, count })}`).expect(200);
      total = res.body.totalResults;
      expect(res.body.startIndex).toBe(startIndex);
      expect(res.body.itemsPerPage).toBe(res.body.Resources.length);
      expect(res.body.Resources.length).toBe(Math.min(count, total - startIndex + 1));
      seen.push(...res.body.Resources);
    }
    return seen;
  }

  describe('pagination', () => {
    it('serves the first page in insertion order with integer totals', async () => {
      const res = await t.get('/Users?startIndex=1&count=3').expect(200);
      expect(res.headers['content-type']).toMatch(/application\/scim\+json/);
      expect(res.body.schemas).toEqual([LIST_URN]);
      expect(names(res)).toEqual(INSERTION.slice(0, 3));
      expect(res.text).toMatch(/"totalResults":7\b/);
      expect(res.text).toMatch(/"startIndex":1\b/);
      expect(res.text).toMatch(/"itemsPerPage":3\b/);
      for (const key of ['totalResults', 'startIndex', 'itemsPerPage']) expect(Number.isInteger(res.body[key])).toBe(true);
    });

    it('serves a partial last page', async () => {
      const res = await t.get('/Users?startIndex=7&count=3').expect(200);
      expect(res.body).toMatchObject({ totalResults: 7, startIndex: 7, itemsPerPage: 1 });
      expect(names(res)).toEqual(['Golf']);
    });

    it('answers a startIndex beyond the end with 200, no resources and the real total', async () => {
      const res = await t.get('/Users?startIndex=50&count=3').expect(200);
      expect(res.body).toEqual({ schemas: [LIST_URN], totalResults: 7, startIndex: 50, itemsPerPage: 0, Resources: [] });
    });

    it('answers count=0 with the total only', async () => {
      const res = await t.get('/Users?count=0').expect(200);
      expect(res.body).toEqual({ schemas: [LIST_URN], totalResults: 7, startIndex: 1, itemsPerPage: 0, Resources: [] });
    });

    it('answers count=0 with the total of the filter', async () => {
      const res = await t.get(`/Users?${query({ filter: 'title pr', count: 0 })}`).expect(200);
      expect(res.body.totalResults).toBe(5);
      expect(res.body.Resources).toEqual([]);
    });

    it.each([['0'], ['-1'], ['-100']])('treats startIndex=%s as 1', async (startIndex) => {
      const res = await t.get(`/Users?startIndex=${startIndex}&count=2`).expect(200);
      expect(res.body.startIndex).toBe(1);
      expect(names(res)).toEqual(INSERTION.slice(0, 2));
    });

    it('treats a negative count as 0', async () => {
      const res = await t.get('/Users?count=-5').expect(200);
      expect(res.body).toMatchObject({ totalResults: 7, itemsPerPage: 0, Resources: [] });
    });

    it.each([['count=abc'], ['count=2.5'], ['count='], ['count=1e2'], ['startIndex=two'], ['startIndex=1.5']])('refuses %s with 400 invalidValue', async (param) => {
      const body = expectScimError(await t.get(`/Users?${param}`), 400, 'invalidValue');
      expect(body.detail).toMatch(/must be a whole number/);
    });

    it('refuses a parameter given twice', async () => {
      expectScimError(await t.get('/Users?count=1&count=2'), 400, 'invalidValue');
    });

    it('collects every user exactly once walking pages of 3 in the default order', async () => {
      const seen = await walk({}, 3);
      expect(seen.map((r) => r.userName)).toEqual(INSERTION);
      expect(new Set(seen.map((r) => r.id)).size).toBe(7);
    });

    it.each([
      ['ascending', ALPHABETICAL],
      ['descending', [...ALPHABETICAL].reverse()],
    ])('collects every user exactly once walking pages of 3 sorted by userName %s', async (sortOrder, expected) => {
      const seen = await walk({ sortBy: 'userName', sortOrder }, 3);
      expect(seen.map((r) => r.userName)).toEqual(expected);
    });

    it('walks pages of a sort with ties and missing values without overlap or gaps', async () => {
      const seen = await walk({ sortBy: 'title' }, 2);
      expect(seen.map((r) => r.userName)).toEqual(['delta', 'charlie', 'bravo', 'foxtrot', 'Golf', 'Alpha', 'Echo']);
    });

    it('walks the pages of a filtered list', async () => {
      const seen = await walk({ filter: 'emails co "example.com"', sortBy: 'userName' }, 4);
      expect(seen.map((r) => r.userName)).toEqual(ALPHABETICAL.filter((n) => n !== 'foxtrot'));
    });
  });

  describe('page size limit', () => {
    let small: TestApp;
    beforeAll(async () => {
      small = await startTestApp({ maxPageSize: 5 });
      for (let i = 1; i <= 7; i++) await small.post('/Users', userBody(`user${i}`)).expect(201);
    });
    afterAll(() => small.close());

    it('clamps a count above the maximum to the maximum', async () => {
      const res = await small.get('/Users?count=100').expect(200);
      expect(res.body).toMatchObject({ totalResults: 7, startIndex: 1, itemsPerPage: 5 });
      expect(names(res)).toEqual(['user1', 'user2', 'user3', 'user4', 'user5']);
    });

    it('clamps a count too large to be exact rather than refusing it', async () => {
      const res = await small.get('/Users?count=99999999999999999999').expect(200);
      expect(res.body.itemsPerPage).toBe(5);
      const search = await small.post('/Users/.search', { count: 1e20 }).expect(200);
      expect(search.body.itemsPerPage).toBe(5);
    });

    it('answers a startIndex too large to be exact with an empty page', async () => {
      const res = await small.get('/Users?startIndex=99999999999999999999').expect(200);
      expect(res.body).toMatchObject({ totalResults: 7, startIndex: Number.MAX_SAFE_INTEGER, itemsPerPage: 0, Resources: [] });
    });

    it('uses the maximum when no count is given', async () => {
      const res = await small.get('/Users').expect(200);
      expect(res.body.itemsPerPage).toBe(5);
      expect(res.body.totalResults).toBe(7);
    });

    it('serves the rest on the next page', async () => {
      const res = await small.get('/Users?startIndex=6&count=100').expect(200);
      expect(names(res)).toEqual(['user6', 'user7']);
    });

    it('clamps the count of a POST /.search too', async () => {
      const res = await small.post('/Users/.search', { schemas: [SEARCH_URN], count: 1000 }).expect(200);
      expect(res.body.itemsPerPage).toBe(5);
      const root = await small.post('/.search', { schemas: [SEARCH_URN], count: 1000 }).expect(200);
      expect(root.body.itemsPerPage).toBe(5);
    });
  });

  describe('filter', () => {
    it('decodes + as a space in the query string', async () => {
      const res = await t.get('/Users?filter=userName+eq+%22alpha%22').expect(200);
      expect(names(res)).toEqual(['Alpha']);
    });

    it('decodes %20 as a space in the query string', async () => {
      const res = await t.get('/Users?filter=userName%20eq%20%22ECHO%22').expect(200);
      expect(names(res)).toEqual(['Echo']);
    });

    it('matches the parameter name without regard to case', async () => {
      const res = await t.get(`/Users?${query({ FILTER: 'userName eq "delta"' })}`).expect(200);
      expect(names(res)).toEqual(['delta']);
    });

    it('answers a filter that matches nothing with 200 and totalResults 0', async () => {
      const res = await t.get(`/Users?${query({ filter: 'userName eq "nobody"' })}`).expect(200);
      expect(res.body).toEqual({ schemas: [LIST_URN], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
    });

    it('treats an empty filter as no filter', async () => {
      const res = await t.get('/Users?filter=').expect(200);
      expect(res.body.totalResults).toBe(7);
    });

    it('finds a group by a member, and a user by a group', async () => {
      const groups = await t.get(`/Groups?${query({ filter: `members.value eq "${ids.Alpha}"` })}`).expect(200);
      expect(names(groups)).toEqual(['Team X']);
      const users = await t.get(`/Users?${query({ filter: `groups.value eq "${ids['Team X']}"` })}`).expect(200);
      expect(names(users)).toEqual(['bravo', 'Alpha']);
    });

    it.each([
      ['nosuch eq "x"', /Unknown attribute "nosuch"/],
      ['password eq "x"', /write-only/],
      ['active gt true', /"gt" operator cannot be used with active/],
      ['userName eq 5', /userName is a string/],
      ['meta.created gt "last week"', /dateTime/],
      ['userName eq', /Expected a value/],
      ['userName eq "x" and', /Expected an attribute path/],
    ])('refuses %s with 400 invalidFilter', async (filter, detail) => {
      const body = expectScimError(await t.get(`/Users?${query({ filter })}`), 400, 'invalidFilter');
      expect(body.detail).toMatch(detail);
    });

    it('refuses, as invalidFilter, a filter the store has no column for', async () => {
      expectScimError(await t.get(`/Groups?${query({ filter: 'members.$ref co "x"' })}`), 400, 'invalidFilter');
    });
  });

  describe('sortBy and sortOrder', () => {
    it.each([
      ['userName', 'ascending', ALPHABETICAL],
      ['userName', 'DESCENDING', [...ALPHABETICAL].reverse()],
      ['USERNAME', 'ascending', ALPHABETICAL],
      ['emails.value', 'ascending', ['bravo', 'Alpha', 'delta', 'Echo', 'Golf', 'charlie', 'foxtrot']],
      ['emails.value', 'descending', ['foxtrot', 'charlie', 'Golf', 'Echo', 'delta', 'Alpha', 'bravo']],
      ['emails', 'ascending', ['bravo', 'Alpha', 'delta', 'Echo', 'Golf', 'charlie', 'foxtrot']],
      ['title', 'ascending', ['delta', 'charlie', 'bravo', 'foxtrot', 'Golf', 'Alpha', 'Echo']],
      ['title', 'descending', ['Alpha', 'Echo', 'Golf', 'bravo', 'foxtrot', 'charlie', 'delta']],
    ])('sortBy=%s sortOrder=%s', async (sortBy, sortOrder, expected) => {
      const res = await t.get(`/Users?${query({ sortBy, sortOrder })}`).expect(200);
      expect(names(res)).toEqual(expected);
    });

    it('sorts ascending when sortOrder is absent', async () => {
      const res = await t.get('/Users?sortBy=userName').expect(200);
      expect(names(res)).toEqual(ALPHABETICAL);
    });

    it('sorts groups by displayName', async () => {
      const res = await t.get('/Groups?sortBy=displayName&sortOrder=descending').expect(200);
      expect(names(res)).toEqual(['Team Y', 'Team X', 'Ops']);
    });

    it.each([['nosuch'], ['name'], ['meta'], ['password'], ['members.value'], ['meta.location'], ['meta.version']])('refuses sortBy=%s with 400', async (sortBy) => {
      const body = expectScimError(await t.get(`/Users?sortBy=${sortBy}`), 400, 'invalidPath');
      expect(body.detail).toMatch(/sortBy/);
    });

    it('refuses a sortBy that is not an attribute path', async () => {
      expectScimError(await t.get(`/Users?${query({ sortBy: 'userName eq "x"' })}`), 400, 'invalidPath');
    });

    it.each([['up'], ['asc'], ['']])('refuses sortOrder=%p with 400 invalidValue', async (sortOrder) => {
      const body = expectScimError(await t.get(`/Users?sortBy=userName&sortOrder=${sortOrder}`), 400, 'invalidValue');
      expect(body.detail).toMatch(/sortOrder must be "ascending" or "descending"/);
    });
  });

  describe('attributes and excludedAttributes', () => {
    it('returns only the named attributes, plus those always returned, in a list', async () => {
      const res = await t.get('/Users?attributes=userName&count=2').expect(200);
      expect(res.body.Resources).toEqual([
        { schemas: USER_SCHEMAS, id: ids.bravo, userName: 'bravo' },
        { schemas: USER_SCHEMAS, id: ids.Alpha, userName: 'Alpha' },
      ]);
    });

    it('returns a named sub-attribute without its siblings', async () => {
      const res = await t.get(`/Users/${ids.charlie}?attributes=emails.value,name.givenName`).expect(200);
      expect(res.body).toEqual({
        schemas: USER_SCHEMAS, id: ids.charlie, name: { givenName: 'Given' },
        emails: [{ value: 'a0@example.com' }, { value: 'yy@example.com' }],
      });
    });

    it('leaves out excluded attributes in a list and keeps the rest', async () => {
      const res = await t.get(`/Users?${query({ excludedAttributes: 'emails,meta', filter: 'userName eq "bravo"' })}`).expect(200);
      const [bravo] = res.body.Resources;
      expect(bravo).not.toHaveProperty('emails');
      expect(bravo).not.toHaveProperty('meta');
      expect(bravo).toMatchObject({ id: ids.bravo, userName: 'bravo', title: 'Engineer', name: { familyName: 'Family' } });
    });

    it('never lets excludedAttributes remove id or schemas', async () => {
      const res = await t.get(`/Users/${ids.delta}?excludedAttributes=id,schemas,userName`).expect(200);
      expect(res.body).toMatchObject({ schemas: USER_SCHEMAS, id: ids.delta });
      expect(res.body).not.toHaveProperty('userName');
    });

    it('applies attributes to GET of one resource', async () => {
      const res = await t.get(`/Users/${ids.delta}?attributes=title`).expect(200);
      expect(res.body).toEqual({ schemas: USER_SCHEMAS, id: ids.delta, title: 'Analyst' });
    });

    it('returns a user\'s groups only when asked for, or by default', async () => {
      const asked = await t.get(`/Users/${ids.Alpha}?attributes=groups`).expect(200);
      expect(asked.body.groups).toEqual([expect.objectContaining({ value: ids['Team X'], display: 'Team X' })]);
      const excluded = await t.get(`/Users/${ids.Alpha}?excludedAttributes=groups`).expect(200);
      expect(excluded.body).not.toHaveProperty('groups');
      expect(excluded.body.userName).toBe('Alpha');
    });

    it('applies attributes to the response of POST', async () => {
      const res = await t.post('/Users?attributes=userName', userBody('hotel', { title: 'Chef' })).expect(201);
      expect(res.body).toEqual({ schemas: USER_SCHEMAS, id: expect.any(String), userName: 'hotel' });
      expect(res.headers.location).toMatch(new RegExp(`/Users/${res.body.id}$`));
      const stored = await t.get(`/Users/${res.body.id}`).expect(200);
      expect(stored.body.title).toBe('Chef');
      await t.delete(`/Users/${res.body.id}`).expect(204);
    });

    it('applies excludedAttributes to the response of PUT, without changing what is stored', async () => {
      const res = await t.put(`/Users/${ids.Echo}?excludedAttributes=emails,name`, userBody('Echo', { nickName: 'E' })).expect(200);
      expect(res.body).not.toHaveProperty('emails');
      expect(res.body).not.toHaveProperty('name');
      expect(res.body).toMatchObject({ userName: 'Echo', nickName: 'E' });
      const stored = await t.get(`/Users/${ids.Echo}`).expect(200);
      expect(stored.body.emails).toEqual([{ value: 'echo@example.com', type: 'work', primary: true }]);
    });

    it('applies attributes to the response of PATCH', async () => {
      const res = await t.patch(`/Users/${ids.Golf}?attributes=title`, patchBody({ op: 'replace', path: 'title', value: 'Keeper' })).expect(200);
      expect(res.body).toEqual({ schemas: USER_SCHEMAS, id: ids.Golf, title: 'Keeper' });
      await t.patch(`/Users/${ids.Golf}`, patchBody({ op: 'replace', path: 'title', value: 'Zookeeper' })).expect(200);
    });

    it('leaves members out of a filtered group list when they are excluded', async () => {
      const res = await t.get(`/Groups?${query({ excludedAttributes: 'members', filter: 'displayName eq "team x"' })}`).expect(200);
      expect(res.body.totalResults).toBe(1);
      expect(res.body.Resources[0]).toMatchObject({ id: ids['Team X'], displayName: 'Team X' });
      expect(res.body.Resources[0]).not.toHaveProperty('members');
    });

    it('includes members in a group list by default', async () => {
      const res = await t.get(`/Groups?${query({ filter: 'displayName eq "team x"' })}`).expect(200);
      expect(res.body.Resources[0].members.map((m: { value: string }) => m.value).sort()).toEqual([ids.bravo, ids.Alpha].sort());
    });

    it('refuses an attributes entry that is not an attribute path', async () => {
      expectScimError(await t.get(`/Users?${query({ attributes: 'userName eq "x"' })}`), 400, 'invalidValue');
    });
  });

  describe('POST /Users/.search', () => {
    it('takes filter, startIndex, count, attributes, sortBy and sortOrder from the body', async () => {
      const res = await t.post('/Users/.search', {
        schemas: [SEARCH_URN], filter: 'emails co "example.com"', startIndex: 2, count: 3,
        attributes: ['userName', 'title'], sortBy: 'userName', sortOrder: 'descending',
      }).expect(200);
      expect(res.body).toMatchObject({ schemas: [LIST_URN], totalResults: 6, startIndex: 2, itemsPerPage: 3 });
      expect(res.body.Resources).toEqual([
        { schemas: USER_SCHEMAS, id: ids.Echo, userName: 'Echo' },
        { schemas: USER_SCHEMAS, id: ids.delta, userName: 'delta', title: 'Analyst' },
        { schemas: USER_SCHEMAS, id: ids.charlie, userName: 'charlie', title: 'Designer' },
      ]);
    });

    it('accepts attributes and excludedAttributes as comma-separated strings', async () => {
      const res = await t.post('/Users/.search', { excludedAttributes: 'emails, name, meta, groups', filter: 'userName eq "alpha"' }).expect(200);
      expect(res.body.Resources).toEqual([{
        schemas: USER_SCHEMAS, id: ids.Alpha, userName: 'Alpha', displayName: 'Team Alpha', active: true,
        [ACCOUNT_URN]: { status: 'Active', accountType: 'Internal', activatedAt: expect.any(String) },
      }]);
    });

    it('lists everything for an empty body', async () => {
      const res = await t.post('/Users/.search', {}).expect(200);
      expect(names(res)).toEqual(INSERTION);
    });

    it.each<[object, string]>([
      [{ filter: 'nosuch pr' }, 'invalidFilter'],
      [{ filter: 42 }, 'invalidValue'],
      [{ count: 1.5 }, 'invalidValue'],
      [{ startIndex: 'one' }, 'invalidValue'],
      [{ sortBy: 'userName', sortOrder: 'sideways' }, 'invalidValue'],
      [{ attributes: [1] }, 'invalidValue'],
    ])('refuses %j', async (body, scimType) => {
      expectScimError(await t.post('/Users/.search', body), 400, scimType);
    });

    it('accepts only POST', async () => {
      expectScimError(await t.get('/Users/.search'), 405);
    });
  });

  describe('POST /.search at the root', () => {
    const ALL = [...INSERTION, 'Team X', 'Team Y', 'Ops'];

    it('returns users, then groups', async () => {
      const res = await t.post('/.search', { schemas: [SEARCH_URN] }).expect(200);
      expect(res.body).toMatchObject({ schemas: [LIST_URN], totalResults: 10, startIndex: 1, itemsPerPage: 10 });
      expect(names(res)).toEqual(ALL);
      expect(res.body.Resources.map((r: Resource) => r.schemas)).toEqual([...INSERTION.map(() => USER_SCHEMAS), [GROUP_URN], [GROUP_URN], [GROUP_URN]]);
    });

    it('pages across the boundary between users and groups', async () => {
      const res = await t.post('/.search', { startIndex: 6, count: 3 }).expect(200);
      expect(res.body).toMatchObject({ totalResults: 10, startIndex: 6, itemsPerPage: 3 });
      expect(names(res)).toEqual(['foxtrot', 'Golf', 'Team X']);
    });

    it('collects every resource exactly once walking pages of 3', async () => {
      const seen: string[] = [];
      for (let startIndex = 1; startIndex <= 10; startIndex += 3) {
        const res = await t.post('/.search', { startIndex, count: 3 }).expect(200);
        expect(res.body.totalResults).toBe(10);
        seen.push(...names(res) as string[]);
      }
      expect(seen).toEqual(ALL);
    });

    it('serves groups only when the page starts after the users', async () => {
      const res = await t.post('/.search', { startIndex: 9, count: 5 }).expect(200);
      expect(names(res)).toEqual(['Team Y', 'Ops']);
    });

    it('answers count 0 with the total of both types', async () => {
      const res = await t.post('/.search', { count: 0 }).expect(200);
      expect(res.body).toMatchObject({ totalResults: 10, itemsPerPage: 0, Resources: [] });
    });

    it('filters both types by an attribute both have', async () => {
      const res = await t.post('/.search', { filter: 'displayName sw "team"' }).expect(200);
      expect(displayNames(res)).toEqual(['Team Alpha', 'Team X', 'Team Y']);
      expect(res.body.totalResults).toBe(3);
    });

    it('matches no resource of a type that lacks a filtered attribute', async () => {
      const res = await t.post('/.search', { filter: 'userName eq "alpha"' }).expect(200);
      expect(res.body.totalResults).toBe(1);
      expect(names(res)).toEqual(['Alpha']);
      const groups = await t.post('/.search', { filter: 'members pr' }).expect(200);
      expect(names(groups)).toEqual(['Team X', 'Ops']);
    });

    it('refuses a filter attribute that no type has', async () => {
      expectScimError(await t.post('/.search', { filter: 'nosuch eq "x"' }), 400, 'invalidFilter');
    });

    it('applies attributes to every type', async () => {
      const res = await t.post('/.search', { attributes: ['displayName'], filter: 'displayName sw "team"' }).expect(200);
      expect(res.body.Resources).toEqual([
        { schemas: USER_SCHEMAS, id: ids.Alpha, displayName: 'Team Alpha' },
        { schemas: [GROUP_URN], id: ids['Team X'], displayName: 'Team X' },
        { schemas: [GROUP_URN], id: ids['Team Y'], displayName: 'Team Y' },
      ]);
    });

    it('sorts each type by an attribute both have', async () => {
      const res = await t.post('/.search', { sortBy: 'displayName', filter: 'displayName pr' }).expect(200);
      expect(displayNames(res)).toEqual(['Bravo B', 'Team Alpha', 'Ops', 'Team X', 'Team Y']);
    });

    it('keeps a type that lacks the sortBy attribute, as missing values: last ascending', async () => {
      const res = await t.post('/.search', { sortBy: 'userName' }).expect(200);
      expect(res.body.totalResults).toBe(10);
      expect(names(res)).toEqual([...ALPHABETICAL, 'Team X', 'Team Y', 'Ops']);
    });

    it('keeps a type that lacks the sortBy attribute, as missing values: first descending', async () => {
      const res = await t.post('/.search', { sortBy: 'userName', sortOrder: 'descending', count: 5 }).expect(200);
      expect(res.body.totalResults).toBe(10);
      expect(names(res)).toEqual(['Team X', 'Team Y', 'Ops', 'Golf', 'foxtrot']);
    });

    it('refuses a sortBy that no type has', async () => {
      expectScimError(await t.post('/.search', { sortBy: 'nosuch' }), 400, 'invalidPath');
    });

    it('accepts only POST', async () => {
      expectScimError(await t.get('/.search'), 405);
    });
  });
});

describe('query parameters a single-resource request does not use', () => {
  let t: import('../support/test-app').TestApp;
  beforeAll(async () => { t = await (await import('../support/test-app')).startTestApp(); });
  afterAll(() => t.close());

  it('are ignored, even when repeated, while attributes still applies', async () => {
    const { userBody } = await import('../support/test-app');
    const created = await t.post('/Users?count=1&count=2&attributes=userName', userBody('param.user'));
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(['id', 'schemas', 'userName']);
  });

  it('a sortBy the store cannot order by is a path error, not a filter error', async () => {
    await t.post('/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'sorted' });
    const response = await t.get('/Groups?sortBy=members.$ref');
    expect(response.status).toBe(400);
    expect(response.body.scimType).toBe('invalidPath');
  });
});
