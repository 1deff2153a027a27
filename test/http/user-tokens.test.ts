import request from 'supertest';
import { ADMIN_USERS, BASE, GROUP_URN, PATCH_URN, expectScimError, patchBody, startTestApp, userBody, type TestApp } from '../support/test-app';

const ACCOUNT_URN = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Account';

/**
 * User-bound API tokens (issue 3, 000, 001, 002, 004, 8): a token acts as its user. It may read;
 * it may write only while its user is an Active SuperAdmin; it is revoked for good when its user
 * is deactivated or deleted; nobody changes their own access through it; and a user's tokens
 * are the user's own (only a service token or the user may create, see or delete them).
 */
describe('user-bound tokens', () => {
  let t: TestApp;
  let seq = 0;
  const uniqueName = (stem = 'tok') => `${stem}.${++seq}`;

  /** SCIM requests with a given bearer token. */
  const as = (token: string) => {
    const auth = (test: request.Test) => test.set('Authorization', `Bearer ${token}`);
    const withBody = (test: request.Test, body: object) => auth(test).set('Content-Type', 'application/scim+json').send(JSON.stringify(body));
    return {
      get: (path: string) => auth(request(t.app).get(BASE + path)),
      post: (path: string, body: object) => withBody(request(t.app).post(BASE + path), body),
      put: (path: string, body: object) => withBody(request(t.app).put(BASE + path), body),
      patch: (path: string, body: object) => withBody(request(t.app).patch(BASE + path), body),
      delete: (path: string) => auth(request(t.app).delete(BASE + path)),
    };
  };
  const createUser = async (extra: object = {}, name = uniqueName()) => {
    const res = await t.post('/Users', userBody(name, extra));
    expect(res.status).toBe(201);
    return res.body as Record<string, any> & { id: string; userName: string };
  };
  /** A request to the test tenant's /admin/…/users… with a given bearer token (the service token by default). */
  const admin = (method: 'get' | 'post' | 'delete', path: string, token = t.token, body?: object) => {
    const test = request(t.app)[method](ADMIN_USERS + path).set('Authorization', `Bearer ${token}`);
    return body === undefined ? test : test.send(body);
  };
  const tokenFor = async (userId: string, by = t.token) => {
    const res = await admin('post', `/${userId}/tokens`, by, { name: 'test' });
    expect(res.status).toBe(201);
    return res.body.token as string;
  };
  /** A user with an Account of the given type, and a token bound to it. */
  const accountWithToken = async (accountType: string, extra: object = {}, attributes: object = {}) => {
    const user = await createUser({ ...attributes, [ACCOUNT_URN]: { accountType, ...extra } }, uniqueName(accountType.toLowerCase()));
    return { user, token: await tokenFor(user.id), client: as(await tokenFor(user.id)) };
  };
  const current = async (id: string) => (await t.get(`/Users/${id}`)).body as Record<string, any>;
  const accountOf = (user: Record<string, any>) => user[ACCOUNT_URN] as { status?: string; accountType?: string; roles?: string[] };
  const setActive = async (id: string, active: boolean) =>
    expect((await t.patch(`/Users/${id}`, patchBody({ op: 'replace', value: { active } }))).status).toBe(200);

  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => t.close());

  describe('GET /Me', () => {
    it('returns the token\'s user, with its ETag', async () => {
      const { user, client } = await accountWithToken('Internal');
      const res = await client.get('/Me');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(res.body.id).toBe(user.id);
      expect(res.body.userName).toBe(user.userName);
      expect(res.headers.etag).toBe(res.body.meta.version);
      expect(res.body.meta.location).toMatch(new RegExp(`${BASE}/Users/${user.id}$`));
    });

    it('honours attributes= on /Me', async () => {
      const { user, client } = await accountWithToken('Internal');
      const res = await client.get('/Me?attributes=userName');
      expect(res.status).toBe(200);
      expect(res.body.userName).toBe(user.userName);
      expect(res.body).not.toHaveProperty('emails');
    });

    it('answers a service token with a 404 SCIM error that explains why', async () => {
      const error = expectScimError(await t.get('/Me'), 404);
      expect(error.detail).toMatch(/service token/);
    });

    it('answers DELETE and POST with 405', async () => {
      const { client } = await accountWithToken('Internal');
      expectScimError(await client.delete('/Me'), 405);
      expectScimError(await client.post('/Me', {}), 405);
    });
  });

  describe('PUT and PATCH /Me', () => {
    it('let any active user edit their own profile, and their password with the current one', async () => {
      const { user, client } = await accountWithToken('Internal', {}, { password: 'the-old-secret' });
      const patched = await client.patch('/Me', patchBody({ op: 'replace', path: 'title', value: 'Engineer' }, { op: 'replace', value: { password: 'a-new-secret', currentPassword: 'the-old-secret' } }));
      expect(patched.status).toBe(200);
      expect(patched.body.id).toBe(user.id);
      expect(patched.body.title).toBe('Engineer');
      expect(patched.body).not.toHaveProperty('password');
      expect(patched.headers.etag).toBe(patched.body.meta.version);
      const replaced = await client.put('/Me', { ...patched.body, nickName: 'Nick' });
      expect(replaced.status).toBe(200);
      expect(replaced.body.nickName).toBe('Nick');
      expect((await t.get(`/Users/${user.id}`)).body.nickName).toBe('Nick');
    });

    it.each([
      ['deactivating themselves', { op: 'replace', path: 'active', value: false }, /deactivate your own account/],
      ['changing their own account type', { op: 'replace', path: `${ACCOUNT_URN}:accountType`, value: 'SuperAdmin' }, /own account type/],
    ])('refuse %s (403)', async (_name, operation, detail) => {
      const { client } = await accountWithToken('Internal');
      const body = expectScimError(await client.patch('/Me', patchBody(operation)), 403);
      expect(body.detail).toMatch(detail);
    });

    it('answer 404 for a service token, which is no user', async () => {
      expectScimError(await t.patch('/Me', patchBody({ op: 'replace', path: 'title', value: 'x' })), 404);
    });
  });

  describe('GET /Me, once more', () => {
    it('reflects what PATCH /Me wrote', async () => {
      const { client } = await accountWithToken('External');
      await client.patch('/Me', patchBody({ op: 'replace', path: 'title', value: 'Reader' }));
      expect((await client.get('/Me')).body.title).toBe('Reader');
    });
  });

  describe('reading', () => {
    it.each(['Internal', 'External', 'ConfigAdmin', 'SuperAdmin'])('lets a token of an Active %s account read users and groups', async (accountType) => {
      const { user, client } = await accountWithToken(accountType);
      const group = await t.post('/Groups', { schemas: [GROUP_URN], displayName: uniqueName('readable'), members: [{ value: user.id }] });
      expect(group.status).toBe(201);

      const users = await client.get(`/Users?filter=${encodeURIComponent(`userName eq "${user.userName}"`)}`);
      expect(users.status).toBe(200);
      expect(users.body.Resources.map((r: { id: string }) => r.id)).toEqual([user.id]);
      expect((await client.get(`/Users/${user.id}`)).status).toBe(200);
      const groups = await client.get(`/Groups/${group.body.id}`);
      expect(groups.status).toBe(200);
      expect(groups.body.members.map((m: { value: string }) => m.value)).toEqual([user.id]);
      expect((await client.get('/Groups')).status).toBe(200);
    });
  });

  describe('writing', () => {
    it.each(['Internal', 'External', 'ConfigAdmin'])('refuses every write by a token of an Active %s account: 403 SCIM error with a readable detail', async (accountType) => {
      const { client } = await accountWithToken(accountType);
      const target = await createUser({ title: 'Unchanged' });
      const group = (await t.post('/Groups', { schemas: [GROUP_URN], displayName: uniqueName('locked') })).body as { id: string; displayName: string };
      const newName = uniqueName('never');

      const attempts = [
        await client.post('/Users', userBody(newName)),
        await client.put(`/Users/${target.id}`, userBody(target.userName, { title: 'Changed' })),
        await client.patch(`/Users/${target.id}`, patchBody({ op: 'replace', path: 'title', value: 'Changed' })),
        await client.delete(`/Users/${target.id}`),
        await client.post('/Groups', { schemas: [GROUP_URN], displayName: uniqueName('never') }),
        await client.patch(`/Groups/${group.id}`, patchBody({ op: 'add', path: 'members', value: [{ value: target.id }] })),
        await client.put(`/Groups/${group.id}`, { schemas: [GROUP_URN], displayName: 'Renamed' }),
        await client.delete(`/Groups/${group.id}`),
      ];
      for (const res of attempts) {
        const error = expectScimError(res, 403);
        expect(error.detail).toMatch(/SuperAdmin/);
        expect(error.detail).toMatch(/read/);
      }
      expect((await current(target.id)).title).toBe('Unchanged');
      const groupNow = (await t.get(`/Groups/${group.id}`)).body;
      expect(groupNow.displayName).toBe(group.displayName);
      expect(groupNow.members ?? []).toEqual([]);
      expect((await t.get(`/Users?filter=${encodeURIComponent(`userName eq "${newName}"`)}`)).body.totalResults).toBe(0);
    });

    it('lets a token of an Active SuperAdmin create, change and delete users and groups', async () => {
      const { client } = await accountWithToken('SuperAdmin');
      const created = await client.post('/Users', userBody(uniqueName('made-by-super')));
      expect(created.status).toBe(201);
      const patched = await client.patch(`/Users/${created.body.id}`, patchBody({ op: 'replace', path: 'title', value: 'Set' }));
      expect(patched.status).toBe(200);
      expect(patched.body.title).toBe('Set');
      const group = await client.post('/Groups', { schemas: [GROUP_URN], displayName: uniqueName('super-group'), members: [{ value: created.body.id }] });
      expect(group.status).toBe(201);
      expect((await client.delete(`/Groups/${group.body.id}`)).status).toBe(204);
      expect((await client.delete(`/Users/${created.body.id}`)).status).toBe(204);
      expectScimError(await t.get(`/Users/${created.body.id}`), 404);
    });

    it('stops letting a SuperAdmin\'s token write once the account is made Internal, but it still reads', async () => {
      const { user, client } = await accountWithToken('SuperAdmin');
      expect((await client.post('/Users', userBody(uniqueName()))).status).toBe(201);
      const demote = await t.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: `${ACCOUNT_URN}:accountType`, value: 'Internal' }));
      expect(demote.status).toBe(200);
      expectScimError(await client.post('/Users', userBody(uniqueName())), 403);
      expect((await client.get('/Me')).status).toBe(200);
    });

    it('gives service tokens full rights regardless of any account', async () => {
      const created = await t.post('/Users', userBody(uniqueName('by-service')));
      expect(created.status).toBe(201);
      expect((await t.patch(`/Users/${created.body.id}`, patchBody({ op: 'replace', path: 'active', value: false }))).status).toBe(200);
      expect((await t.delete(`/Users/${created.body.id}`)).status).toBe(204);
    });
  });

  describe('when the token\'s user is deactivated or deleted: revoked, not suspended', () => {
    it('refuses the token (401 with WWW-Authenticate) once the user is deactivated, and still after reactivation; a token issued since works', async () => {
      const { user, client } = await accountWithToken('SuperAdmin');
      expect((await client.get('/Me')).status).toBe(200);

      await setActive(user.id, false);
      const refused = await client.get('/Me');
      const error = expectScimError(refused, 401);
      expect(error.detail).toMatch(/revoked/);
      expect(refused.headers['www-authenticate']).toMatch(/^Bearer realm="Roster"/);
      expectScimError(await client.get('/Users'), 401);
      expectScimError(await client.post('/Users', userBody(uniqueName())), 401);

      await setActive(user.id, true);
      expectScimError(await client.get('/Me'), 401);
      expectScimError(await client.post('/Users', userBody(uniqueName())), 401);
      const fresh = as(await tokenFor(user.id));
      expect((await fresh.get('/Me')).body.id).toBe(user.id);
      expect((await fresh.post('/Users', userBody(uniqueName()))).status).toBe(201);
    });

    it('refuses the token for good once its user is Inactive by status, and reactivated by status', async () => {
      const { user, client } = await accountWithToken('Internal');
      const status = (value: string) => t.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: `${ACCOUNT_URN}:status`, value }));
      expect((await status('Inactive')).status).toBe(200);
      expectScimError(await client.get('/Me'), 401);
      expect((await status('Active')).status).toBe(200);
      expectScimError(await client.get('/Me'), 401);
    });

    it('refuses the token (401) once its user is deleted, and still after restore; a token issued since works', async () => {
      const { user, client } = await accountWithToken('Internal');
      expect((await t.delete(`/Users/${user.id}`)).status).toBe(204);
      expectScimError(await client.get('/Me'), 401);
      expectScimError(await client.get('/Groups'), 401);

      const restored = await admin('post', '/restore', t.token, { id: user.id });
      expect(restored.status).toBe(200);
      expectScimError(await client.get('/Me'), 401);
      const me = await as(await tokenFor(user.id)).get('/Me');
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(user.id);
    });

    it('keeps refusing the token of a deactivated, deleted user after restore and reactivation', async () => {
      const { user, client } = await accountWithToken('SuperAdmin');
      await setActive(user.id, false);
      expect((await t.delete(`/Users/${user.id}`)).status).toBe(204);
      const restored = await admin('post', '/restore', t.token, { userName: user.userName });
      expect(restored.status).toBe(200);
      expect(restored.body.active).toBe(false);
      await setActive(user.id, true);
      expectScimError(await client.get('/Me'), 401);
    });

    it('shows the user\'s tokens as revoked in the token list once the user is deactivated or deleted', async () => {
      const { user } = await accountWithToken('Internal');
      const listed = async (id: string) => (await admin('get', `/${id}/tokens`)).body.tokens as { revoked: string | null }[];
      expect((await listed(user.id)).map((x) => x.revoked)).toEqual([null, null]);
      await setActive(user.id, false);
      expect((await listed(user.id)).every((x) => typeof x.revoked === 'string')).toBe(true);

      const other = await createUser();
      await tokenFor(other.id);
      expect((await t.delete(`/Users/${other.id}`)).status).toBe(204);
      expect((await admin('post', '/restore', t.token, { id: other.id })).status).toBe(200);
      expect((await listed(other.id)).map((x) => typeof x.revoked)).toEqual(['string']);
    });

    it('issues no token to a user who is not Active: 409, nothing created', async () => {
      const created = await createUser({ active: false });
      const error = expectScimError(await admin('post', `/${created.id}/tokens`, t.token, { name: 'early' }), 409);
      expect(error.detail).toMatch(/Active/);
      expect(await t.data.tokens.list(created.id)).toEqual([]);
    });
  });

  describe('a user\'s tokens are the user\'s own', () => {
    it('refuses a SuperAdmin a token bound to another SuperAdmin (403), so it cannot act as them and demote them', async () => {
      const { user: first, token } = await accountWithToken('SuperAdmin');
      const { user: second } = await accountWithToken('SuperAdmin');
      const error = expectScimError(await admin('post', `/${second.id}/tokens`, token, { name: 'impostor' }), 403);
      expect(error.detail).toMatch(/Only a service token or the user themselves may create tokens for a user/);
      expect(await t.data.tokens.list(second.id)).toHaveLength(2);
      // What the impostor token was for: acting as the second SuperAdmin to demote the first.
      expect(accountOf(await current(first.id)).accountType).toBe('SuperAdmin');
    });

    it('lets any Active user create, list, read and delete their own tokens, writer or not', async () => {
      const { user, token } = await accountWithToken('Internal');
      const mine = await tokenFor(user.id, token);
      expect((await as(mine).get('/Me')).body.id).toBe(user.id);
      const list = await admin('get', `/${user.id}/tokens`, token);
      expect(list.status).toBe(200);
      expect(list.body.tokens).toHaveLength(3);
      const [first] = list.body.tokens as { id: string }[];
      expect((await admin('get', `/${user.id}/tokens/${first.id}`, token)).status).toBe(200);
      expect((await admin('delete', `/${user.id}/tokens/${first.id}`, token)).status).toBe(204);
    });

    it.each([
      ['a read-only user', 'Internal'],
      ['an Active SuperAdmin', 'SuperAdmin'],
    ])('refuses %s the list, one token and deleting a token of another user: 403, the token keeps working', async (_label, accountType) => {
      const { token } = await accountWithToken(accountType);
      const { user: other, token: theirs } = await accountWithToken('Internal');
      const [listed] = (await admin('get', `/${other.id}/tokens`)).body.tokens as { id: string }[];
      for (const res of [
        await admin('get', `/${other.id}/tokens`, token),
        await admin('get', `/${other.id}/tokens/${listed.id}`, token),
        await admin('delete', `/${other.id}/tokens/${listed.id}`, token),
      ]) {
        expect(expectScimError(res, 403).detail).toMatch(/service token or the user themselves/);
      }
      expect((await as(theirs).get('/Me')).status).toBe(200);
      expect(await t.data.tokens.list(other.id)).toHaveLength(2);
    });

    it('answers another user\'s token 403 whether or not the user exists, so ids cannot be probed', async () => {
      const { token } = await accountWithToken('Internal');
      expectScimError(await admin('get', '/no-such-user/tokens', token), 403);
      expectScimError(await admin('get', '/no-such-user/tokens', t.token), 404);
    });
  });

  describe('nobody changes their own access', () => {
    it.each([
      ['PATCH active false', (id: string) => ['patch', `/Users/${id}`, patchBody({ op: 'replace', path: 'active', value: false })]],
      ['PATCH {"active": false} without a path', (id: string) => ['patch', `/Users/${id}`, patchBody({ op: 'replace', value: { active: false } })]],
      ['PATCH status Inactive', (id: string) => ['patch', `/Users/${id}`, patchBody({ op: 'replace', path: `${ACCOUNT_URN}:status`, value: 'Inactive' })]],
      ['PATCH accountType Internal', (id: string) => ['patch', `/Users/${id}`, patchBody({ op: 'replace', path: `${ACCOUNT_URN}:accountType`, value: 'Internal' })]],
      ['PATCH accountType ConfigAdmin with roles', (id: string) => ['patch', `/Users/${id}`, patchBody({ op: 'replace', value: { [ACCOUNT_URN]: { accountType: 'ConfigAdmin', roles: ['auditor'] } } })]],
      ['PATCH roles', (id: string) => ['patch', `/Users/${id}`, patchBody({ op: 'add', path: `${ACCOUNT_URN}:roles`, value: ['auditor'] })]],
      ['DELETE', (id: string) => ['delete', `/Users/${id}`]],
    ] as const)('refuses a SuperAdmin\'s own token to change its own access by %s: 403, account unchanged', async (_label, requestOf) => {
      const { user, client } = await accountWithToken('SuperAdmin');
      const before = await current(user.id);
      const [method, path, body] = requestOf(user.id) as [string, string, object?];
      const res = method === 'delete' ? await client.delete(path) : await client.patch(path, body!);
      const error = expectScimError(res, 403);
      expect(error.detail).toMatch(/your own/);

      const after = await current(user.id);
      expect(after.active).toBe(true);
      expect(accountOf(after)).toEqual(accountOf(before));
      expect(after.meta.version).toBe(before.meta.version);
      expect((await client.get('/Me')).status).toBe(200);
    });

    it.each([
      ['active false', { active: false }],
      ['accountType External', { [ACCOUNT_URN]: { accountType: 'External' } }],
    ])('refuses a SuperAdmin\'s own token a PUT of itself with %s: 403', async (_label, extra) => {
      const { user, client } = await accountWithToken('SuperAdmin');
      expectScimError(await client.put(`/Users/${user.id}`, userBody(user.userName, extra)), 403);
      const after = await current(user.id);
      expect(after.active).toBe(true);
      expect(accountOf(after).accountType).toBe('SuperAdmin');
    });

    it('lets a SuperAdmin change its own other attributes, by PATCH and by PUT', async () => {
      const { user, client } = await accountWithToken('SuperAdmin');
      const patched = await client.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'title', value: 'Chief' }));
      expect(patched.status).toBe(200);
      expect(patched.body.title).toBe('Chief');
      expect(patched.body.active).toBe(true);
      expect(accountOf(patched.body).accountType).toBe('SuperAdmin');

      const put = await client.put(`/Users/${user.id}`, userBody(user.userName, { displayName: 'Renamed Self', title: 'Chief' }));
      expect(put.status).toBe(200);
      expect(put.body.displayName).toBe('Renamed Self');
      expect(accountOf(put.body).accountType).toBe('SuperAdmin');
      expect(put.body.active).toBe(true);
    });

    it('lets a SuperAdmin restate its own unchanged account in a PUT', async () => {
      const { user, client } = await accountWithToken('SuperAdmin');
      const res = await client.put(`/Users/${user.id}`, userBody(user.userName, { active: true, [ACCOUNT_URN]: { accountType: 'SuperAdmin', status: 'Active' } }));
      expect(res.status).toBe(200);
    });

    it('lets a SuperAdmin deactivate, re-type and delete another SuperAdmin', async () => {
      const { client } = await accountWithToken('SuperAdmin');
      const { user: other, client: otherClient } = await accountWithToken('SuperAdmin');

      expect((await client.patch(`/Users/${other.id}`, patchBody({ op: 'replace', path: 'active', value: false }))).status).toBe(200);
      expect((await current(other.id)).active).toBe(false);
      expectScimError(await otherClient.get('/Me'), 401);
      const reactivated = await client.patch(`/Users/${other.id}`, patchBody({ op: 'replace', path: `${ACCOUNT_URN}:status`, value: 'Active' }));
      expect(reactivated.status).toBe(200);

      const retyped = await client.patch(`/Users/${other.id}`, patchBody({ op: 'replace', value: { [ACCOUNT_URN]: { accountType: 'ConfigAdmin', roles: ['auditor'] } } }));
      expect(retyped.status).toBe(200);
      expect(accountOf(retyped.body)).toMatchObject({ accountType: 'ConfigAdmin', roles: ['auditor'] });
      const reroled = await client.patch(`/Users/${other.id}`, patchBody({ op: 'replace', path: `${ACCOUNT_URN}:roles`, value: ['auditor', 'billing'] }));
      expect(reroled.status).toBe(200);
      expect(accountOf(reroled.body).roles).toEqual(['auditor', 'billing']);

      expect((await client.delete(`/Users/${other.id}`)).status).toBe(204);
      expectScimError(await t.get(`/Users/${other.id}`), 404);
    });

    it('lets a SuperAdmin set status Inactive on another user', async () => {
      const { client } = await accountWithToken('SuperAdmin');
      const other = await createUser();
      const res = await client.patch(`/Users/${other.id}`, { schemas: [PATCH_URN], Operations: [{ op: 'replace', path: `${ACCOUNT_URN}:status`, value: 'Inactive' }] });
      expect(res.status).toBe(200);
      expect(accountOf(res.body).status).toBe('Inactive');
      expect(res.body.active).toBe(false);
    });
  });
});
