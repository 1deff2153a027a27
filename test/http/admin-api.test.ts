import request from 'supertest';
import { ADMIN_USERS, BASE, ERROR_URN, USER_URN, expectScimError, startTestApp, userBody, type TestApp } from '../support/test-app';
import { journal } from '../support/journal';

const ACCOUNT_URN = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Account';
const DAY = 86_400_000;

/**
 * The admin API outside the SCIM base path (issue 3, 000, 001): restore of soft-deleted users
 * and per-user API tokens. Reads need any valid token; writes the rights of SCIM writes.
 */
describe('admin API', () => {
  let t: TestApp;
  let seq = 0;
  const uniqueName = (stem = 'admin') => `${stem}.${++seq}`;

  type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** A request to the test tenant's /admin/…/users…, as the service token unless another token is given. */
  const admin = (method: Method, path: string, body?: unknown, token: string | null = t.token) => {
    let test = request(t.app)[method](ADMIN_USERS + path);
    if (token !== null) test = test.set('Authorization', `Bearer ${token}`);
    return body === undefined ? test : test.set('Content-Type', 'application/json').send(JSON.stringify(body));
  };
  const createUser = async (extra: object = {}, name = uniqueName()) => {
    const res = await t.post('/Users', userBody(name, extra));
    expect(res.status).toBe(201);
    return res.body as Record<string, any> & { id: string; userName: string };
  };
  const createSuperAdmin = () => createUser({ [ACCOUNT_URN]: { accountType: 'SuperAdmin' } }, uniqueName('super'));
  const createToken = async (userId: string, body: object = { name: 'api' }, token = t.token) => {
    const res = await admin('post', `/${userId}/tokens`, body, token);
    expect(res.status).toBe(201);
    return res.body as { id: string; name: string; userId: string; created: string; expires: string | null; token: string };
  };
  const isDeleted = async (id: string) => (await t.get(`/Users/${id}`)).status === 404;
  /** Whether a bearer secret is accepted on a plain SCIM read. */
  const works = async (secret: string) => (await request(t.app).get(`${BASE}/Users?count=0`).set('Authorization', `Bearer ${secret}`)).status === 200;

  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => t.close());

  describe('restore: POST|PUT /admin/users/restore', () => {
    it('restores by userName, without regard to case: 200 with the SCIM user', async () => {
      const user = await createUser({ displayName: 'Mixed Case' }, uniqueName('MiXeD'));
      expect((await t.delete(`/Users/${user.id}`)).status).toBe(204);

      const res = await admin('post', '/restore', { userName: user.userName.toUpperCase() });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(res.body.schemas).toContain(USER_URN);
      expect(res.body.id).toBe(user.id);
      expect(res.body.userName).toBe(user.userName);
      expect(res.body.displayName).toBe('Mixed Case');
      expect(res.body.meta.resourceType).toBe('User');
      expect(res.body.meta.location).toMatch(new RegExp(`${BASE}/Users/${user.id}$`));
      expect(await isDeleted(user.id)).toBe(false);
    });

    it('restores by id', async () => {
      const user = await createUser();
      await t.delete(`/Users/${user.id}`);
      const res = await admin('post', '/restore', { id: user.id });
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(user.id);
      expect(await isDeleted(user.id)).toBe(false);
    });

    it('accepts PUT as well as POST (001\'s PUT /users/restore)', async () => {
      const user = await createUser();
      await t.delete(`/Users/${user.id}`);
      const res = await admin('put', '/restore', { userName: user.userName });
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(user.id);
      expect(await isDeleted(user.id)).toBe(false);
    });

    it('answers a restored user\'s new version in meta.version', async () => {
      const user = await createUser();
      await t.delete(`/Users/${user.id}`);
      const res = await admin('post', '/restore', { id: user.id });
      expect(res.body.meta.version).not.toBe(user.meta.version);
      expect((await t.get(`/Users/${user.id}`)).body.meta.version).toBe(res.body.meta.version);
    });

    it.each([
      ['an unknown userName', () => ({ userName: 'nobody.at.all' })],
      ['an unknown id', () => ({ id: '00000000-0000-4000-8000-000000000000' })],
    ])('answers %s with a 404 SCIM error', async (_label, body) => {
      const error = expectScimError(await admin('post', '/restore', body()), 404);
      expect(error.detail).toMatch(/deleted user/i);
    });

    it('answers a user that is not deleted with a 404 SCIM error and leaves it as it was', async () => {
      const user = await createUser();
      expectScimError(await admin('post', '/restore', { userName: user.userName }), 404);
      expectScimError(await admin('post', '/restore', { id: user.id }), 404);
      expect((await t.get(`/Users/${user.id}`)).body.meta.version).toBe(user.meta.version);
    });

    it.each([
      ['an empty object', {}],
      ['a userName that is not a string', { userName: 42 }],
      ['an id that is null', { id: null }],
      ['another key', { email: 'someone@example.com' }],
    ])('refuses a body naming no user (%s): 400', async (_label, body) => {
      const error = expectScimError(await admin('post', '/restore', body), 400);
      expect(error.detail).toMatch(/userName|id/);
    });

    it('refuses a body that is not a JSON object: 400', async () => {
      expectScimError(await admin('post', '/restore', ['someone']), 400);
      expectScimError(await admin('post', '/restore'), 400);
    });

    it('answers other methods with 405 and an Allow header', async () => {
      const res = await admin('get', '/restore');
      expectScimError(res, 405);
      expect(res.headers.allow).toBe('POST, PUT');
    });

    it('refuses a request without a token: 401 with WWW-Authenticate, and restores nothing', async () => {
      const user = await createUser();
      await t.delete(`/Users/${user.id}`);
      const res = await admin('post', '/restore', { id: user.id }, null);
      expectScimError(res, 401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="Roster"/);
      expect(await isDeleted(user.id)).toBe(true);
    });

    it('refuses a user-bound token whose user is not a SuperAdmin: 403, and restores nothing', async () => {
      const reader = await createUser();
      const { token } = await createToken(reader.id);
      const user = await createUser();
      await t.delete(`/Users/${user.id}`);
      const error = expectScimError(await admin('post', '/restore', { id: user.id }, token), 403);
      expect(error.detail).toMatch(/SuperAdmin/);
      expect(await isDeleted(user.id)).toBe(true);
    });

    it('lets an Active SuperAdmin\'s token restore', async () => {
      const superAdmin = await createSuperAdmin();
      const { token } = await createToken(superAdmin.id);
      const user = await createUser();
      await t.delete(`/Users/${user.id}`);
      const res = await admin('post', '/restore', { userName: user.userName }, token);
      expect(res.status).toBe(200);
      expect(await isDeleted(user.id)).toBe(false);
    });
  });

  describe('deleted users: GET /admin/users/deleted (who may restore may list)', () => {
    /** A deleted user, and the filter that finds only it. */
    const deletedUser = async () => {
      const user = await createUser({}, uniqueName('listed'));
      await t.delete(`/Users/${user.id}`);
      return { user, query: `?filter=${encodeURIComponent(`id eq "${user.id}"`)}` };
    };

    it('lists for the tenant\'s service token and for an operator token', async () => {
      const { user, query } = await deletedUser();
      const res = await admin('get', `/deleted${query}`);
      expect(res.status).toBe(200);
      expect(res.body.Resources.map((r: { id: string }) => r.id)).toEqual([user.id]);
      const { secret } = await t.application.operatorTokens.create('ops');
      expect((await admin('get', `/deleted${query}`, undefined, secret)).body.totalResults).toBe(1);
    });

    it('refuses a request without a token: 401 with WWW-Authenticate', async () => {
      const { query } = await deletedUser();
      const res = await admin('get', `/deleted${query}`, undefined, null);
      expectScimError(res, 401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="Roster"/);
    });

    it('refuses a user-bound token whose user is not a SuperAdmin: 403, though it may read /Users', async () => {
      const reader = await createUser();
      const { token } = await createToken(reader.id);
      const { query } = await deletedUser();
      expect(await works(token)).toBe(true);
      const error = expectScimError(await admin('get', `/deleted${query}`, undefined, token), 403);
      expect(error.detail).toMatch(/SuperAdmin/);
    });

    it('lets an Active SuperAdmin\'s token list', async () => {
      const superAdmin = await createSuperAdmin();
      const { token } = await createToken(superAdmin.id);
      const { user, query } = await deletedUser();
      const res = await admin('get', `/deleted${query}`, undefined, token);
      expect(res.status).toBe(200);
      expect(res.body.Resources.map((r: { id: string }) => r.id)).toEqual([user.id]);
    });

    it('refuses a token of another tenant: 401, as for every admin route of this tenant', async () => {
      const other = uniqueName('other').replace('.', '-');
      await t.store.tenants.create({ id: other, name: 'Other', settings: {} }, journal);
      const directory = await t.application.enter({ kind: 'operator', tokenId: 'test', tokenName: 'test' }, other, 'test');
      const { secret } = await directory.tokens.create('elsewhere');
      const { query } = await deletedUser();
      expectScimError(await admin('get', `/deleted${query}`, undefined, secret), 401);
    });
  });

  describe('per-user tokens: /admin/users/{id}/tokens', () => {
    it('creates a token: 201 with its metadata and the secret, which works as a bearer token', async () => {
      const user = await createUser();
      const before = Date.now();
      const res = await admin('post', `/${user.id}/tokens`, { name: 'laptop', expiresIn: '90d' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String), name: 'laptop', userId: user.id, created: expect.any(String),
        expires: expect.any(String), lastUsed: null, revoked: null, token: expect.stringMatching(/^roster_[A-Za-z0-9_-]{43}$/),
      });
      expect(Date.parse(res.body.expires) - Date.parse(res.body.created)).toBe(90 * DAY);
      expect(Date.parse(res.body.created)).toBeGreaterThanOrEqual(before - 1000);
      expect(await works(res.body.token)).toBe(true);
    });

    it('creates a token without expiry when expiresIn is not given', async () => {
      const user = await createUser();
      const created = await createToken(user.id, { name: 'forever' });
      expect(created.expires).toBeNull();
    });

    it('stores only a hash of the secret and never returns the hash', async () => {
      const user = await createUser();
      const created = await createToken(user.id);
      const stored = (await t.data.tokens.get(created.id))!;
      expect(stored.userId).toBe(user.id);
      expect(stored.hash).not.toContain(created.token);
      const listed = await admin('get', `/${user.id}/tokens`);
      const one = await admin('get', `/${user.id}/tokens/${created.id}`);
      for (const res of [listed, one]) {
        expect(res.status).toBe(200);
        expect(res.text).not.toContain(stored.hash);
        expect(res.text).not.toContain(created.token);
        expect(res.text).not.toContain(created.token.slice('roster_'.length));
      }
    });

    it.each(['soon', '0d', '30s', '', 90])('refuses expiresIn %j: 400 invalidValue, and creates nothing', async (expiresIn) => {
      const user = await createUser();
      const error = expectScimError(await admin('post', `/${user.id}/tokens`, { name: 'x', expiresIn }), 400, 'invalidValue');
      expect(error.detail).toMatch(/90d/);
      expect(await t.data.tokens.list(user.id)).toEqual([]);
    });

    it('answers an unknown or deleted user with 404, for create and list', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      expectScimError(await admin('post', `/${unknown}/tokens`, { name: 'x' }), 404);
      expectScimError(await admin('get', `/${unknown}/tokens`), 404);
      const user = await createUser();
      await t.delete(`/Users/${user.id}`);
      expectScimError(await admin('post', `/${user.id}/tokens`, { name: 'x' }), 404);
      expectScimError(await admin('get', `/${user.id}/tokens`), 404);
      expect(await t.data.tokens.list(user.id)).toEqual([]);
    });

    it('lists that user\'s tokens only, as metadata, without service tokens or other users\' tokens', async () => {
      const user = await createUser();
      const other = await createUser();
      const first = await createToken(user.id, { name: 'first' });
      const second = await createToken(user.id, { name: 'second', expiresIn: '12h' });
      await createToken(other.id, { name: 'others' });

      const res = await admin('get', `/${user.id}/tokens`);
      expect(res.status).toBe(200);
      expect(res.body.tokens).toEqual([
        { id: first.id, name: 'first', userId: user.id, created: first.created, expires: null, lastUsed: null, revoked: null },
        { id: second.id, name: 'second', userId: user.id, created: second.created, expires: second.expires, lastUsed: null, revoked: null },
      ]);
    });

    it('shows lastUsed once a token has been used', async () => {
      const user = await createUser();
      const created = await createToken(user.id);
      expect(await works(created.token)).toBe(true);
      const res = await admin('get', `/${user.id}/tokens/${created.id}`);
      expect(res.status).toBe(200);
      expect(typeof res.body.lastUsed).toBe('string');
    });

    it('shows one token\'s metadata, and 404 for a token of another user or an unknown token', async () => {
      const user = await createUser();
      const other = await createUser();
      const mine = await createToken(user.id, { name: 'mine' });
      const theirs = await createToken(other.id, { name: 'theirs' });

      const res = await admin('get', `/${user.id}/tokens/${mine.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: mine.id, name: 'mine', userId: user.id, created: mine.created, expires: null, lastUsed: null, revoked: null });
      expectScimError(await admin('get', `/${user.id}/tokens/${theirs.id}`), 404);
      expectScimError(await admin('get', `/${user.id}/tokens/no-such-token`), 404);
    });

    it('deletes a token: 204, after which it is 404 here and refused as a bearer token (401)', async () => {
      const user = await createUser();
      const created = await createToken(user.id);
      const kept = await createToken(user.id, { name: 'kept' });
      const res = await admin('delete', `/${user.id}/tokens/${created.id}`);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expectScimError(await admin('get', `/${user.id}/tokens/${created.id}`), 404);
      expect(await works(created.token)).toBe(false);
      expect(await works(kept.token)).toBe(true);
      expect((await admin('get', `/${user.id}/tokens`)).body.tokens.map((x: { id: string }) => x.id)).toEqual([kept.id]);
    });

    it('refuses to delete a token through another user\'s path: 404, and the token keeps working', async () => {
      const user = await createUser();
      const other = await createUser();
      const theirs = await createToken(other.id);
      expectScimError(await admin('delete', `/${user.id}/tokens/${theirs.id}`), 404);
      expect(await works(theirs.token)).toBe(true);
    });

    it('answers other methods with 405 and an Allow header', async () => {
      const user = await createUser();
      const created = await createToken(user.id);
      const onList = await admin('put', `/${user.id}/tokens`, {});
      expectScimError(onList, 405);
      expect(onList.headers.allow).toBe('GET, POST');
      const onOne = await admin('patch', `/${user.id}/tokens/${created.id}`, {});
      expectScimError(onOne, 405);
      expect(onOne.headers.allow).toBe('GET, DELETE');
    });

    it('refuses every admin request without a valid token: 401', async () => {
      const user = await createUser();
      expectScimError(await admin('get', `/${user.id}/tokens`, undefined, null), 401);
      expectScimError(await admin('post', `/${user.id}/tokens`, { name: 'x' }, 'roster_not-a-real-token'), 401);
      expect(await t.data.tokens.list(user.id)).toEqual([]);
    });

    describe('rights', () => {
      it('lets a user-bound token of a non-SuperAdmin read token metadata', async () => {
        const reader = await createUser();
        const { token } = await createToken(reader.id);
        const res = await admin('get', `/${reader.id}/tokens`, undefined, token);
        expect(res.status).toBe(200);
        expect(res.body.tokens).toHaveLength(1);
      });

      it('refuses token creation by a non-SuperAdmin\'s token: 403 with a readable detail, nothing created', async () => {
        const reader = await createUser();
        const { token } = await createToken(reader.id);
        const target = await createUser();
        const res = await admin('post', `/${target.id}/tokens`, { name: 'sneaky' }, token);
        expect(res.body.schemas).toEqual([ERROR_URN]);
        expect(expectScimError(res, 403).detail).toMatch(/service token or the user themselves/);
        expect(await t.data.tokens.list(target.id)).toEqual([]);
        // For itself it may: a user's tokens are their own (issue 8).
        expect((await admin('post', `/${reader.id}/tokens`, { name: 'more' }, token)).status).toBe(201);
        expect(await t.data.tokens.list(reader.id)).toHaveLength(2);
      });

      it('refuses token deletion by a non-SuperAdmin\'s token: 403, the token keeps working', async () => {
        const reader = await createUser();
        const { token } = await createToken(reader.id);
        const target = await createUser();
        const victim = await createToken(target.id);
        expectScimError(await admin('delete', `/${target.id}/tokens/${victim.id}`, undefined, token), 403);
        expect(await works(victim.token)).toBe(true);
      });

      it('refuses an Active SuperAdmin\'s token to create or delete tokens of other users (issue 8: it would act as them)', async () => {
        const superAdmin = await createSuperAdmin();
        const { token } = await createToken(superAdmin.id);
        const target = await createUser();
        expectScimError(await admin('post', `/${target.id}/tokens`, { name: 'by-super' }, token), 403);
        expect(await t.data.tokens.list(target.id)).toEqual([]);
        const victim = await createToken(target.id);
        expectScimError(await admin('delete', `/${target.id}/tokens/${victim.id}`, undefined, token), 403);
        expect(await works(victim.token)).toBe(true);
      });

      it('refuses a SuperAdmin demoted to Internal: its token may read but no longer create tokens', async () => {
        const superAdmin = await createSuperAdmin();
        const { token } = await createToken(superAdmin.id);
        const demote = await t.patch(`/Users/${superAdmin.id}`, {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [{ op: 'replace', path: `${ACCOUNT_URN}:accountType`, value: 'Internal' }],
        });
        expect(demote.status).toBe(200);
        const target = await createUser();
        expectScimError(await admin('post', `/${target.id}/tokens`, { name: 'x' }, token), 403);
        expect((await admin('get', `/${superAdmin.id}/tokens`, undefined, token)).status).toBe(200);
      });
    });
  });
});
