import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { CREATE_BATCH } from '../../src/app/bulk';
import {
  ADMIN_USERS, BASE, ERROR_URN, GROUP_URN, PATCH_URN, expectScimError, patchBody, startTestApp, userBody, type TestApp,
} from '../support/test-app';

/**
 * POST /Bulk (RFC 7644 §3.7) over the real application and a real SQLite file. Every effect a
 * result claims is checked by reading the resource back with a single request.
 */
const BULK_REQUEST_URN = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const BULK_RESPONSE_URN = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';
const ACCOUNT_URN = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Account';

interface Result {
  method?: string;
  bulkId?: string;
  location?: string;
  version?: string;
  status: string;
  response?: { schemas: string[]; status: string; scimType?: string; detail: string };
}

const bulk = (operations: object[], extra: object = {}) => ({ schemas: [BULK_REQUEST_URN], Operations: operations, ...extra });
const groupBody = (displayName: string, memberValues: readonly string[] = []) =>
  ({ schemas: [GROUP_URN], displayName, members: memberValues.map((value) => ({ value })) });
const idOf = (location: string | undefined) => location!.slice(location!.lastIndexOf('/') + 1);
/** supertest serves each request on a new port: compare locations from the base path on. */
const pathOf = (location: string | undefined) => location!.slice(location!.indexOf(BASE));

