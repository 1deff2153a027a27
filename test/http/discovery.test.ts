import request from 'supertest';
import {
  ACCOUNT_URN, BASE, ENTERPRISE_URN, GROUP_URN, LOCALIZATION_URN, LIST_URN, USER_URN, expectScimError, patchBody, startTestApp, userBody, type TestApp,
} from '../support/test-app';
import { operatorToken, scimClient, tenantWithToken, type ScimClient } from '../support/tenants';

const SCHEMA_URN = 'urn:ietf:params:scim:schemas:core:2.0:Schema';
const RESOURCE_TYPE_URN = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SPC_URN = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const GROUP_EXTENSION_URN = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Group';

interface Attribute {
  name: string;
  type: string;
  multiValued: boolean;
  required: boolean;
  mutability: string;
  returned: string;
  description?: string;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: Attribute[];
}
interface Schema { id: string; attributes: Attribute[] }

/** One attribute of a schema by path (`name.givenName`). */
function attributeAt(schema: Schema, path: string): Attribute {
  const [top, sub] = path.split('.');
  const found = schema.attributes.find((a) => a.name === top);
  const attribute = sub ? found?.subAttributes?.find((a) => a.name === sub) : found;
  if (!attribute) throw new Error(`${schema.id} has no ${path}`);
  return attribute;
}

/** Every path of a schema whose `required` is true. */
const requiredPaths = (schema: Schema): string[] => schema.attributes.flatMap((a) => [
  ...(a.required ? [a.name] : []),
  ...(a.subAttributes ?? []).filter((s) => s.required).map((s) => `${a.name}.${s.name}`),
]);

