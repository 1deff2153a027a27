import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app';
import { operatorToken, tenantWithToken } from '../support/tenants';

/** README "Console": GET /admin/whoami says what a token is, so the console knows where it may go. */
describe('GET /admin/whoami', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.close());

  const whoami = (token?: string) => {
    const test = request(t.app).get('/admin/whoami');
    return token === undefined ? test : test.set('Authorization', `Bearer ${token}`);
  };

  it('names an operator token, with no tenant, and the SCIM base path', async () => {
    const operator = await operatorToken(t);
    const response = await whoami(operator);
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toEqual({ kind: 'operator', tokenId: expect.any(String), tokenName: 'operator', scimBasePath: '/scim/v2' });
  });

  it('names a service token\'s tenant', async () => {
    const service = await tenantWithToken(t, await operatorToken(t), 'acme');
    expect((await whoami(service)).body).toEqual({ kind: 'service', tokenId: expect.any(String), tokenName: 'idp', tenantId: 'acme', scimBasePath: '/scim/v2' });
  });

  it('names a user-bound token\'s user', async () => {
    const user = await t.post('/Users', { userName: 'ada', name: { givenName: 'Ada', familyName: 'L' }, emails: [{ value: 'ada@example.com' }], active: true });
    expect(user.status).toBe(201);
    const minted = await request(t.app).post(`/admin/users/${user.body.id}/tokens`).set('Authorization', `Bearer ${t.token}`).send({ name: 'ada-laptop' });
    expect(minted.status).toBe(201);
    expect((await whoami(minted.body.token)).body).toEqual({ kind: 'user', tokenId: minted.body.id, tokenName: 'ada-laptop', tenantId: t.tenantId, userId: user.body.id, scimBasePath: '/scim/v2' });
  });

  it('refuses a request without a token, or with a wrong one, with 401', async () => {
    expect((await whoami()).status).toBe(401);
    expect((await whoami('nope')).status).toBe(401);
  });

  it('answers only GET', async () => {
    const response = await request(t.app).post('/admin/whoami').set('Authorization', `Bearer ${t.token}`);
    expect(response.status).toBe(405);
  });
});
