import request from 'supertest';
import { RECORD_WAIT_MS } from '../../src/http/errors';
import type { RequestFailure } from '../../src/store/port';
import { operatorToken, tenantWithToken } from '../support/tenants';
import { ADMIN_USERS, BASE, expectScimError, patchBody, startTestApp, userBody, type TestApp } from '../support/test-app';
import { ADMIN, actorOf, adminClient, adminOf } from './events/event-support';

const BULK_REQUEST_URN = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const PASSWORD = 'Correct-Horse-Battery-7';

/**
 * GET …/failures: a tenant's failed requests (docs/events.md, Failed requests), recorded by the
 * error renderer for every request that entered the tenant, and by /Bulk for each failed
 * operation; read newest first by the tenant's administrators.
 */
describe('the failed-request log', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const admin = () => adminClient(t);
  /** The failures recorded since `after` (an id), oldest first. */
  const since = async (after: number): Promise<RequestFailure[]> => {
    const res = await admin().get('/failures?limit=200');
    expect(res.status).toBe(200);
    return (res.body.failures as RequestFailure[]).filter((f) => f.id > after).reverse();
  };
  const newest = async (): Promise<number> => ((await admin().get('/failures?limit=1')).body.failures[0]?.id as number | undefined) ?? 0;

  it('records a refused filter with its status, scimType, detail, method, path, request id and actor', async () => {
    const from = await newest();
    const res = await t.get('/Users?filter=userName%20zz%20%22x%22');
    const error = expectScimError(res, 400, 'invalidFilter');
    const [failure] = await since(from);
    expect(failure).toEqual({
      id: from + 1,
      occurredAt: expect.any(String),
      requestId: res.headers['x-request-id'],
      actor: await actorOf(t, t.token),
      method: 'GET',
      path: `${BASE}/Users?filter=userName%20zz%20%22x%22`,
      status: 400,
      scimType: 'invalidFilter',
      detail: error.detail,
      resource: { type: 'User' },
    });
  });

  it('records a 409 on POST /Users with the userName the body gave, and never anything else of the body', async () => {
    expect((await t.post('/Users', userBody('taken.name'))).status).toBe(201);
    const from = await newest();
    const error = expectScimError(await t.post('/Users', userBody('Taken.Name', { password: PASSWORD, title: 'Secret title' })), 409, 'uniqueness');
    const [failure] = await since(from);
    expect(failure).toMatchObject({ method: 'POST', path: `${BASE}/Users`, status: 409, scimType: 'uniqueness', detail: error.detail, resource: { type: 'User', userName: 'Taken.Name' } });
    const log = JSON.stringify((await admin().get('/failures')).body);
    expect(log).not.toContain(PASSWORD);
    expect(log).not.toContain('Secret title');
  });

  it('records each failed operation of a /Bulk request (the request itself succeeded), with its bulkId, and the resource it was about', async () => {
    const existing = (await t.post('/Users', userBody('bulk.existing'))).body;
    const from = await newest();
    const res = await t.post('/Bulk', {
      schemas: [BULK_REQUEST_URN],
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'ok', data: userBody('bulk.new') },
        { method: 'POST', path: '/Users', bulkId: 'dup', data: userBody('bulk.existing', { password: PASSWORD }) },
        { method: 'PATCH', path: `/Users/${existing.id}`, data: patchBody({ op: 'replace', path: 'userName', value: 42 }) },
        { method: 'PATCH', path: '/Nowhere/1', data: patchBody() },
      ],
    });
    expect(res.status).toBe(200);
    const results = res.body.Operations as { status: string; response?: { detail: string; scimType?: string } }[];
    expect(results.map((r) => r.status)).toEqual(['201', '409', '400', '400']);
    const failures = await since(from);
    expect(failures).toEqual([
      expect.objectContaining({ method: 'POST', path: '/Users', bulkId: 'dup', status: 409, scimType: 'uniqueness', detail: results[1].response!.detail, resource: { type: 'User', userName: 'bulk.existing' } }),
      expect.objectContaining({ method: 'PATCH', path: `/Users/${existing.id}`, status: 400, detail: results[2].response!.detail, resource: { type: 'User', id: existing.id } }),
      expect.objectContaining({ method: 'PATCH', path: '/Nowhere/1', status: 400, scimType: 'invalidPath', detail: results[3].response!.detail }),
    ]);
    expect(failures[2]).not.toHaveProperty('resource');
    expect(failures.map((f) => f.requestId)).toEqual([res.headers['x-request-id'], res.headers['x-request-id'], res.headers['x-request-id']]);
    expect(JSON.stringify(failures)).not.toContain(PASSWORD);
  });

  it('does not record a GET or HEAD 404 (an IdP looking a user up), but records a DELETE 404', async () => {
    const from = await newest();
    expectScimError(await t.get('/Users/00000000-0000-4000-8000-000000000000'), 404);
    expect((await request(t.app).head(`${BASE}/Users/00000000-0000-4000-8000-000000000000`).set('Authorization', `Bearer ${t.token}`)).status).toBe(404);
    expect(await since(from)).toEqual([]);
    expectScimError(await t.delete('/Users/00000000-0000-4000-8000-000000000000'), 404);
    expect(await since(from)).toEqual([expect.objectContaining({ method: 'DELETE', status: 404, resource: { type: 'User', id: '00000000-0000-4000-8000-000000000000' } })]);
  });

  it('does not record what did not enter the tenant: no token, or a token that is not valid', async () => {
    const from = await newest();
    expectScimError(await request(t.app).post(`${BASE}/Users`).send(userBody('x')), 401);
    expectScimError(await request(t.app).get(`${BASE}/Users?filter=bad`).set('Authorization', 'Bearer not-a-token'), 401);
    expect(await since(from)).toEqual([]);
  });

  it('records the failures of the tenant\'s admin routes too', async () => {
    const from = await newest();
    expectScimError(await admin().get('/events?after=x'), 400, 'invalidValue');
    expectScimError(await request(t.app).post(`${ADMIN_USERS}/restore`).set('Authorization', `Bearer ${t.token}`).send({ userName: 'nobody.deleted' }), 404);
    expect((await since(from)).map((f) => [f.method, f.path.replace(ADMIN, '…'), f.status])).toEqual([
      ['GET', '…/events?after=x', 400],
      ['POST', `${ADMIN_USERS.replace(ADMIN, '…')}/restore`, 404],
    ]);
  });

  it('pages newest first with before and limit, filters by status, and refuses a parameter it does not know', async () => {
    for (let i = 0; i < 3; i++) expectScimError(await t.post('/Users', { schemas: ['nope'] }), 400);
    const all = (await admin().get('/failures?limit=200')).body.failures as RequestFailure[];
    const ids = all.map((f) => f.id);
    expect(ids).toEqual([...ids].sort((x, y) => y - x));
    const first = await admin().get('/failures?limit=2');
    expect(first.body.failures.map((f: RequestFailure) => f.id)).toEqual(ids.slice(0, 2));
    expect(first.body.next).toBe(ids[1]);
    const second = await admin().get(`/failures?limit=2&before=${first.body.next}`);
    expect(second.body.failures.map((f: RequestFailure) => f.id)).toEqual(ids.slice(2, 4));
    const conflicts = (await admin().get('/failures?status=409')).body.failures as RequestFailure[];
    expect(conflicts.length).toBeGreaterThan(0);
    expect(conflicts.every((f) => f.status === 409)).toBe(true);
    expect((await admin().get('/failures?limit=5000')).body.failures.length).toBeLessThanOrEqual(200);
    expect(expectScimError(await admin().get('/failures?state=failed'), 400, 'invalidValue').detail).toMatch(/before, limit, status; not state/);
    expectScimError(await admin().get('/failures?limit=0'), 400, 'invalidValue');
    expectScimError(await admin().get('/failures?status=200'), 400, 'invalidValue');
    expectScimError(await admin().get('/failures?status=600'), 400, 'invalidValue');
    expectScimError(await admin().post('/failures', {}), 405);
  });

  describe('when the log cannot be written', () => {
    /** Every request's port, with its failure log's record replaced. */
    const recordingWith = (record: () => Promise<void>) => {
      const open = t.store.tenant.bind(t.store);
      return jest.spyOn(t.store, 'tenant').mockImplementation((id, j) => {
        const port = open(id, j);
        return { ...port, failures: { record, read: (query) => port.failures.read(query) } };
      });
    };

    it('answers exactly as it would have when recording fails', async () => {
      const expected = await t.post('/Users', { schemas: ['nope'] });
      const spy = recordingWith(async () => { throw new Error('disk on fire'); });
      try {
        const res = await t.post('/Users', { schemas: ['nope'] });
        expect([res.status, res.body]).toEqual([expected.status, expected.body]);
      } finally {
        spy.mockRestore();
      }
    });

    it('does not hold the answer longer than RECORD_WAIT_MS when the store does not answer', async () => {
      const spy = recordingWith(() => new Promise<void>(() => undefined));
      try {
        const started = Date.now();
        expectScimError(await t.post('/Users', { schemas: ['nope'] }), 400);
        expect(Date.now() - started).toBeLessThan(RECORD_WAIT_MS + 1000);
      } finally {
        spy.mockRestore();
      }
    });
  });

  describe('who may read', () => {
    let operator: string;
    let elsewhere: { id: string; token: string };

    beforeAll(async () => {
      operator = await operatorToken(t);
      const id = `failures-${Date.now().toString(36)}`;
      elsewhere = { id, token: await tenantWithToken(t, operator, id) };
    });

    it('a user-bound token is refused with 403', async () => {
      const user = (await t.post('/Users', userBody('has.a.token'))).body;
      const res = await request(t.app).post(`${ADMIN_USERS}/${user.id}/tokens`).set('Authorization', `Bearer ${t.token}`).send({ name: 'mine' });
      expect(expectScimError(await adminClient(t, res.body.token as string).get('/failures'), 403).detail).toMatch(/user-bound token/);
    });

    it('each tenant sees its own failures only; an operator reads any tenant\'s', async () => {
      const theirs = adminClient(t, elsewhere.token, adminOf(elsewhere.id));
      expectScimError(await request(t.app).post(`/scim/v2/tenants/${elsewhere.id}/Users`).set('Authorization', `Bearer ${elsewhere.token}`)
        .set('Content-Type', 'application/scim+json').send(JSON.stringify({ schemas: ['elsewhere'] })), 400);
      const recorded = (await theirs.get('/failures')).body.failures as RequestFailure[];
      expect(recorded.map((f) => [f.id, f.path])).toEqual([[1, `/scim/v2/tenants/${elsewhere.id}/Users`]]);
      const mine = (await admin().get('/failures?limit=200')).body.failures as RequestFailure[];
      expect(mine.some((f) => f.path.includes(elsewhere.id))).toBe(false);
      expect((await adminClient(t, operator, adminOf(elsewhere.id)).get('/failures')).body.failures).toEqual(recorded);
      // A tenant's token cannot read another's log (and its refusal, outside that tenant, is recorded nowhere).
      expectScimError(await adminClient(t, t.token, adminOf(elsewhere.id)).get('/failures'), 401);
      expect((await theirs.get('/failures')).body.failures).toEqual(recorded);
    });
  });
});