describe('discovery endpoints', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp({ maxPageSize: 250 }); });
  afterAll(() => t.close());

  const userSchema = async (client: Pick<ScimClient, 'get'> = t): Promise<Schema> => {
    const res = await client.get(`/Schemas/${USER_URN}`);
    expect(res.status).toBe(200);
    return res.body as Schema;
  };

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
      expect(res.body.meta).toEqual({ resourceType: 'ServiceProviderConfig', location: expect.stringMatching(new RegExp(`${BASE}/ServiceProviderConfig$`)) });
    });

    it('names both ways to authenticate: a bearer token (primary) and OAuth 2.0 client credentials', async () => {
      const res = await t.get('/ServiceProviderConfig');
      expect(res.body.authenticationSchemes).toEqual([
        expect.objectContaining({ type: 'oauthbearertoken', name: 'OAuth Bearer Token', specUri: 'https://www.rfc-editor.org/rfc/rfc6750', primary: true }),
        {
          type: 'oauth2',
          name: 'OAuth 2.0 client credentials',
          description: expect.stringMatching(/POST \/oauth\/token.*grant_type=client_credentials.*bearer token/),
          specUri: 'https://www.rfc-editor.org/rfc/rfc6749',
          primary: false,
        },
      ]);
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
    it('lists User (with the optional enterprise, Account and Localization extensions) and Group (with the optional Roster Group extension)', async () => {
      const res = await t.get('/ResourceTypes');
      expect(res.status).toBe(200);
      expect(res.body.schemas).toEqual([LIST_URN]);
      expect(res.body.totalResults).toBe(2);
      expect(res.body.itemsPerPage).toBe(2);
      expect(res.body.startIndex).toBe(1);
      const byName = Object.fromEntries(res.body.Resources.map((r: { name: string }) => [r.name, r]));
      expect(byName.User).toMatchObject({
        schemas: [RESOURCE_TYPE_URN], id: 'User', endpoint: '/Users', schema: USER_URN,
        meta: { resourceType: 'ResourceType', location: expect.stringMatching(new RegExp(`${BASE}/ResourceTypes/User$`)) },
      });
      expect(byName.User.schemaExtensions).toEqual([
        { schema: ENTERPRISE_URN, required: false },
        { schema: ACCOUNT_URN, required: false },
        { schema: LOCALIZATION_URN, required: false },
      ]);
      expect(byName.Group).toMatchObject({ id: 'Group', endpoint: '/Groups', schema: GROUP_URN });
      expect(byName.Group.schemaExtensions).toEqual([{ schema: GROUP_EXTENSION_URN, required: false }]);
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
    it('lists exactly the schemas the resource types name, each once', async () => {
      const types = (await t.get('/ResourceTypes')).body.Resources as { schema: string; schemaExtensions: { schema: string }[] }[];
      const named = types.flatMap((rt) => [rt.schema, ...rt.schemaExtensions.map((e) => e.schema)]);
      const res = await t.get('/Schemas');
      expect(res.status).toBe(200);
      expect(res.body.schemas).toEqual([LIST_URN]);
      expect(res.body.totalResults).toBe(named.length);
      expect(res.body.Resources.map((s: { id: string }) => s.id).sort()).toEqual([...named].sort());
      expect(named).toEqual(expect.arrayContaining([USER_URN, ENTERPRISE_URN, ACCOUNT_URN, LOCALIZATION_URN, GROUP_URN, GROUP_EXTENSION_URN]));
      for (const schema of res.body.Resources) {
        expect(schema.schemas).toEqual([SCHEMA_URN]);
        expect(Array.isArray(schema.attributes)).toBe(true);
        expect(schema.meta).toEqual({ resourceType: 'Schema', location: expect.stringContaining(`/Schemas/${schema.id}`) });
      }
    });

    it.each([USER_URN, ENTERPRISE_URN, ACCOUNT_URN, LOCALIZATION_URN, GROUP_URN, GROUP_EXTENSION_URN])('returns %s at /Schemas/<urn>', async (urn) => {
      const res = await t.get(`/Schemas/${urn}`);
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(urn);
      expect(res.body.schemas).toEqual([SCHEMA_URN]);
      expect(res.body.attributes.length).toBeGreaterThan(0);
    });

    it('serves the same User schema in the list and at /Schemas/<urn>', async () => {
      // supertest listens on a new port for each request: the locations differ by it alone.
      const { meta: listedMeta, ...listed } = (await t.get('/Schemas')).body.Resources.find((s: Schema) => s.id === USER_URN);
      const { meta, ...single } = (await t.get(`/Schemas/${USER_URN}`)).body;
      expect(listed).toEqual(single);
      expect(new URL(listedMeta.location).pathname).toBe(new URL(meta.location).pathname);
    });

    it('describes the Account extension: status and accountType with their values, the timestamps read-only', async () => {
      const res = await t.get(`/Schemas/${ACCOUNT_URN}`);
      const byName = Object.fromEntries(res.body.attributes.map((a: { name: string }) => [a.name, a]));
      expect(Object.keys(byName)).toEqual(expect.arrayContaining(['accountType', 'activatedAt', 'deactivatedAt', 'roles', 'status']));
      expect(byName.status).toMatchObject({ type: 'string', mutability: 'readWrite', canonicalValues: ['Created', 'Pending', 'Active', 'Inactive'] });
      expect(byName.accountType).toMatchObject({ mutability: 'readWrite', canonicalValues: ['Internal', 'External', 'ConfigAdmin', 'SuperAdmin', 'OneTimeCompletion'] });
      expect(byName.roles).toMatchObject({ type: 'string', multiValued: true });
      expect(byName.activatedAt).toMatchObject({ type: 'dateTime', mutability: 'readOnly' });
      expect(byName.deactivatedAt).toMatchObject({ type: 'dateTime', mutability: 'readOnly' });
    });

    it('says the core roles and the Account roles are one concept', async () => {
      expect(attributeAt(await userSchema(), 'roles').description).toBe(
        "Roles of a ConfigAdmin account (at most MAX_ROLES). Kept in agreement with the Account extension's roles: the values of these are those roles; write either.");
    });

    it('answers an unknown schema with a SCIM 404', async () => {
      expectScimError(await t.get('/Schemas/urn:example:params:scim:schemas:none'), 404);
    });
  });

  describe('/Schemas says what the tenant requires (REQUIRED_USER_ATTRIBUTES)', () => {
    it('by default: userName, name with givenName and familyName, and emails with a value', async () => {
      const schema = await userSchema();
      expect(requiredPaths(schema).sort()).toEqual(['emails', 'emails.value', 'name', 'name.familyName', 'name.givenName', 'userName']);
    });

    it.each([
      [['emails'], ['emails', 'emails.value', 'userName']],
      [['name.familyName'], ['name', 'name.familyName', 'userName']],
      [[], ['userName']],
    ])('with REQUIRED_USER_ATTRIBUTES=%j: %j', async (required, paths) => {
      const server = await startTestApp({ requiredUserAttributes: required as never });
      try {
        expect(requiredPaths(await userSchema(server)).sort()).toEqual(paths);
      } finally {
        await server.close();
      }
    });

    it('requires nothing of the Group but displayName', async () => {
      const group = (await t.get(`/Schemas/${GROUP_URN}`)).body as Schema;
      expect(requiredPaths(group)).toEqual(['displayName']);
    });

    describe("per tenant, after the tenant's own settings", () => {
      let operator: string;
      let relaxed: ScimClient;
      const admin = (path: string, body: object) => request(t.app).patch(`/admin/tenants${path}`).set('Authorization', `Bearer ${operator}`).send(body);

      beforeAll(async () => {
        operator = await operatorToken(t);
        relaxed = scimClient(t, await tenantWithToken(t, operator, 'relaxed', { requiredUserAttributes: [] }), '/scim/v2/tenants/relaxed');
      });

      it('a tenant that requires none shows only userName required, in the list and at /Schemas/<urn>', async () => {
        expect(requiredPaths(await userSchema(relaxed))).toEqual(['userName']);
        const listed = (await relaxed.get('/Schemas')).body.Resources.find((s: Schema) => s.id === USER_URN) as Schema;
        expect(requiredPaths(listed)).toEqual(['userName']);
      });

      it('and accepts the user that schema describes, which the server default would refuse', async () => {
        expect((await relaxed.post('/Users', { schemas: [USER_URN], userName: 'svc-backup' })).status).toBe(201);
        expectScimError(await t.post('/Users', { schemas: [USER_URN], userName: 'svc-backup' }), 400, 'invalidValue');
      });

      it('leaves the other tenants as they were', async () => {
        expect(requiredPaths(await userSchema()).sort()).toEqual(['emails', 'emails.value', 'name', 'name.familyName', 'name.givenName', 'userName']);
      });

      it('follows a change of the setting at once', async () => {
        expect((await admin('/relaxed', { settings: { requiredUserAttributes: ['emails'] } })).status).toBe(200);
        expect(requiredPaths(await userSchema(relaxed)).sort()).toEqual(['emails', 'emails.value', 'userName']);
        expect((await admin('/relaxed', { settings: { requiredUserAttributes: [] } })).status).toBe(200);
        expect(requiredPaths(await userSchema(relaxed))).toEqual(['userName']);
      });

      it('marks userName immutable where USERNAME_IMMUTABLE holds, and says so; the server refuses a change there', async () => {
        const strict = scimClient(t, await tenantWithToken(t, operator, 'strict', { usernameImmutable: true }), '/scim/v2/tenants/strict');
        const userName = attributeAt(await userSchema(strict), 'userName');
        expect(userName).toMatchObject({ required: true, mutability: 'immutable' });
        expect(userName.description).toMatch(/cannot be changed once the user exists \(USERNAME_IMMUTABLE=true\)/);
        expect(attributeAt(await userSchema(), 'userName').mutability).toBe('readWrite');

        const created = await strict.post('/Users', userBody('ana'));
        expect(created.status).toBe(201);
        expectScimError(await strict.patch(`/Users/${created.body.id}`, patchBody({ op: 'replace', path: 'userName', value: 'anna' })), 400, 'mutability');
      });

      it('says where USERNAME_FORMAT=email holds that a userName is an email address; the server refuses another', async () => {
        const mail = scimClient(t, await tenantWithToken(t, operator, 'mail', { usernameFormat: 'email' }), '/scim/v2/tenants/mail');
        expect(attributeAt(await userSchema(mail), 'userName').description).toMatch(/must be an email address such as ada@example\.com \(USERNAME_FORMAT=email\)/);
        expect(attributeAt(await userSchema(), 'userName').description).not.toMatch(/USERNAME_FORMAT/);

        const refused = expectScimError(await mail.post('/Users', userBody('ana')), 400, 'invalidValue');
        expect(refused.detail).toMatch(/"ana" is not an email address/);
        expect((await mail.post('/Users', userBody('ana@example.com'))).status).toBe(201);
      });
    });
  });

  describe('every read-only, immutable and write-only mark of the core schemas is what the server does', () => {
    /** Each mark that is not readWrite, and each returned that is not default: the request that proves it. */
    const PROOFS: Record<string, () => Promise<void>> = {
      'User.password writeOnly never': async () => {
        const created = await t.post('/Users', userBody('pw.user', { password: 'correct horse battery' }));
        expect(created.status).toBe(201);
        expect(created.body).not.toHaveProperty('password');
        expect((await t.get(`/Users/${created.body.id}`)).body).not.toHaveProperty('password');
        expect((await t.get(`/Users/${created.body.id}?attributes=password`)).body).not.toHaveProperty('password');
        expectScimError(await t.get(`/Users?filter=${encodeURIComponent('password eq "correct horse battery"')}`), 400);
      },
      'User.groups readOnly default': async () => {
        const group = await t.post('/Groups', { schemas: [GROUP_URN], displayName: 'Proof of groups' });
        const created = await t.post('/Users', userBody('groups.user', { groups: [{ value: group.body.id }] }));
        // Sent groups are ignored on a write (RFC 7644 §3.5.1), and refused when a PATCH targets them.
        expect(created.status).toBe(201);
        expect(created.body.groups ?? []).toEqual([]);
        expect((await t.get(`/Groups/${group.body.id}`)).body.members ?? []).toEqual([]);
        expectScimError(await t.patch(`/Users/${created.body.id}`, patchBody({ op: 'add', path: 'groups', value: [{ value: group.body.id }] })), 400, 'mutability');
      },
      'Group.members.value immutable default': async () => {
        const { user, group } = await groupWithMember('value');
        const path = `members[value eq "${user}"].value`;
        expectScimError(await t.patch(`/Groups/${group}`, patchBody({ op: 'replace', path, value: 'another' })), 400, 'mutability');
      },
      'Group.members.$ref readOnly default': async () => {
        const user = await t.post('/Users', userBody('ref.member'));
        const group = await t.post('/Groups', { schemas: [GROUP_URN], displayName: 'Proof of $ref', members: [{ value: user.body.id, $ref: 'https://elsewhere.example/Users/x' }] });
        expect(group.status).toBe(201);
        expect(group.body.members[0].$ref).toMatch(new RegExp(`/Users/${user.body.id}$`));
      },
      'Group.members.type immutable default': async () => {
        const { user, group } = await groupWithMember('type');
        expectScimError(await t.patch(`/Groups/${group}`, patchBody({ op: 'replace', path: `members[value eq "${user}"].type`, value: 'Group' })), 400, 'mutability');
        expectScimError(await t.post('/Groups', { schemas: [GROUP_URN], displayName: 'Nested', members: [{ value: group, type: 'Group' }] }), 400, 'invalidValue');
      },
      'Group.members.display readOnly default': async () => {
        const user = await t.post('/Users', userBody('display.member', { displayName: 'Real Name' }));
        const group = await t.post('/Groups', { schemas: [GROUP_URN], displayName: 'Proof of display', members: [{ value: user.body.id, display: 'Made Up' }] });
        expect(group.status).toBe(201);
        expect(group.body.members[0].display).toBe('Real Name');
      },
    };

    const groupWithMember = async (label: string) => {
      const user = await t.post('/Users', userBody(`${label}.member`));
      const group = await t.post('/Groups', { schemas: [GROUP_URN], displayName: `Proof of ${label}`, members: [{ value: user.body.id }] });
      expect(group.status).toBe(201);
      return { user: user.body.id as string, group: group.body.id as string };
    };

    /** `Resource.path mutability returned` for each mark worth proving; a read-only parent covers its sub-attributes. */
    const marks = async () => {
      const found: string[] = [];
      for (const [resource, urn] of [['User', USER_URN], ['Group', GROUP_URN]]) {
        const schema = (await t.get(`/Schemas/${urn}`)).body as Schema;
        for (const attribute of schema.attributes) {
          const notable = (a: Attribute) => a.mutability !== 'readWrite' || a.returned !== 'default';
          if (notable(attribute)) found.push(`${resource}.${attribute.name} ${attribute.mutability} ${attribute.returned}`);
          if (attribute.mutability === 'readOnly') continue;
          for (const sub of attribute.subAttributes ?? []) {
            if (notable(sub)) found.push(`${resource}.${attribute.name}.${sub.name} ${sub.mutability} ${sub.returned}`);
          }
        }
      }
      return found.sort();
    };

    it('has a proof for every such mark, and no proof of a mark the schemas do not make', async () => {
      expect(await marks()).toEqual(Object.keys(PROOFS).sort());
    });

    it.each(Object.keys(PROOFS))('%s', async (mark) => {
      await PROOFS[mark]();
    });

    it('ignores the common attributes id and meta a client sends (read-only, RFC 7643 §3.1)', async () => {
      const created = await t.post('/Users', userBody('common.user', { id: 'chosen-by-client', meta: { created: '2000-01-01T00:00:00Z' } }));
      expect(created.status).toBe(201);
      expect(created.body.id).not.toBe('chosen-by-client');
      expect(created.body.meta.created).not.toBe('2000-01-01T00:00:00Z');
    });

    it('says nested groups do not exist: members are users, a user\'s groups are direct', async () => {
      const group = (await t.get(`/Schemas/${GROUP_URN}`)).body as Schema;
      expect(attributeAt(group, 'members.type').canonicalValues).toEqual(['User']);
      expect(attributeAt(group, 'members.$ref').referenceTypes).toEqual(['User']);
      const user = await userSchema();
      expect(attributeAt(user, 'groups.type').canonicalValues).toEqual(['direct']);
      expect(attributeAt(user, 'groups.$ref').referenceTypes).toEqual(['Group']);
    });

    it('keeps the display of an email, phone number or role as sent (readWrite, as marked)', async () => {
      const created = await t.post('/Users', userBody('display.user', { phoneNumbers: [{ value: '+1 555 0100', display: 'Desk' }] }));
      expect(created.status).toBe(201);
      expect(created.body.phoneNumbers).toEqual([{ value: '+1 555 0100', display: 'Desk' }]);
      for (const path of ['emails.display', 'phoneNumbers.display', 'roles.display']) {
        expect(attributeAt(await userSchema(), path)).toMatchObject({ mutability: 'readWrite' });
        expect(attributeAt(await userSchema(), path).description).not.toMatch(/READ-ONLY/);
      }
    });
  });
});