describe('POST /Bulk', () => {
  let t: TestApp;
  let seq = 0;
  const uniqueName = (stem = 'bulk') => `${stem}.${++seq}`;

  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  /** Sends a bulk request, expects a 200 BulkResponse, and returns its results. */
  const send = async (operations: object[], extra: object = {}, client: (path: string, body: object) => request.Test = t.post) => {
    const res = await client('/Bulk', bulk(operations, extra));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(Object.keys(res.body).sort()).toEqual(['Operations', 'schemas']);
    expect(res.body.schemas).toEqual([BULK_RESPONSE_URN]);
    return res.body.Operations as Result[];
  };
  const createUser = async (name = uniqueName(), extra: object = {}) => {
    const res = await t.post('/Users', userBody(name, extra));
    expect(res.status).toBe(201);
    return res.body as { id: string; userName: string; meta: { version: string; location: string } };
  };
  const userNamed = async (userName: string) =>
    (await t.get(`/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`)).body.Resources[0] as Record<string, any> | undefined;
  const memberIdsOf = async (groupId: string) =>
    (((await t.get(`/Groups/${groupId}`)).body.members ?? []) as { value: string }[]).map((m) => m.value).sort();
  /**
   * Asserts a failure result: status as a string, the §3.12 error body in `response`, with the
   * given scimType (null: none; undefined: not checked).
   */
  const expectFailure = (result: Result, status: number, scimType?: string | null) => {
    expect(result.status).toBe(String(status));
    expect(result.response?.schemas).toEqual([ERROR_URN]);
    expect(result.response?.status).toBe(String(status));
    if (scimType) expect(result.response?.scimType).toBe(scimType);
    if (scimType === null) expect(result.response).not.toHaveProperty('scimType');
    expect(result.response?.detail.length).toBeGreaterThan(10);
    expect(result).not.toHaveProperty('version');
    return result.response!;
  };

  describe('bulkId references', () => {
    it('creates users and a group holding them by bulkId in one request, with results exactly as RFC 7644 §3.7.3 shows', async () => {
      const [alice, bob, team] = [uniqueName('alice'), uniqueName('bob'), uniqueName('Team')];
      const results = await send([
        { method: 'POST', path: '/Users', bulkId: 'alice', data: userBody(alice) },
        { method: 'POST', path: '/Users', bulkId: 'bob', data: userBody(bob) },
        { method: 'POST', path: '/Groups', bulkId: 'team', data: groupBody(team, ['bulkId:alice', 'bulkId:bob']) },
      ]);

      expect(results).toHaveLength(3);
      for (const [result, bulkId, endpoint] of [[results[0], 'alice', 'Users'], [results[1], 'bob', 'Users'], [results[2], 'team', 'Groups']] as const) {
        expect(Object.keys(result).sort()).toEqual(['bulkId', 'location', 'method', 'status', 'version']);
        expect(result).toMatchObject({ method: 'POST', bulkId, status: '201' });
        expect(result.location).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+${BASE}/${endpoint}/[^/]+$`));
        expect(result.version).toMatch(/^W\/"\d+"$/);
        // the location and version are those a GET of the new resource serves
        const read = await t.get(result.location!.slice(result.location!.indexOf(BASE) + BASE.length));
        expect(read.status).toBe(200);
        expect(pathOf(read.body.meta.location)).toBe(pathOf(result.location));
        expect(read.headers.etag).toBe(result.version);
      }
      const aliceUser = await userNamed(alice);
      const bobUser = await userNamed(bob);
      expect(idOf(results[0].location)).toBe(aliceUser!.id);
      expect(await memberIdsOf(idOf(results[2].location))).toEqual([aliceUser!.id, bobUser!.id].sort());
      expect((await t.get(`/Users/${aliceUser!.id}`)).body.groups.map((g: { display: string }) => g.display)).toEqual([team]);
    });

    it('resolves bulkId references inside a PATCH value and in paths', async () => {
      const carol = uniqueName('carol');
      const results = await send([
        { method: 'POST', path: '/Groups', bulkId: 'g', data: groupBody(uniqueName('Group')) },
        { method: 'POST', path: '/Users', bulkId: 'carol', data: userBody(carol) },
        { method: 'PATCH', path: '/Groups/bulkId:g', data: patchBody({ op: 'add', path: 'members', value: [{ value: 'bulkId:carol' }] }) },
      ]);
      expect(results.map((r) => r.status)).toEqual(['201', '201', '200']);
      expect(results[2].location).toBe(results[0].location);
      expect(await memberIdsOf(idOf(results[0].location))).toEqual([idOf(results[1].location)]);
    });

    it('fails with 409 (RFC 7644 §3.7.1) a reference to an unknown bulkId, and writes nothing for it', async () => {
      const group = uniqueName('Orphans');
      const results = await send([
        { method: 'POST', path: '/Groups', bulkId: 'orphans', data: groupBody(group, ['bulkId:nobody']) },
        { method: 'DELETE', path: '/Users/bulkId:nobody' },
      ]);
      expect(expectFailure(results[0], 409, null).detail).toMatch(/"nobody" is not the bulkId of any POST/);
      expect(results[0]).toEqual({ method: 'POST', bulkId: 'orphans', status: '409', response: expect.any(Object) });
      expectFailure(results[1], 409, null);
      expect(results[1]).not.toHaveProperty('location');
      expect((await t.get(`/Groups?filter=${encodeURIComponent(`displayName eq "${group}"`)}`)).body.totalResults).toBe(0);
    });

    it('fails a reference to a later operation (operations run in order: no circular references) and to a failed POST', async () => {
      const [early, late] = [uniqueName('Early'), uniqueName('late')];
      const results = await send([
        { method: 'POST', path: '/Groups', bulkId: 'early', data: groupBody(early, ['bulkId:late']) },
        { method: 'POST', path: '/Users', bulkId: 'late', data: userBody(late) },
        { method: 'POST', path: '/Users', bulkId: 'broken', data: userBody(uniqueName(), { name: { familyName: 'NoGiven' } }) },
        { method: 'POST', path: '/Groups', bulkId: 'dependent', data: groupBody(uniqueName('Dependent'), ['bulkId:broken']) },
      ]);
      expect(expectFailure(results[0], 409, null).detail).toMatch(/"late" belongs to Operations\[1\], which comes later/);
      expect(results[1].status).toBe('201');
      expectFailure(results[2], 400);
      expect(expectFailure(results[3], 409, null).detail).toMatch(/"broken" belongs to Operations\[2\], which failed/);
      expect(await userNamed(late)).toBeDefined();
    });
  });

  describe('PUT, PATCH and DELETE', () => {
    it('by bulkId path: each result has the new version, and the changes are there', async () => {
      const name = uniqueName('dave');
      const results = await send([
        { method: 'POST', path: '/Users', bulkId: 'dave', data: userBody(name) },
        { method: 'PUT', path: '/Users/bulkId:dave', data: userBody(name, { title: 'Engineer' }) },
        { method: 'PATCH', path: '/Users/bulkId:dave', data: patchBody({ op: 'replace', path: 'title', value: 'Lead' }) },
      ]);
      expect(results.map((r) => [r.method, r.status])).toEqual([['POST', '201'], ['PUT', '200'], ['PATCH', '200']]);
      const versions = results.map((r) => Number(/"(\d+)"/.exec(r.version!)![1]));
      expect(versions[1]).toBeGreaterThan(versions[0]);
      expect(versions[2]).toBeGreaterThan(versions[1]);
      const read = await t.get(`/Users/${idOf(results[0].location)}`);
      expect(read.body.title).toBe('Lead');
      expect(read.headers.etag).toBe(results[2].version);
      for (const result of results.slice(1)) {
        expect(Object.keys(result).sort()).toEqual(['location', 'method', 'status', 'version']);
        expect(result.location).toBe(results[0].location);
      }

      const deleted = await send([{ method: 'DELETE', path: '/Users/bulkId:dave' }]);
      expectFailure(deleted[0], 409, null); // bulkIds name resources of the same request only
    });

    it('by id: PUT, PATCH and DELETE of users and groups, DELETE answering 204 with a location and no version', async () => {
      const user = await createUser();
      const member = await createUser();
      const group = (await t.post('/Groups', groupBody(uniqueName('Byid')))).body as { id: string; displayName: string };
      const results = await send([
        { method: 'PUT', path: `/Users/${user.id}`, data: userBody(user.userName, { displayName: 'Put by bulk' }) },
        { method: 'PATCH', path: `/Groups/${group.id}`, data: patchBody({ op: 'add', path: 'members', value: [{ value: member.id }] }) },
        { method: 'PUT', path: `/Groups/${group.id}`, data: groupBody(`${group.displayName} renamed`, [member.id, user.id]) },
        { method: 'DELETE', path: `/Users/${member.id}` },
      ]);
      expect(results.map((r) => r.status)).toEqual(['200', '200', '200', '204']);
      expect(results[3]).toEqual({ method: 'DELETE', location: expect.stringMatching(new RegExp(`${BASE}/Users/${member.id}$`)), status: '204' });
      expect((await t.get(`/Users/${user.id}`)).body.displayName).toBe('Put by bulk');
      const read = await t.get(`/Groups/${group.id}`);
      expect(read.body.displayName).toBe(`${group.displayName} renamed`);
      expect(read.body.members.map((m: { value: string }) => m.value)).toEqual([user.id]); // the deleted member is hidden
      expect((await t.get(`/Users/${member.id}`)).status).toBe(404);

      const again = await send([{ method: 'DELETE', path: `/Users/${member.id}` }]);
      expectFailure(again[0], 404);
      expect(pathOf(again[0].location)).toBe(pathOf(member.meta.location)); // §3.7.3: every result but a failed POST's has a location
    });

    it('takes version as If-Match: a stale one fails with 412 and changes nothing, the current one succeeds', async () => {
      const user = await createUser();
      const results = await send([
        { method: 'PATCH', path: `/Users/${user.id}`, version: 'W/"999"', data: patchBody({ op: 'replace', path: 'title', value: 'Stale' }) },
        { method: 'PATCH', path: `/Users/${user.id}`, version: user.meta.version, data: patchBody({ op: 'replace', path: 'title', value: 'Fresh' }) },
        { method: 'DELETE', path: `/Users/${user.id}`, version: user.meta.version },
        { method: 'PUT', path: `/Users/${user.id}`, version: 'not-an-etag', data: userBody(user.userName) },
      ]);
      expect(expectFailure(results[0], 412).detail).toMatch(/version is now W\/"\d+"/);
      expect(results[1].status).toBe('200');
      expectFailure(results[2], 412); // the PATCH before it changed the version
      expectFailure(results[3], 400, 'invalidValue');
      const read = await t.get(`/Users/${user.id}`);
      expect(read.body.title).toBe('Fresh');
      expect(read.headers.etag).toBe(results[1].version);
    });
  });

  describe('failures of single operations', () => {
    it('reports an invalid operation among valid ones in place (400 invalidSyntax / invalidPath) and runs the others', async () => {
      const [one, two] = [uniqueName(), uniqueName()];
      const results = await send([
        { method: 'POST', path: '/Users', bulkId: 'one', data: userBody(one) },
        { method: 'GET', path: '/Users' },
        { method: 'POST', path: '/Widgets', bulkId: 'w', data: {} },
        { method: 'POST', path: '/Users', data: userBody(uniqueName()) },
        { method: 'POST', path: '/Users', bulkId: 'two', data: userBody(two) },
      ]);
      expect(results.map((r) => r.status)).toEqual(['201', '400', '400', '400', '201']);
      expect(results[1]).toEqual({ method: 'GET', status: '400', response: expect.any(Object) });
      expectFailure(results[1], 400, 'invalidSyntax');
      expect(results[2]).toEqual({ method: 'POST', bulkId: 'w', status: '400', response: expect.any(Object) });
      expectFailure(results[2], 400, 'invalidPath');
      expectFailure(results[3], 400, 'invalidSyntax');
      expect(await userNamed(one)).toBeDefined();
      expect(await userNamed(two)).toBeDefined();
    });

    it('reports a uniqueness conflict as 409 uniqueness, as a single POST would', async () => {
      const existing = await createUser();
      const results = await send([
        { method: 'POST', path: '/Users', bulkId: 'dup', data: userBody(existing.userName.toUpperCase()) },
        { method: 'POST', path: '/Users', bulkId: 'ok', data: userBody(uniqueName()) },
      ]);
      const error = expectFailure(results[0], 409, 'uniqueness');
      expect(error.detail).toMatch(/already taken/);
      const single = await t.post('/Users', userBody(existing.userName.toUpperCase()));
      expect(results[0].response).toEqual(single.body);
      expect(results[0]).not.toHaveProperty('location');
      expect(results[1].status).toBe('201');
    });

    it('applies the account rules: a user without name.givenName is a 400 result, like a single POST, and is not created', async () => {
      const name = uniqueName('nogiven');
      const body = userBody(name, { name: { familyName: 'Only' } });
      const results = await send([
        { method: 'POST', path: '/Users', bulkId: 'ng', data: body },
        { method: 'POST', path: '/Users', bulkId: 'roles', data: userBody(uniqueName(), { [ACCOUNT_URN]: { accountType: 'Internal', roles: ['Reports'] } }) },
      ]);
      const single = await t.post('/Users', body);
      expect(single.status).toBe(400);
      expect(results[0].response).toEqual(single.body);
      expect(expectFailure(results[0], 400, 'invalidValue').detail).toMatch(/name\.givenName is required/);
      expectFailure(results[1], 400); // roles only on ConfigAdmin accounts
      expect(await userNamed(name)).toBeUndefined();
    });

    it('turns an unexpected error into a 500 result that names the request and nothing of the cause, and goes on', async () => {
      const secret = 'SQLITE_CORRUPT: database disk image is malformed at /var/lib/roster/roster.db';
      // The store fails the first user of the batch alone, as it would fail a single create.
      const createMany = t.data.users.createMany.bind(t.data.users);
      jest.spyOn(t.data.users, 'createMany').mockImplementationOnce(async ([, ...rest]) => [{ failed: new Error(secret) }, ...await createMany(rest)]);
      const good = uniqueName();
      const res = await t.post('/Bulk', bulk([
        { method: 'POST', path: '/Users', bulkId: 'boom', data: userBody(uniqueName()) },
        { method: 'POST', path: '/Users', bulkId: 'fine', data: userBody(good) },
      ]));
      expect(res.status).toBe(200);
      const [boom, fine] = res.body.Operations as Result[];
      expect(expectFailure(boom, 500).detail).toContain(res.headers['x-request-id']);
      expect(res.text).not.toMatch(/SQLITE|malformed|roster\.db|Error:|\bat \//);
      expect(fine.status).toBe('201');
      expect(await userNamed(good)).toBeDefined();
    });

    it('retries a batch the store refused as a whole one create at a time: each operation then succeeds or fails alone', async () => {
      jest.spyOn(t.data.users, 'createMany').mockRejectedValueOnce(new Error('SQLITE_FULL: database or disk is full'));
      const create = jest.spyOn(t.data.users, 'create').mockRejectedValueOnce(new Error('SQLITE_FULL: database or disk is full'));
      const [first, second] = [uniqueName('full'), uniqueName('after.full')];
      const results = await send([
        { method: 'POST', path: '/Users', bulkId: 'first', data: userBody(first) },
        { method: 'POST', path: '/Users', bulkId: 'second', data: userBody(second) },
      ]);
      expect(create).toHaveBeenCalledTimes(2);
      expectFailure(results[0], 500);
      expect(results[1].status).toBe('201');
      expect(await userNamed(first)).toBeUndefined();
      expect(await userNamed(second)).toBeDefined();
    });
  });

  describe('bounded work', () => {
    it('gives other requests a turn between its batches of creates: a long bulk request does not hold the server', async () => {
      const server: Server = t.app.listen(0);
      try {
        const { port } = server.address() as AddressInfo;
        const createMany = t.data.users.createMany.bind(t.data.users);
        let created = 0;
        let createdWhenHealthAnswered: number | undefined;
        let health: Promise<void> | undefined;
        const batches: number[] = [];
        // Observes the store (calls go through): the first write sends another client's request.
        jest.spyOn(t.data.users, 'createMany').mockImplementation(async (writes) => {
          health ??= new Promise<void>((resolve, reject) => {
            httpRequest({ host: '127.0.0.1', port, path: '/healthz' }, (res) => {
              res.resume().on('end', () => { createdWhenHealthAnswered = created; resolve(); });
            }).on('error', reject).end();
          });
          const results = await createMany(writes);
          created += writes.length;
          batches.push(writes.length);
          return results;
        });
        const results = await send(Array.from({ length: 2.5 * CREATE_BATCH }, (_, i) => ({ method: 'POST', path: '/Users', bulkId: `t${i}`, data: userBody(uniqueName('turn')) })));
        await health;
        expect(results.every((r) => r.status === '201')).toBe(true);
        expect(batches).toEqual([CREATE_BATCH, CREATE_BATCH, CREATE_BATCH / 2]);
        expect(createdWhenHealthAnswered).toBeLessThan(2.5 * CREATE_BATCH);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it('reports an operation over a resource limit in its own result, and runs the others', async () => {
      const small = await startTestApp({ maxMultiValues: 2 });
      try {
        const res = await small.post('/Bulk', bulk([
          { method: 'POST', path: '/Users', bulkId: 'a', data: userBody('limit.a') },
          { method: 'POST', path: '/Users', bulkId: 'b', data: userBody('limit.b', { phoneNumbers: [{ value: '1' }, { value: '2' }, { value: '3' }] }) },
          { method: 'POST', path: '/Users', bulkId: 'c', data: userBody('limit.c') },
        ]));
        expect(res.body.Operations.map((r: Result) => r.status)).toEqual(['201', '400', '201']);
        expect(res.body.Operations[1].response.detail).toBe('phoneNumbers has 3 values, more than the 2 this server accepts in one attribute');
      } finally {
        await small.close();
      }
    });
  });

  describe('failOnErrors', () => {
    it('with 1 stops after the first failure: the response holds the results so far, later operations are not run', async () => {
      const [before, after] = [uniqueName('before'), uniqueName('after')];
      const existing = await createUser();
      const results = await send([
        { method: 'POST', path: '/Users', bulkId: 'before', data: userBody(before) },
        { method: 'POST', path: '/Users', bulkId: 'clash', data: userBody(existing.userName) },
        { method: 'POST', path: '/Users', bulkId: 'after', data: userBody(after) },
      ], { failOnErrors: 1 });
      expect(results.map((r) => [r.bulkId, r.status])).toEqual([['before', '201'], ['clash', '409']]);
      expect(await userNamed(before)).toBeDefined();
      expect(await userNamed(after)).toBeUndefined();
    });

    it('with 2 accepts one failure and stops at the second', async () => {
      const last = uniqueName('last');
      const results = await send([
        { method: 'DELETE', path: '/Users/missing-1' },
        { method: 'POST', path: '/Users', bulkId: 'mid', data: userBody(uniqueName()) },
        { method: 'DELETE', path: '/Users/missing-2' },
        { method: 'POST', path: '/Users', bulkId: 'last', data: userBody(last) },
      ], { failOnErrors: 2 });
      expect(results.map((r) => r.status)).toEqual(['404', '201', '404']);
      expect(await userNamed(last)).toBeUndefined();
    });

    it('refuses a failOnErrors that is not a whole number of at least 1 with 400 invalidValue', async () => {
      expectScimError(await t.post('/Bulk', bulk([], { failOnErrors: 0 })), 400, 'invalidValue');
    });
  });

  describe('access rules', () => {
    const as = (token: string) => (path: string, body: object) =>
      request(t.app).post(BASE + path).set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/scim+json').send(JSON.stringify(body));
    const tokenFor = async (userId: string) => {
      const res = await request(t.app).post(`${ADMIN_USERS}/${userId}/tokens`).set('Authorization', `Bearer ${t.token}`).send({ name: 'bulk' });
      expect(res.status).toBe(201);
      return res.body.token as string;
    };

    it('gives a user-bound token without write rights a 403 result for every write, and writes nothing', async () => {
      const reader = await createUser(uniqueName('reader'), { [ACCOUNT_URN]: { accountType: 'Internal' } });
      const victim = await createUser();
      const name = uniqueName('sneaky');
      const results = await send([
        { method: 'POST', path: '/Users', bulkId: 's', data: userBody(name) },
        { method: 'PATCH', path: `/Users/${victim.id}`, data: patchBody({ op: 'replace', path: 'active', value: false }) },
        { method: 'DELETE', path: `/Users/${victim.id}` },
      ], {}, as(await tokenFor(reader.id)));
      for (const result of results) expect(expectFailure(result, 403).detail).toMatch(/SuperAdmin/);
      expect(await userNamed(name)).toBeUndefined();
      const read = await t.get(`/Users/${victim.id}`);
      expect(read.status).toBe(200);
      expect(read.body.active).toBe(true);
    });

    it('lets a SuperAdmin\'s token write in bulk, but not change its own access (403, as for a single request)', async () => {
      const admin = await createUser(uniqueName('admin'), { [ACCOUNT_URN]: { accountType: 'SuperAdmin' } });
      const name = uniqueName('made');
      const results = await send([
        { method: 'POST', path: '/Users', bulkId: 'made', data: userBody(name) },
        { method: 'DELETE', path: `/Users/${admin.id}` },
      ], {}, as(await tokenFor(admin.id)));
      expect(results[0].status).toBe('201');
      expect(expectFailure(results[1], 403).detail).toMatch(/own account/);
      expect((await t.get(`/Users/${admin.id}`)).status).toBe(200);
    });

    it('requires a token', async () => {
      const res = await request(t.app).post(`${BASE}/Bulk`).set('Content-Type', 'application/scim+json').send(JSON.stringify(bulk([])));
      expectScimError(res, 401);
    });
  });

  describe('the request as a whole', () => {
    it('answers an empty Operations list with an empty BulkResponse', async () => {
      expect(await send([])).toEqual([]);
    });

    it.each([
      ['no BulkRequest schema', { schemas: [PATCH_URN], Operations: [] }],
      ['no Operations', { schemas: [BULK_REQUEST_URN] }],
      ['Operations not an array', { schemas: [BULK_REQUEST_URN], Operations: 'all' }],
    ])('refuses %s with 400 invalidSyntax', async (_label, body) => {
      expectScimError(await t.post('/Bulk', body), 400, 'invalidSyntax');
    });

    it('answers other methods with 405 and Allow: POST', async () => {
      const res = await t.get('/Bulk');
      expectScimError(res, 405);
      expect(res.headers.allow).toBe('POST');
    });

    it('is served whatever the case of the path, like the other routes', async () => {
      expect((await t.post('/bulk', bulk([]))).status).toBe(200);
    });
  });

  describe('limits (RFC 7644 §3.7.4)', () => {
    let small: TestApp;
    beforeAll(async () => { small = await startTestApp({ bulkMaxOperations: 3, bulkMaxPayloadBytes: 4096 }); });
    afterAll(() => small.close());

    const countUsers = async (app: TestApp) => (await app.get('/Users?count=0')).body.totalResults as number;

    it('accepts maxOperations operations and refuses one more with 413 naming the limit, running none of them', async () => {
      const ops = (n: number) => Array.from({ length: n }, (_, i) => ({ method: 'POST', path: '/Users', bulkId: `u${i}`, data: userBody(`limit.${seq}.${i}`) }));
      seq++;
      const before = await countUsers(small);
      const error = expectScimError(await small.post('/Bulk', bulk(ops(4))), 413);
      expect(error.scimType).toBeUndefined();
      expect(error.detail).toMatch(/4 operations.*maxOperations of 3\b/);
      expect(await countUsers(small)).toBe(before);
      const ok = await small.post('/Bulk', bulk(ops(3)));
      expect(ok.status).toBe(200);
      expect(ok.body.Operations.map((r: Result) => r.status)).toEqual(['201', '201', '201']);
    });

    it('refuses a body larger than maxPayloadSize with 413 naming the limit, running nothing', async () => {
      const name = uniqueName('big');
      const body = bulk([{ method: 'POST', path: '/Users', bulkId: 'big', data: userBody(name, { title: 'x'.repeat(5000) }) }]);
      const error = expectScimError(await small.post('/Bulk', body), 413);
      expect(error.detail).toMatch(/maxPayloadSize of 4096 bytes/);
      expect((await small.get(`/Users?filter=${encodeURIComponent(`userName eq "${name}"`)}`)).body.totalResults).toBe(0);
    });

    it('counts the bytes as sent: whitespace counts, so a body just over the limit only by its indentation is refused', async () => {
      const body = bulk([{ method: 'DELETE', path: '/Users/x' }]);
      const compact = JSON.stringify(body);
      const padded = compact.replace('{', `{${' '.repeat(4097 - compact.length)}`);
      expect(Buffer.byteLength(padded)).toBe(4097);
      const res = await request(small.app).post(`${BASE}/Bulk`).set('Authorization', `Bearer ${small.token}`)
        .set('Content-Type', 'application/scim+json').send(padded);
      expectScimError(res, 413);
      const atLimit = compact.replace('{', `{${' '.repeat(4096 - compact.length)}`);
      const ok = await request(small.app).post(`${BASE}/Bulk`).set('Authorization', `Bearer ${small.token}`)
        .set('Content-Type', 'application/scim+json').send(atLimit);
      expect(ok.status).toBe(200);
    });

    it('measures a chunked body (no Content-Length) too', async () => {
      const server: Server = small.app.listen(0);
      try {
        const { port } = server.address() as AddressInfo;
        const post = (payload: string) => new Promise<{ status: number; body: any }>((resolve, reject) => {
          const req = httpRequest({
            host: '127.0.0.1', port, method: 'POST', path: `${BASE}/Bulk`,
            headers: { Authorization: `Bearer ${small.token}`, 'Content-Type': 'application/scim+json', 'Transfer-Encoding': 'chunked' },
          }, (res) => {
            let text = '';
            res.on('data', (chunk) => { text += chunk; });
            res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
          });
          req.on('error', reject);
          // two chunks, so no Content-Length is sent
          req.write(payload.slice(0, 10));
          req.end(payload.slice(10));
        });
        const big = await post(JSON.stringify(bulk([{ method: 'POST', path: '/Users', bulkId: 'c', data: userBody(uniqueName(), { title: 'y'.repeat(5000) }) }])));
        expect(big.status).toBe(413);
        expect(big.body.detail).toMatch(/maxPayloadSize of 4096 bytes/);
        const fine = await post(JSON.stringify(bulk([{ method: 'DELETE', path: '/Users/none' }])));
        expect(fine.status).toBe(200);
        expect(fine.body.Operations[0].status).toBe('404');
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it('leaves bodies beyond MAX_BODY_BYTES to the body parser\'s 413', async () => {
      const tiny = await startTestApp({ maxBodyBytes: 2048, bulkMaxPayloadBytes: 1048576 });
      try {
        const error = expectScimError(await tiny.post('/Bulk', bulk([{ method: 'POST', path: '/Users', bulkId: 'b', data: userBody('x', { title: 'z'.repeat(3000) }) }])), 413);
        expect(error.detail).toMatch(/2048 bytes/);
      } finally {
        await tiny.close();
      }
    });
  });
});
