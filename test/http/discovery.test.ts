import {
  ACCOUNT_URN, BASE, ENTERPRISE_URN, GROUP_URN, LOCALIZATION_URN, LIST_URN, USER_URN, expectScimError, startTestApp, type TestApp,
} from '../support/test-app';

const SCHEMA_URN = 'urn:ietf:params:scim:schemas:core:2.0:Schema';
const RESOURCE_TYPE_URN = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SPC_URN = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';

describe('discovery endpoints', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp({ maxPageSize: 250 }); });
  afterAll(() => t.close());

  describe('/ServiceProviderConfig', () => {
    it('says what this server really supports, with filter.maxResults = MAX_PAGE_SIZE', async () => {
      const res = await t.get('/ServiceProviderConfig');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(res.body.schemas).toEqual([SPC_URN]);
      expect(res.body.patch).toEqual({ supported: true });
      expect(res.body.filter).toEqual({ supported: true, maxResults: 250 });
      expect(res.body.sort).toEqual({ supported: true });
      expect(res.body.etag).toEqual({ supported: true });
      expect(res.body.changePassword).toEqual({ supported: true });
      // maxPayloadSize is the smaller of BULK_MAX_PAYLOAD_BYTES and MAX_BODY_BYTES (the body parser refuses first).
      expect(res.body.bulk).toEqual({ supported: true, maxOperations: 1000, maxPayloadSize: 1048576 });
      expect(res.body.pagination).toEqual({ cursor: true, index: true, defaultPaginationMethod: 'index', defaultPageSize: 250, maxPageSize: 250 });
      expect(res.body.authenticationSchemes).toEqual([
        expect.objectContaining({ type: 'oauthbearertoken', name: expect.any(String), description: expect.any(String) }),
      ]);
      expect(res.body.meta).toEqual({ resourceType: 'ServiceProviderConfig', location: expect.stringMatching(new RegExp(`${BASE}/ServiceProviderConfig$`)) });
    });

    it('is matched case-insensitively', async () => {
      expect((await t.get('/serviceproviderconfig')).body.schemas).toEqual([SPC_URN]);
    });

    it('advertises a bulk payload no larger than MAX_BODY_BYTES', async () => {
      const small = await startTestApp({ maxBodyBytes: 4096 });
      try {
        expect((await small.get('/ServiceProviderConfig')).body.bulk.maxPayloadSize).toBe(4096);
      } finally {
        await small.close();
      }
    });
  });

  describe('/ResourceTypes', () => {
    it('lists User (with the optional enterprise, Account and Localization extensions) and Group', async () => {
      const res = await t.get('/ResourceTypes');
      expect(res.status).toBe(200);
      expect(res.body.schemas).toEqual([LIST_URN]);
      expect(res.body.totalResults).toBe(2);
      expect(res.body.itemsPerPage).toBe(2);
      expect(res.body.startIndex).toBe(1);
      const byName = Object.fromEntries(res.body.Resources.map((r: { name: string }) => [r.name, r]));
      expect(byName.User).toMatchObject({
        schemas: [RESOURCE_TYPE_URN], id: 'User', endpoint: '/Users', schema: USER_URN,
        schemaExtensions: [
          { schema: ENTERPRISE_URN, required: false },
          { schema: ACCOUNT_URN, required: false },
          { schema: LOCALIZATION_URN, required: false },
        ],
        meta: { resourceType: 'ResourceType', location: expect.stringMatching(new RegExp(`${BASE}/ResourceTypes/User$`)) },
      });
      expect(byName.User.schemaExtensions).toHaveLength(3);
      expect(byName.Group).toMatchObject({ id: 'Group', endpoint: '/Groups', schema: GROUP_URN, schemaExtensions: [] });
    });

    it.each(['User', 'user', 'Group'])('returns one resource type at /ResourceTypes/%s', async (name) => {
      const res = await t.get(`/ResourceTypes/${name}`);
      expect(res.status).toBe(200);
      expect(res.body.schemas).toEqual([RESOURCE_TYPE_URN]);
      expect(res.body.name.toLowerCase()).toBe(name.toLowerCase());
      expect(res.body.meta.location).toMatch(new RegExp(`/ResourceTypes/${res.body.id}$`));
    });

    it('answers an unknown resource type with a SCIM 404', async () => {
      expectScimError(await t.get('/ResourceTypes/Printer'), 404);
    });
  });

  describe('/Schemas', () => {
    it('lists the five schemas: User, enterprise User, Account, Localization and Group', async () => {
      const res = await t.get('/Schemas');
      expect(res.status).toBe(200);
      expect(res.body.schemas).toEqual([LIST_URN]);
      expect(res.body.totalResults).toBe(5);
      const ids = res.body.Resources.map((s: { id: string }) => s.id);
      expect(ids.sort()).toEqual([ACCOUNT_URN, ENTERPRISE_URN, GROUP_URN, LOCALIZATION_URN, USER_URN].sort());
      for (const schema of res.body.Resources) {
        expect(schema.schemas).toEqual([SCHEMA_URN]);
        expect(Array.isArray(schema.attributes)).toBe(true);
        expect(schema.meta).toEqual({ resourceType: 'Schema', location: expect.stringContaining(`/Schemas/${schema.id}`) });
      }
    });

    it.each([USER_URN, ENTERPRISE_URN, ACCOUNT_URN, LOCALIZATION_URN, GROUP_URN])('returns %s at /Schemas/<urn>', async (urn) => {
      const res = await t.get(`/Schemas/${urn}`);
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(urn);
      expect(res.body.schemas).toEqual([SCHEMA_URN]);
      expect(res.body.attributes.length).toBeGreaterThan(0);
    });

    it('describes User.password as writeOnly and never returned', async () => {
      const res = await t.get(`/Schemas/${USER_URN}`);
      const password = res.body.attributes.find((a: { name: string }) => a.name === 'password');
      expect(password).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
    });

    it('describes the Account extension: status and accountType with their values, the timestamps read-only', async () => {
      const res = await t.get(`/Schemas/${ACCOUNT_URN}`);
      const byName = Object.fromEntries(res.body.attributes.map((a: { name: string }) => [a.name, a]));
      expect(Object.keys(byName).sort()).toEqual(['accountType', 'activatedAt', 'deactivatedAt', 'roles', 'status']);
      expect(byName.status).toMatchObject({ type: 'string', mutability: 'readWrite', canonicalValues: ['Created', 'Pending', 'Active', 'Inactive'] });
      expect(byName.accountType).toMatchObject({ mutability: 'readWrite', canonicalValues: ['Internal', 'External', 'ConfigAdmin', 'SuperAdmin', 'OneTimeCompletion'] });
      expect(byName.roles).toMatchObject({ type: 'string', multiValued: true });
      expect(byName.activatedAt).toMatchObject({ type: 'dateTime', mutability: 'readOnly' });
      expect(byName.deactivatedAt).toMatchObject({ type: 'dateTime', mutability: 'readOnly' });
    });

    it('answers an unknown schema with a SCIM 404', async () => {
      expectScimError(await t.get('/Schemas/urn:example:params:scim:schemas:none'), 404);
    });
  });
});
