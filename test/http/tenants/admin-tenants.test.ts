import request from 'supertest';
import { ACCOUNT_URN, expectScimError, startTestApp, userBody, type TestApp } from '../../support/test-app';
import { operatorToken, scimClient, tenantWithToken } from '../../support/tenants';

/** README "Tenants": the admin API of tenants, for operator tokens. */
describe('tenant administration (/admin/tenants)', () => {
  let t: TestApp;
  let operator: string;
  const admin = (token: string | null = operator) => {
    const auth = (test: request.Test) => (token === null ? test : test.set('Authorization', `Bearer ${token}`));
    return {
      get: (path: string) => auth(request(t.app).get(`/admin/tenants${path}`)),
      post: (path: string, body?: object) => auth(request(t.app).post(`/admin/tenants${path}`)).send(body),
      patch: (path: string, body?: object) => auth(request(t.app).patch(`/admin/tenants${path}`)).send(body),
      delete: (path: string) => auth(request(t.app).delete(`/admin/tenants${path}`)),
    };
  };

  beforeEach(async () => {
    t = await startTestApp({ maxRoles: 25 });
    operator = await operatorToken(t);
  });
  afterEach(() => t.close());

  describe('create', () => {
    it('creates a tenant with its SCIM URL, its own settings and the effective policy', async () => {
      const response = await admin().post('', { id: 'acme', name: 'Acme Corp', settings: { maxRoles: 3 } });
      expect(response.status).toBe(201);
      expect(response.headers.location).toMatch(/\/admin\/tenants\/acme$/);
      expect(response.body).toMatchObject({
        id: 'acme', name: 'Acme Corp', status: 'active', settings: { maxRoles: 3 },
        effectiveSettings: {
          maxRoles: 3, usernameImmutable: false, requiredUserAttributes: ['name.givenName', 'name.familyName', 'emails'], usernameFormat: 'any', retentionDeletedDays: 30,
        },
      });
      expect(response.body.scimUrl).toMatch(/\/scim\/v2\/tenants\/acme$/);
    });

    it.each([
      ['an upper-case id', { id: 'Acme' }],
      ['an id with a dot', { id: 'acme.corp' }],
      ['an id starting with "-"', { id: '-acme' }],
      ['an id of 64 characters', { id: 'a'.repeat(64) }],
      ['no id', { name: 'Nameless' }],
      ['an empty name', { id: 'acme', name: ' ' }],
      ['a name of 257 characters', { id: 'acme', name: 'n'.repeat(257) }],
      ['an unknown setting', { id: 'acme', settings: { maxGroups: 3 } }],
      ['maxRoles out of range', { id: 'acme', settings: { maxRoles: -1 } }],
      ['a retention of 0 days', { id: 'acme', settings: { retentionDeletedDays: 0 } }],
      ['usernameImmutable not a boolean', { id: 'acme', settings: { usernameImmutable: 'yes' } }],
      ['an attribute that cannot be required', { id: 'acme', settings: { requiredUserAttributes: ['title'] } }],
      ['requiredUserAttributes not a list', { id: 'acme', settings: { requiredUserAttributes: 'emails' } }],
      ['an unknown usernameFormat', { id: 'acme', settings: { usernameFormat: 'upn' } }],
    ])('refuses %s (400 invalidValue)', async (_, body) => {
      expectScimError(await admin().post('', body), 400, 'invalidValue');
    });

    it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty'])('refuses a setting named %s, a name every object inherits (400, nothing created)', async (name) => {
      const body = `{"id": "acme", "settings": {${JSON.stringify(name)}: {"maxRoles": 1}}}`;
      const response = await admin().post('', undefined).set('Content-Type', 'application/json').send(body);
      expectScimError(response, 400, 'invalidValue');
      expectScimError(await admin().get('/acme'), 404);
    });

    it('accepts an id of 63 characters, and takes the id as the name when none is given', async () => {
      const response = await admin().post('', { id: 'a'.repeat(63) });
      expect(response.status).toBe(201);
      expect(response.body.name).toBe('a'.repeat(63));
    });

    it('refuses a taken id, the built-in "default" included (409)', async () => {
      expect((await admin().post('', { id: 'acme' })).status).toBe(201);
      expectScimError(await admin().post('', { id: 'acme' }), 409);
      expectScimError(await admin().post('', { id: 'default' }), 409);
    });
  });

  it('lists tenants in id order, a page at a time', async () => {
    for (const id of ['zeta', 'acme', 'beta']) await admin().post('', { id });
    const all = await admin().get('');
    expect(all.status).toBe(200);
    expect(all.body.totalResults).toBe(4);
    expect(all.body.tenants.map((x: { id: string }) => x.id)).toEqual(['acme', 'beta', 'default', 'zeta']);
    const page = await admin().get('?startIndex=2&count=2');
    expect(page.body.tenants.map((x: { id: string }) => x.id)).toEqual(['beta', 'default']);
    expectScimError(await admin().get('?count=-1'), 400, 'invalidValue');
  });

  describe('settings', () => {
    it('changes the name and settings; null returns a setting to the server default', async () => {
      await admin().post('', { id: 'acme', settings: { maxRoles: 3, usernameImmutable: true } });
      const changed = await admin().patch('/acme', { name: 'Acme', settings: { maxRoles: null, retentionInactiveDays: 90, retentionDeletedDays: 'off' } });
      expect(changed.status).toBe(200);
      expect(changed.body.name).toBe('Acme');
      expect(changed.body.settings).toEqual({ usernameImmutable: true, retentionInactiveDays: 90, retentionDeletedDays: 'off' });
      expect(changed.body.effectiveSettings).toEqual({
        maxRoles: 25, usernameImmutable: true, requiredUserAttributes: ['name.givenName', 'name.familyName', 'emails'], usernameFormat: 'any', retentionInactiveDays: 90, retentionDeletedDays: 'off',
      });
      expect((await admin().get('/acme')).body.settings).toEqual(changed.body.settings);
    });

    it('refuses what a tenant does not have (400) and unknown tenants (404)', async () => {
      await admin().post('', { id: 'acme' });
      expectScimError(await admin().patch('/acme', { id: 'other' }), 400, 'invalidValue');
      expectScimError(await admin().patch('/acme', { settings: { maxRoles: 1001 } }), 400, 'invalidValue');
      expectScimError(await admin().patch('/nope', { name: 'x' }), 404);
      expectScimError(await admin().get('/nope'), 404);
    });

    it("applies a tenant's maxRoles and usernameImmutable there, and only there", async () => {
      const acme = scimClient(t, await tenantWithToken(t, operator, 'acme', { maxRoles: 1, usernameImmutable: true }), '/scim/v2/tenants/acme');
      const here = scimClient(t, t.token, '/scim/v2');
      const twoRoles = { [ACCOUNT_URN]: { accountType: 'ConfigAdmin', roles: ['audit', 'billing'] } };
      expectScimError(await acme.post('/Users', userBody('ana', twoRoles)), 400);
      expect((await here.post('/Users', userBody('ana', twoRoles))).status).toBe(201);

      const user = await acme.post('/Users', userBody('bob'));
      expectScimError(await acme.put(`/Users/${user.body.id}`, userBody('robert')), 400, 'mutability');
      const local = await here.post('/Users', userBody('bob'));
      expect((await here.put(`/Users/${local.body.id}`, userBody('robert'))).status).toBe(200);
    });
  });

  describe('identity settings: requiredUserAttributes and usernameFormat', () => {
    it('sets them, shows them in settings and effectiveSettings, and null returns them to the server default', async () => {
      const created = await admin().post('', { id: 'acme', settings: { requiredUserAttributes: ['emails', 'name.familyName'], usernameFormat: 'email' } });
      expect(created.status).toBe(201);
      // Stored in one order whatever order they were sent in.
      expect(created.body.settings).toEqual({ requiredUserAttributes: ['name.familyName', 'emails'], usernameFormat: 'email' });
      expect(created.body.effectiveSettings).toMatchObject({ requiredUserAttributes: ['name.familyName', 'emails'], usernameFormat: 'email' });

      const relaxed = await admin().patch('/acme', { settings: { requiredUserAttributes: [], usernameFormat: null } });
      expect(relaxed.body.settings).toEqual({ requiredUserAttributes: [] });
      expect(relaxed.body.effectiveSettings).toMatchObject({ requiredUserAttributes: [], usernameFormat: 'any' });
      const back = await admin().patch('/acme', { settings: { requiredUserAttributes: null } });
      expect(back.body.settings).toEqual({});
      expect(back.body.effectiveSettings.requiredUserAttributes).toEqual(['name.givenName', 'name.familyName', 'emails']);
    });

    it('refuses a bad value with a sentence saying what is allowed, and changes nothing', async () => {
      await admin().post('', { id: 'acme', settings: { usernameFormat: 'email' } });
      const refused = expectScimError(await admin().patch('/acme', { settings: { requiredUserAttributes: ['name.givenName', 'phoneNumbers'] } }), 400, 'invalidValue');
      expect(refused.detail).toMatch(/"name.givenName", "name.familyName", "emails".*\[\] to require none/);
      expectScimError(await admin().patch('/acme', { settings: { usernameFormat: 'EMAIL' } }), 400, 'invalidValue');
      expect((await admin().get('/acme')).body.settings).toEqual({ usernameFormat: 'email' });
    });

    it("applies a tenant's required set and userName format there, and only there", async () => {
      const acme = scimClient(t, await tenantWithToken(t, operator, 'acme', { requiredUserAttributes: [], usernameFormat: 'email' }), '/scim/v2/tenants/acme');
      const here = scimClient(t, t.token, '/scim/v2');
      const serviceAccount = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'backup@example.com' };
      expect((await acme.post('/Users', serviceAccount)).status).toBe(201);
      expectScimError(await here.post('/Users', serviceAccount), 400, 'invalidValue');

      expectScimError(await acme.post('/Users', userBody('ana')), 400, 'invalidValue');
      expect((await here.post('/Users', userBody('ana'))).status).toBe(201);
    });
  });

  describe('delete', () => {
    it('deletes an empty tenant; its tokens stop working and its id is free again', async () => {
      const token = await tenantWithToken(t, operator, 'acme');
      expect((await admin().delete('/acme')).status).toBe(204);
      expectScimError(await admin().get('/acme'), 404);
      expectScimError(await scimClient(t, token, '/scim/v2/tenants/acme').get('/Users'), 401);
      expect((await admin().post('', { id: 'acme' })).status).toBe(201);
    });

    it('refuses a tenant holding users or groups unless force=true, which erases everything in it', async () => {
      const token = await tenantWithToken(t, operator, 'acme');
      const acme = scimClient(t, token, '/scim/v2/tenants/acme');
      const user = await acme.post('/Users', userBody('ana'));
      await acme.post('/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Team', members: [{ value: user.body.id }] });
      const refused = expectScimError(await admin().delete('/acme'), 409);
      expect(refused.detail).toMatch(/1 user\(s\) and 1 group\(s\).*force=true/);
      expectScimError(await admin().delete('/acme?force=maybe'), 400, 'invalidValue');

      expect((await admin().delete('/acme?force=true')).status).toBe(204);
      expect(await t.store.tenants.contents('acme')).toEqual({ users: 0, groups: 0 });
      expectScimError(await acme.get('/Users'), 401);
      // Re-created under the same id, nothing old comes back.
      const again = scimClient(t, await tenantWithToken(t, operator, 'acme'), '/scim/v2/tenants/acme');
      expect((await again.get('/Users')).body.totalResults).toBe(0);
      expectScimError(await again.get(`/Users/${user.body.id}`), 404);
    });

    it('never deletes the built-in tenant (409)', async () => {
      expectScimError(await admin().delete('/default?force=true'), 409);
      expect((await scimClient(t, t.token, '/scim/v2').get('/Users')).status).toBe(200);
    });
  });

  describe('tenant tokens', () => {
    it('issues a service token shown once, which works at the tenant URL', async () => {
      await admin().post('', { id: 'acme' });
      const response = await admin().post('/acme/tokens', { name: 'okta', expiresIn: '365d' });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ name: 'okta', tenantId: 'acme' });
      expect(response.body.token).toMatch(/^roster_/);
      expect(JSON.stringify(response.body)).not.toMatch(/hash/);
      expect((await scimClient(t, response.body.token, '/scim/v2/tenants/acme').get('/Users')).status).toBe(200);
      expectScimError(await admin().post('/acme/tokens', { expiresIn: 'soon' }), 400, 'invalidValue');
      expectScimError(await admin().post('/acme/tokens', { name: 't'.repeat(257) }), 400, 'invalidValue');
      expectScimError(await admin().post('/nope/tokens', { name: 'x' }), 404);
    });

    it('lists the tenant\'s service tokens newest first, never with a secret or hash', async () => {
      await admin().post('', { id: 'acme' });
      const okta = await admin().post('/acme/tokens', { name: 'okta' });
      const entra = await admin().post('/acme/tokens', { name: 'entra', expiresIn: '30d' });
      const response = await admin().get('/acme/tokens');
      expect(response.status).toBe(200);
      expect(response.body.tokens.map((token: { name: string }) => token.name).sort()).toEqual(['entra', 'okta']);
      expect(response.body.tokens.find((token: { id: string }) => token.id === entra.body.id)).toMatchObject({ name: 'entra', revoked: null, expires: expect.any(String) });
      const text = JSON.stringify(response.body);
      expect(text).not.toContain(okta.body.token);
      expect(text).not.toMatch(/hash|"token"/);
      expectScimError(await admin().get('/nope/tokens'), 404);
    });

    it('revokes a service token: it stops working at once, and stays listed as revoked', async () => {
      await admin().post('', { id: 'acme' });
      const okta = await admin().post('/acme/tokens', { name: 'okta' });
      const acme = scimClient(t, okta.body.token, '/scim/v2/tenants/acme');
      expect((await acme.get('/Users')).status).toBe(200);
      expect((await admin().delete(`/acme/tokens/${okta.body.id}`)).status).toBe(204);
      expectScimError(await acme.get('/Users'), 401);
      const listed = (await admin().get('/acme/tokens')).body.tokens.find((token: { id: string }) => token.id === okta.body.id);
      expect(listed.revoked).toEqual(expect.any(String));
      expect((await admin().delete(`/acme/tokens/${okta.body.id}`)).status).toBe(204);
    });

    it('revokes only the named tenant\'s service tokens: another tenant\'s token or an unknown id is a 404', async () => {
      await admin().post('', { id: 'acme' });
      await admin().post('', { id: 'globex' });
      const globex = await admin().post('/globex/tokens', { name: 'okta' });
      expectScimError(await admin().delete(`/acme/tokens/${globex.body.id}`), 404);
      expectScimError(await admin().delete('/acme/tokens/no-such-token'), 404);
      expect((await scimClient(t, globex.body.token, '/scim/v2/tenants/globex').get('/Users')).status).toBe(200);
    });
  });

  describe('who may manage tenants', () => {
    it.each([
      ['GET', ''], ['POST', ''], ['GET', '/default'], ['PATCH', '/default'], ['DELETE', '/acme'], ['POST', '/default/tokens'], ['GET', '/default/tokens'], ['DELETE', '/default/tokens/x'],
    ])('%s /admin/tenants%s: 401 without a token, 403 with a tenant token', async (method, path) => {
      const send = (token: string | null) => {
        const client = admin(token);
        return method === 'GET' ? client.get(path) : method === 'POST' ? client.post(path, { id: 'x' }) : method === 'PATCH' ? client.patch(path, { name: 'x' }) : client.delete(path);
      };
      expectScimError(await send(null), 401);
      expectScimError(await send(t.token), 403);
    });
  });
});
