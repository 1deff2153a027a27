import request from 'supertest';
import { expectScimError } from '../../support/test-app';
import { accessToken, basic, createClient, startOAuthApp, tokenRequest, type OAuthApp } from './oauth-app';

/**
 * The admin API of OAuth clients: /admin/clients (the built-in tenant) and
 * /admin/tenants/{id}/clients, tenant-scoped like webhooks; and what an access token may not do.
 */
describe('/admin/clients', () => {
  let o: OAuthApp;
  beforeEach(async () => { o = await startOAuthApp(); });
  afterEach(() => o.close());

  const as = (token: string) => ({
    get: (path: string) => request(o.app).get(path).set('Authorization', `Bearer ${token}`),
    post: (path: string, body?: object) => {
      const test = request(o.app).post(path).set('Authorization', `Bearer ${token}`);
      return body === undefined ? test : test.send(body);
    },
    delete: (path: string) => request(o.app).delete(path).set('Authorization', `Bearer ${token}`),
    patch: (path: string, body: object) => request(o.app).patch(path).set('Authorization', `Bearer ${token}`).send(body),
  });

  it('POST creates a client: 201, Location, the secret shown once, and the two URLs the identity provider asks for', async () => {
    const res = await as(o.service.default).post('/admin/clients', { name: 'entra', secretExpiresInDays: 730 });
    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      clientId: expect.any(String), name: 'entra', created: expect.any(String),
      clientSecret: expect.stringMatching(/^roster_cs_/),
      secret: { id: expect.any(String), created: res.body.created, expires: expect.any(String), revoked: null, lastUsed: null, state: 'active' },
      tokenUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/token$/),
      scimUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/),
    });
    expect(res.headers.location).toMatch(new RegExp(`/admin/clients/${res.body.clientId}$`));
    expect(Date.parse(res.body.secret.expires) - Date.parse(res.body.created)).toBe(730 * 86_400_000);
  });

  it('GET lists clients with their secrets and never a secret; GET /{id} shows one', async () => {
    const entra = await createClient(o.app, o.service.default);
    const list = await as(o.service.default).get('/admin/clients');
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ clients: [{ clientId: entra.clientId, name: 'entra', created: expect.any(String), secrets: [expect.objectContaining({ id: entra.secret.id, state: 'active' })] }] });
    expect(JSON.stringify(list.body)).not.toContain(entra.clientSecret);
    const one = await as(o.service.default).get(`/admin/clients/${entra.clientId}`);
    expect(one.body).toEqual(list.body.clients[0]);
  });

  it('POST /{id}/secrets adds a secret (with or without a body), shown once; the list then shows both', async () => {
    const entra = await createClient(o.app, o.service.default);
    const added = await as(o.service.default).post(`/admin/clients/${entra.clientId}/secrets`, { expiresInDays: 30 });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ clientId: entra.clientId, clientSecret: expect.stringMatching(/^roster_cs_/), secret: { state: 'active' } });
    expect((await as(o.service.default).post(`/admin/clients/${entra.clientId}/secrets`)).status).toBe(201);
    expect((await as(o.service.default).get(`/admin/clients/${entra.clientId}`)).body.secrets).toHaveLength(3);
  });

  it('DELETE /{id}/secrets/{secretId} revokes a secret (204): it no longer gets tokens', async () => {
    const entra = await createClient(o.app, o.service.default);
    expect((await as(o.service.default).delete(`/admin/clients/${entra.clientId}/secrets/${entra.secret.id}`)).status).toBe(204);
    expect((await as(o.service.default).get(`/admin/clients/${entra.clientId}`)).body.secrets[0]).toMatchObject({ state: 'revoked', revoked: expect.any(String) });
    expect((await tokenRequest(o.app, { grant_type: 'client_credentials' }, basic(entra.clientId, entra.clientSecret))).status).toBe(401);
  });

  it('DELETE /{id} deletes the client (204): its tokens stop at once, and it is 404 after', async () => {
    const entra = await createClient(o.app, o.service.default);
    const token = await accessToken(o.app, entra.clientId, entra.clientSecret);
    expect((await as(o.service.default).delete(`/admin/clients/${entra.clientId}`)).status).toBe(204);
    expect((await as(token).get('/scim/v2/Users')).status).toBe(401);
    expectScimError(await as(o.service.default).get(`/admin/clients/${entra.clientId}`), 404);
    expectScimError(await as(o.service.default).delete(`/admin/clients/${entra.clientId}`), 404);
  });

  describe('refuses, as SCIM errors like the other admin routes', () => {
    it.each<[string, object | undefined, RegExp]>([
      ['no body', undefined, /Name the client/],
      ['no name', {}, /Name the client/],
      ['an unknown field', { name: 'entra', scopes: ['scim'] }, /not scopes/],
      ['a lifetime over three years', { name: 'entra', secretExpiresInDays: 1096 }, /1 to 1095/],
      ['a lifetime as a string', { name: 'entra', secretExpiresInDays: '30' }, /whole number of days/],
    ])('a client with %s: 400', async (_case, body, detail) => {
      const res = await as(o.service.default).post('/admin/clients', body);
      expect(expectScimError(res, 400).detail).toMatch(detail);
    });

    it('a 21st client, and a 6th active secret', async () => {
      for (let i = 0; i < 20; i++) await createClient(o.app, o.service.default, '/admin', { name: `c${i}` });
      expect(expectScimError(await as(o.service.default).post('/admin/clients', { name: 'c20' }), 400, 'invalidValue').detail).toMatch(/at most 20/);
      const [first] = (await as(o.service.default).get('/admin/clients')).body.clients;
      for (let i = 0; i < 4; i++) expect((await as(o.service.default).post(`/admin/clients/${first.clientId}/secrets`, {})).status).toBe(201);
      expect(expectScimError(await as(o.service.default).post(`/admin/clients/${first.clientId}/secrets`, {}), 400, 'invalidValue').detail).toMatch(/at most 5 active secrets/);
    });

    it('unknown clients and secrets: 404', async () => {
      const entra = await createClient(o.app, o.service.default);
      expectScimError(await as(o.service.default).get('/admin/clients/nope'), 404);
      expectScimError(await as(o.service.default).post('/admin/clients/nope/secrets', {}), 404);
      expectScimError(await as(o.service.default).delete(`/admin/clients/${entra.clientId}/secrets/nope`), 404);
    });

    it('a wrong method: 405 with Allow', async () => {
      const entra = await createClient(o.app, o.service.default);
      const patch = await as(o.service.default).patch(`/admin/clients/${entra.clientId}`, { name: 'x' });
      expectScimError(patch, 405);
      expect(patch.headers.allow).toBe('GET, DELETE');
      const list = await as(o.service.default).get(`/admin/clients/${entra.clientId}/secrets`);
      expectScimError(list, 405);
      expect(list.headers.allow).toBe('POST');
    });
  });

  describe('per tenant', () => {
    it('an operator manages acme\'s clients at /admin/tenants/acme/clients; acme\'s service token too; the scimUrl is acme\'s', async () => {
      const byOperator = await createClient(o.app, o.operator, '/admin/tenants/acme');
      expect(byOperator.scimUrl).toMatch(/\/scim\/v2\/tenants\/acme$/);
      const list = await as(o.service.acme).get('/admin/tenants/acme/clients');
      expect(list.body.clients.map((c: { clientId: string }) => c.clientId)).toEqual([byOperator.clientId]);
    });

    it('another tenant\'s clients are 404 here, and another tenant\'s service token is 401 there', async () => {
      const acme = await createClient(o.app, o.operator, '/admin/tenants/acme');
      expectScimError(await as(o.service.default).get(`/admin/clients/${acme.clientId}`), 404);
      expect((await as(o.service.default).get('/admin/clients')).body.clients).toEqual([]);
      expectScimError(await as(o.service.default).get('/admin/tenants/acme/clients'), 401);
    });
  });

  describe('an OAuth access token provisions and administers nothing', () => {
    let token: string;
    beforeEach(async () => {
      const entra = await createClient(o.app, o.service.default);
      token = await accessToken(o.app, entra.clientId, entra.clientSecret);
    });

    it('provisions: SCIM reads and writes are 200/201', async () => {
      expect((await as(token).get('/scim/v2/Users')).status).toBe(200);
      const created = await as(token).post('/scim/v2/Users', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'bjensen',
        name: { givenName: 'Barbara', familyName: 'Jensen' }, emails: [{ value: 'bjensen@example.com', primary: true }],
      }).set('Content-Type', 'application/scim+json');
      expect(created.status).toBe(201);
    });

    it.each<[string, (t: ReturnType<typeof as>) => request.Test, RegExp]>([
      ['list clients', (t) => t.get('/admin/clients'), /manage OAuth clients/],
      ['create a client', (t) => t.post('/admin/clients', { name: 'mine' }), /manage OAuth clients/],
      ['read events', (t) => t.get('/admin/events'), /read the tenant's events/],
      ['list webhooks', (t) => t.get('/admin/webhooks'), /manage webhooks/],
      ['create a webhook', (t) => t.post('/admin/webhooks', { url: 'https://example.com/hook', events: ['*'] }), /manage webhooks/],
      ['manage tenants', (t) => t.get('/admin/tenants'), /Only an operator token manages tenants/],
    ])('may not %s: 403', async (_what, send, detail) => {
      const error = expectScimError(await send(as(token)), 403);
      expect(error.detail).toMatch(detail);
    });

    it('may not mint user tokens (they would outlive it): 403', async () => {
      const user = await as(o.service.default).post('/scim/v2/Users', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'jane',
        name: { givenName: 'Jane', familyName: 'Doe' }, emails: [{ value: 'jane@example.com', primary: true }],
      }).set('Content-Type', 'application/scim+json');
      const res = await as(token).post(`/admin/users/${user.body.id}/tokens`, { name: 'laptop' });
      expect(expectScimError(res, 403).detail).toMatch(/manage tokens/);
    });

    it('acts as its client: the events it causes name the client (id and name), whichever access token it held', async () => {
      const [client] = (await as(o.service.default).get('/admin/clients')).body.clients;
      const later = await accessToken(o.app, client.clientId, (await as(o.service.default).post(`/admin/clients/${client.clientId}/secrets`, {})).body.clientSecret);
      for (const [bearer, userName] of [[token, 'first'], [later, 'second']]) {
        const res = await as(bearer).post('/scim/v2/Users', {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName,
          name: { givenName: 'G', familyName: 'F' }, emails: [{ value: `${userName}@example.com`, primary: true }],
        }).set('Content-Type', 'application/scim+json');
        expect(res.status).toBe(201);
      }
      const feed = await as(o.service.default).get(`/admin/events?type=user.created&actor=${client.clientId}`);
      expect(feed.body.events.map((e: { actor: object }) => e.actor)).toEqual([
        { kind: 'service', tokenId: client.clientId, tokenName: 'entra' },
        { kind: 'service', tokenId: client.clientId, tokenName: 'entra' },
      ]);
    });

    it('a user-bound token may not manage clients either (403)', async () => {
      const user = await as(o.service.default).post('/scim/v2/Users', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'sam',
        name: { givenName: 'Sam', familyName: 'Doe' }, emails: [{ value: 'sam@example.com', primary: true }],
      }).set('Content-Type', 'application/scim+json');
      const issued = await as(o.service.default).post(`/admin/users/${user.body.id}/tokens`, { name: 'laptop' });
      expect(issued.status).toBe(201);
      expect(expectScimError(await as(issued.body.token).get('/admin/clients'), 403).detail).toMatch(/user-bound token may not/);
    });
  });
});
