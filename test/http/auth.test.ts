import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { syncBootstrap } from '../../src/app/authenticate';
import { Tokens, hashToken } from '../../src/app/tokens';
import { BASE, expectScimError, startTestApp, userBody, type TestApp } from '../support/test-app';
import { journal } from '../support/journal';
import { assemble } from '../../src/main';
import { createLogger } from '../../src/logger';
import { loadSchemaRegistry } from '../../src/scim/schema/registry';

const DAY = 86_400_000;

describe('bearer authentication', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => t.close());

  /** The running server; a restart (syncBootstrap below) replaces it, as a new process would. */
  let app: TestApp['app'];
  beforeAll(() => { app = t.app; });
  const get = (path: string, authorization?: string) => {
    const test = request(app).get(BASE + path);
    return authorization === undefined ? test : test.set('Authorization', authorization);
  };

  const expectUnauthorized = (res: request.Response) => {
    const error = expectScimError(res, 401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="[^"]+"/);
    return error;
  };

  describe('refuses with 401, WWW-Authenticate: Bearer and a SCIM error body', () => {
    it('a request without an Authorization header', async () => {
      const error = expectUnauthorized(await get('/Users'));
      expect(error.detail).toMatch(/Authorization: Bearer/);
    });

    it.each([
      ['another scheme', () => `Basic ${Buffer.from('admin:admin').toString('base64')}`],
      ['the scheme alone', () => 'Bearer'],
      ['the scheme and an empty token', () => 'Bearer '],
      ['a token with spaces in it', () => `Bearer ${t.token} extra`],
      ['the token without the scheme', () => t.token],
    ])('a malformed Authorization header: %s', async (_label, header) => {
      expectUnauthorized(await get('/Users', header()));
    });

    it('an unknown token, naming it invalid (RFC 6750 error="invalid_token")', async () => {
      const res = await get('/Users', 'Bearer roster_this-token-was-never-issued');
      expect(expectUnauthorized(res).detail).toMatch(/not valid/);
      expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    });

    it('a revoked token, at once after the revocation (made through this server; another instance\'s takes up to a second, see test/app/credential-cache.test.ts)', async () => {
      const { tokens } = await t.application.enter({ kind: 'operator', tokenId: 'test', tokenName: 'test' }, t.tenantId, 'test');
      const { token, secret } = await tokens.create('to-revoke');
      expect((await get('/Users', `Bearer ${secret}`)).status).toBe(200);
      await tokens.revoke(token.id);
      const res = await get('/Users', `Bearer ${secret}`);
      expect(expectUnauthorized(res).detail).toMatch(/revoked/);
      expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    });

    it('an expired token', async () => {
      const twoDaysAgo = () => new Date(Date.now() - 2 * DAY);
      const { secret } = await new Tokens(t.data.tokens, twoDaysAgo).create('expired', DAY);
      const res = await get('/Users', `Bearer ${secret}`);
      expect(expectUnauthorized(res).detail).toMatch(/expired/);
    });

    it('a token sent in the query string (only the Authorization header is read)', async () => {
      expectUnauthorized(await get(`/Users?access_token=${encodeURIComponent(t.token)}`));
    });

    it('a token sent in the body (only the Authorization header is read)', async () => {
      const res = await request(app).post(`${BASE}/Users`).set('Content-Type', 'application/scim+json')
        .send(JSON.stringify({ ...userBody('body.token'), access_token: t.token }));
      expectUnauthorized(res);
    });

    it('and never echoes the token it was sent', async () => {
      const res = await get('/Users', 'Bearer roster_not-a-real-secret-1234567890');
      expect(JSON.stringify(res.headers)).not.toContain('roster_not-a-real-secret');
      expect(res.text).not.toContain('roster_not-a-real-secret');
    });
  });

  it('accepts a valid token, with the scheme in any case', async () => {
    expect((await get('/Users', `Bearer ${t.token}`)).status).toBe(200);
    expect((await get('/Users', `bearer ${t.token}`)).status).toBe(200);
  });

  it('accepts a valid token beside a body that happens to have an access_token attribute', async () => {
    const res = await t.post('/Users', userBody('has.access.token', { 'urn:example:x:1.0:User': { access_token: 'not-a-token' } }));
    expect(res.status).toBe(201);
  });

  it('accepts a token that has not expired yet', async () => {
    const { secret } = await new Tokens(t.data.tokens).create('fresh', DAY);
    expect((await get('/Users', `Bearer ${secret}`)).status).toBe(200);
  });

  it.each([
    ['GET', '/Users'],
    ['GET', '/Users/some-id'],
    ['POST', '/Users'],
    ['PUT', '/Users/some-id'],
    ['PATCH', '/Users/some-id'],
    ['DELETE', '/Users/some-id'],
    ['POST', '/Users/.search'],
    ['GET', '/Groups'],
    ['POST', '/Groups'],
    ['POST', '/.search'],
    ['GET', '/ServiceProviderConfig'],
    ['GET', '/ResourceTypes'],
    ['GET', '/ResourceTypes/User'],
    ['GET', '/Schemas'],
    ['GET', '/Bulk'],
    ['GET', '/NoSuchEndpoint'],
  ])('requires a token for %s %s', async (method, path) => {
    const res = await request(app)[method.toLowerCase() as 'get'](BASE + path);
    expectUnauthorized(res);
  });

  it('does not require a token for /healthz', async () => {
    const res = await request(app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('does not create anything for an unauthenticated write', async () => {
    await request(app).post(`${BASE}/Users`).set('Content-Type', 'application/scim+json').send(JSON.stringify(userBody('sneaky')));
    const found = await t.get(`/Users?filter=${encodeURIComponent('userName eq "sneaky"')}`);
    expect(found.body.totalResults).toBe(0);
  });

  it('records when a token was last used', async () => {
    const tokens = new Tokens(t.data.tokens);
    const { token, secret } = await tokens.create('usage');
    expect(token.lastUsed).toBeUndefined();
    const before = Date.now();
    await get('/Users', `Bearer ${secret}`);
    const used = (await tokens.list()).find((x) => x.id === token.id)!;
    expect(Date.parse(used.lastUsed!)).toBeGreaterThanOrEqual(before - 1000);
  });

  describe('SCIM_BOOTSTRAP_TOKEN (syncBootstrap at every start)', () => {
    const A = 'bootstrap-secret-0123456789-abcdefghijklmnop';
    const B = 'bootstrap-secret-9876543210-zyxwvutsrqponmlk';
    /** A start: the bootstrap token synced, then a new server (with nothing remembered of the last one's tokens). */
    const sync = async (secret: string | undefined) => {
      await syncBootstrap(t.store, secret);
      app = assemble({ config: t.config, store: t.store, registry: loadSchemaRegistry(), logger: createLogger('silent') }).app;
    };
    afterEach(() => sync(undefined));

    it('is accepted once synced, and only its hash is stored', async () => {
      await sync(A);
      const [record] = await t.store.credentials.listBootstrap();
      expect(record).toMatchObject({ name: 'bootstrap', hash: hashToken(A), bootstrap: true });
      expect((await get('/Users', `Bearer ${A}`)).status).toBe(200);

      const stored = await t.store.operators.list();
      expect(JSON.stringify(stored)).not.toContain(A);
      // Nor anywhere in the database files (the main file and its WAL).
      for (const file of readdirSync(t.dir)) {
        expect(readFileSync(join(t.dir, file)).includes(A)).toBe(false);
      }
    });

    it('is registered once however often the server starts', async () => {
      await sync(A);
      await sync(A);
      expect((await t.store.operators.list()).filter((x) => x.hash === hashToken(A))).toHaveLength(1);
    });

    it('is refused (401) after a start without the variable', async () => {
      await sync(A);
      expect((await get('/Users', `Bearer ${A}`)).status).toBe(200);
      await sync(undefined);
      expectUnauthorized(await get('/Users', `Bearer ${A}`));
      expect((await get('/Users', `Bearer ${t.token}`)).status).toBe(200);
    });

    it('is replaced by a start with another secret: the old one 401, the new one accepted', async () => {
      await sync(A);
      await sync(B);
      expectUnauthorized(await get('/Users', `Bearer ${A}`));
      expect((await get('/Users', `Bearer ${B}`)).status).toBe(200);
    });

    describe('is an operator token', () => {
      const as = (test: request.Test) => test.set('Authorization', `Bearer ${A}`);
      beforeEach(async () => {
        await sync(A);
        if (!(await t.store.tenants.get('bootstrap-elsewhere'))) await t.store.tenants.create({ id: 'bootstrap-elsewhere', name: 'Elsewhere', settings: {} }, journal);
      });

      it.each([
        ['the base path (the built-in tenant)', '/scim/v2'],
        ['an existing tenant\'s URL', '/scim/v2/tenants/bootstrap-elsewhere'],
      ])('provisions at %s', async (_label, base) => {
        expect((await as(request(app).get(`${base}/Users`))).status).toBe(200);
        const created = await as(request(app).post(`${base}/Users`)).set('Content-Type', 'application/scim+json')
          .send(JSON.stringify(userBody(`by.bootstrap.${base.length}`)));
        expect(created.status).toBe(201);
      });

      it('answers 404 (not 401) at the URL of a tenant that does not exist: an operator may know', async () => {
        expectScimError(await as(request(app).get('/scim/v2/tenants/no-such-tenant/Users')), 404);
      });

      it('manages tenants: creates, reads and deletes one through /admin/tenants', async () => {
        const created = await as(request(app).post('/admin/tenants')).send({ id: 'made-by-bootstrap', name: 'Made' });
        expect(created.status).toBe(201);
        expect((await as(request(app).get('/admin/tenants/made-by-bootstrap'))).body).toMatchObject({ id: 'made-by-bootstrap', name: 'Made' });
        expect((await as(request(app).get('/admin/tenants'))).body.tenants.map((x: { id: string }) => x.id)).toContain('made-by-bootstrap');
        expect((await as(request(app).delete('/admin/tenants/made-by-bootstrap'))).status).toBe(204);
      });

      it('while a tenant\'s service token may not manage tenants (403)', async () => {
        const refused = await request(app).post('/admin/tenants').set('Authorization', `Bearer ${t.token}`).send({ id: 'made-by-service' });
        expectScimError(refused, 403);
        expect(await t.store.tenants.get('made-by-service')).toBeUndefined();
      });
    });
  });
});
