import request from 'supertest';
import { GROUP_URN, PATCH_URN, expectScimError, patchBody, startTestApp, userBody, type TestApp } from '../../support/test-app';
import { operatorToken, scimClient, tenantWithToken, type ScimClient } from '../../support/tenants';

const BULK_URN = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const SEARCH_URN = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

/**
 * README "Tenants", isolation: two tenants holding identical data (same userName, same group
 * displayName) side by side; nothing of one is reachable from the other, by any route.
 */
describe('tenant isolation', () => {
  let t: TestApp;
  let operator: string;
  let acme: ScimClient;
  let beta: ScimClient;
  let acmeToken: string;
  /** The ids of each tenant's user "ana" and group "Team" (ana a member). */
  const ids = { acme: { user: '', group: '' }, beta: { user: '', group: '' } };

  const seed = async (client: ScimClient) => {
    const user = await client.post('/Users', userBody('ana', { externalId: 'ext-ana' }));
    expect(user.status).toBe(201);
    const group = await client.post('/Groups', { schemas: [GROUP_URN], displayName: 'Team', members: [{ value: user.body.id }] });
    expect(group.status).toBe(201);
    return { user: user.body.id as string, group: group.body.id as string };
  };

  beforeAll(async () => {
    t = await startTestApp();
    operator = await operatorToken(t);
    acmeToken = await tenantWithToken(t, operator, 'acme');
    acme = scimClient(t, acmeToken, '/scim/v2/tenants/acme');
    beta = scimClient(t, await tenantWithToken(t, operator, 'beta'), '/scim/v2/tenants/beta');
    ids.acme = await seed(acme);
    ids.beta = await seed(beta);
  });
  afterAll(() => t.close());

  describe('the same names live side by side', () => {
    it('holds userName "ana" and group "Team" in both tenants, as different resources', () => {
      expect(ids.acme.user).not.toBe(ids.beta.user);
      expect(ids.acme.group).not.toBe(ids.beta.group);
    });

    it('still refuses a second "ana" within one tenant (409 uniqueness)', async () => {
      expectScimError(await acme.post('/Users', userBody('ANA')), 409, 'uniqueness');
    });
  });

  describe('an id of another tenant is 404 everywhere', () => {
    it.each([
      ['GET /Users/{id}', () => acme.get(`/Users/${ids.beta.user}`)],
      ['PUT /Users/{id}', () => acme.put(`/Users/${ids.beta.user}`, userBody('ana'))],
      ['PATCH /Users/{id}', () => acme.patch(`/Users/${ids.beta.user}`, patchBody({ op: 'replace', path: 'displayName', value: 'X' }))],
      ['DELETE /Users/{id}', () => acme.delete(`/Users/${ids.beta.user}`)],
      ['GET /Groups/{id}', () => acme.get(`/Groups/${ids.beta.group}`)],
      ['PUT /Groups/{id}', () => acme.put(`/Groups/${ids.beta.group}`, { schemas: [GROUP_URN], displayName: 'Team' })],
      ['PATCH /Groups/{id}', () => acme.patch(`/Groups/${ids.beta.group}`, patchBody({ op: 'add', path: 'members', value: [{ value: ids.acme.user }] }))],
      ['DELETE /Groups/{id}', () => acme.delete(`/Groups/${ids.beta.group}`)],
    ])('%s', async (_, send) => {
      expectScimError(await send(), 404);
    });

    it('leaves the other tenant exactly as it was', async () => {
      const user = await beta.get(`/Users/${ids.beta.user}`);
      expect(user.body.meta.version).toBe('W/"1"');
      const group = await beta.get(`/Groups/${ids.beta.group}`);
      expect(group.body.members).toEqual([expect.objectContaining({ value: ids.beta.user })]);
    });

    it("refuses another tenant's user as a group member (400 invalidValue), writing nothing", async () => {
      expectScimError(await acme.patch(`/Groups/${ids.acme.group}`, patchBody({ op: 'add', path: 'members', value: [{ value: ids.beta.user }] })), 400, 'invalidValue');
      expectScimError(await acme.post('/Groups', { schemas: [GROUP_URN], displayName: 'Mixed', members: [{ value: ids.beta.user }] }), 400, 'invalidValue');
      expect((await acme.get(`/Groups/${ids.acme.group}`)).body.members).toEqual([expect.objectContaining({ value: ids.acme.user })]);
      expect((await acme.get('/Groups?filter=displayName eq "Mixed"')).body.totalResults).toBe(0);
    });

    it('refuses them in /Bulk, operation by operation', async () => {
      const response = await acme.post('/Bulk', {
        schemas: [BULK_URN],
        Operations: [
          { method: 'PATCH', path: `/Users/${ids.beta.user}`, data: patchBody({ op: 'replace', path: 'active', value: false }) },
          { method: 'DELETE', path: `/Groups/${ids.beta.group}` },
          { method: 'PATCH', path: `/Groups/${ids.acme.group}`, data: { schemas: [PATCH_URN], Operations: [{ op: 'add', path: 'members', value: [{ value: ids.beta.user }] }] } },
        ],
      });
      expect(response.status).toBe(200);
      expect(response.body.Operations.map((o: { status: string }) => o.status)).toEqual(['404', '404', '400']);
      expect((await beta.get(`/Users/${ids.beta.user}`)).body.active).toBe(true);
    });
  });

  describe('lists, filters and searches see one tenant', () => {
    it.each([
      ['/Users', 1], ['/Groups', 1], ['/Users?filter=userName eq "ana"', 1], ['/Users?filter=externalId eq "ext-ana"', 1],
    ])('GET %s counts only this tenant', async (path, total) => {
      const response = await acme.get(path);
      expect(response.body.totalResults).toBe(total);
      expect(response.body.Resources.map((r: { id: string }) => r.id)).not.toContain(ids.beta.user);
    });

    it.each([
      ['/Groups', () => `members.value eq "${ids.beta.user}"`],
      ['/Users', () => `groups.value eq "${ids.beta.group}"`],
      ['/Users', () => `id eq "${ids.beta.user}"`],
    ])('GET %s?filter=%s naming the other tenant matches nothing', async (path, filter) => {
      const response = await acme.get(`${path}?filter=${encodeURIComponent(filter())}`);
      expect(response.status).toBe(200);
      expect(response.body.totalResults).toBe(0);
    });

    it('POST /.search returns this tenant only', async () => {
      const response = await acme.post('/.search', { schemas: [SEARCH_URN] });
      expect(response.body.totalResults).toBe(2);
      expect(response.body.Resources.map((r: { id: string }) => r.id).sort()).toEqual([ids.acme.user, ids.acme.group].sort());
    });

    it("refuses one tenant's cursor in another (400 invalidCursor)", async () => {
      await acme.post('/Users', userBody('zed'));
      const first = await acme.get('/Users?cursor=&count=1');
      expect(first.body.nextCursor).toEqual(expect.any(String));
      expect((await acme.get(`/Users?cursor=${first.body.nextCursor}&count=1`)).status).toBe(200);
      expectScimError(await beta.get(`/Users?cursor=${first.body.nextCursor}&count=1`), 400, 'invalidCursor');
      const search = await acme.post('/.search', { schemas: [SEARCH_URN], cursor: '', count: 1 });
      expectScimError(await beta.post('/.search', { schemas: [SEARCH_URN], cursor: search.body.nextCursor, count: 1 }), 400, 'invalidCursor');
    });

    it('writes URLs under the tenant base path (Location, meta.location, $ref, discovery)', async () => {
      const user = await acme.get(`/Users/${ids.acme.user}`);
      expect(user.body.meta.location).toMatch(new RegExp(`/scim/v2/tenants/acme/Users/${ids.acme.user}$`));
      expect(user.body.groups[0].$ref).toMatch(new RegExp(`/scim/v2/tenants/acme/Groups/${ids.acme.group}$`));
      const config = await acme.get('/ServiceProviderConfig');
      expect(config.body.meta.location).toMatch(/\/scim\/v2\/tenants\/acme\/ServiceProviderConfig$/);
      const schemas = await acme.get('/Schemas');
      expect(schemas.body.Resources[0].meta.location).toMatch(/\/scim\/v2\/tenants\/acme\/Schemas\//);
    });
  });

  describe('tokens belong to their tenant', () => {
    const unauthorizedAlike = async (responses: request.Response[]) => {
      for (const response of responses) expectScimError(response, 401);
      expect(new Set(responses.map((r) => r.body.detail)).size).toBe(1);
      for (const response of responses) expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="Roster"/);
    };

    it("is 401 at another tenant's URL, saying the same whether that tenant exists or not", async () => {
      await unauthorizedAlike([
        await scimClient(t, acmeToken, '/scim/v2/tenants/beta').get('/Users'),
        await scimClient(t, acmeToken, '/scim/v2/tenants/nosuch').get('/Users'),
        await scimClient(t, acmeToken, '/scim/v2').get('/Users'),
        await scimClient(t, t.token, '/scim/v2/tenants/acme').get('/Users'),
        await scimClient(t, acmeToken, '/scim/v2/tenants/beta').get('/ServiceProviderConfig'),
      ]);
    });

    it('an operator token acts in every tenant, and is told when a tenant does not exist (404)', async () => {
      const ops = (base: string) => scimClient(t, operator, base);
      expect((await ops('/scim/v2/tenants/acme').get(`/Users/${ids.acme.user}`)).status).toBe(200);
      expect((await ops('/scim/v2/tenants/beta').get(`/Users/${ids.beta.user}`)).status).toBe(200);
      expect((await ops('/scim/v2').get('/Users')).status).toBe(200);
      expectScimError(await ops('/scim/v2/tenants/nosuch').get('/Users'), 404);
      // An id no tenant can have is not echoed back, however long.
      const long = expectScimError(await ops(`/scim/v2/tenants/${'A'.repeat(5000)}`).get('/Users'), 404);
      expect(long.detail).not.toContain('AAAA');
      expectScimError(await ops('/scim/v2/tenants/acme').get('/Me'), 404);
    });

    it('a user token acts as its user in its own tenant only (/Me)', async () => {
      const minted = await request(t.app).post(`/admin/tenants/acme/users/${ids.acme.user}/tokens`).set('Authorization', `Bearer ${acmeToken}`).send({ name: 'ana' });
      expect(minted.status).toBe(201);
      const me = await scimClient(t, minted.body.token, '/scim/v2/tenants/acme').get('/Me');
      expect(me.body.id).toBe(ids.acme.user);
      expectScimError(await scimClient(t, minted.body.token, '/scim/v2/tenants/beta').get('/Me'), 401);
      expectScimError(await scimClient(t, minted.body.token, '/scim/v2').get('/Me'), 401);
    });
  });

  describe('admin routes per tenant', () => {
    const adminAs = (token: string) => ({
      post: (path: string, body: object) => request(t.app).post(path).set('Authorization', `Bearer ${token}`).send(body),
      get: (path: string) => request(t.app).get(path).set('Authorization', `Bearer ${token}`),
    });

    it("restores a deleted user only in its own tenant", async () => {
      const doomed = await beta.post('/Users', userBody('gone'));
      await beta.delete(`/Users/${doomed.body.id}`);
      expectScimError(await adminAs(acmeToken).post('/admin/tenants/acme/users/restore', { id: doomed.body.id }), 404);
      expectScimError(await adminAs(acmeToken).post('/admin/tenants/acme/users/restore', { userName: 'gone' }), 404);
      expectScimError(await adminAs(acmeToken).post('/admin/tenants/beta/users/restore', { id: doomed.body.id }), 401);
      expect((await adminAs(operator).post('/admin/tenants/beta/users/restore', { id: doomed.body.id })).status).toBe(200);
    });

    it("never shows or mints another tenant's user tokens", async () => {
      expectScimError(await adminAs(acmeToken).get(`/admin/tenants/acme/users/${ids.beta.user}/tokens`), 404);
      expectScimError(await adminAs(acmeToken).post(`/admin/tenants/acme/users/${ids.beta.user}/tokens`, { name: 'x' }), 404);
      expectScimError(await adminAs(acmeToken).get(`/admin/tenants/beta/users/${ids.beta.user}/tokens`), 401);
      expectScimError(await adminAs(acmeToken).get(`/admin/users/${ids.acme.user}/tokens`), 401);
    });
  });
});
