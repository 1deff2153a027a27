import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  ACCOUNT_URN, BASE, ENTERPRISE_URN, ERROR_URN, GROUP_URN, LIST_URN, PATCH_URN, USER_URN, startTestApp, type TestApp,
} from '../support/test-app';

/**
 * Microsoft Entra ID as a SCIM client, request by request, with the payloads Microsoft documents
 * (MicrosoftDocs: use-scim-to-provision-users-and-groups.md, application-provisioning-config-
 * problem-scim-compatibility.md). Entra runs without the aadOptscim062020 flag by default
 * (capitalised ops, booleans as strings, member removal by value list) and with it (lowercase
 * ops, real booleans, no-path replaces with dotted and URN-prefixed keys); both must work.
 * Every test checks what Entra relies on, then reads the stored result back.
 */

const ADSCIM_GROUP = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';
const MANAGER = `${ENTERPRISE_URN}:manager`;

interface Resource { id: string; meta: { version: string }; [key: string]: unknown }

describe('Microsoft Entra ID', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => t.close());

  /** A request as Entra sends it: bearer token, application/scim+json, the JSON text as written. */
  const entra = (method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, body?: object) => {
    const test = request(t.app)[method](BASE + path).set('Authorization', `Bearer ${t.token}`).set('Accept', 'application/scim+json');
    return body === undefined ? test : test.set('Content-Type', 'application/scim+json').send(JSON.stringify(body));
  };
  const patchOp = (...operations: object[]) => ({ schemas: [PATCH_URN], Operations: operations });
  const read = async (path: string): Promise<Resource> => {
    const res = await entra('get', path);
    expect(res.status).toBe(200);
    return res.body as Resource;
  };
  const filterUsers = (filter: string) => entra('get', `/Users?filter=${encodeURIComponent(filter)}`);

  /** Entra's documented Create User body, for a fresh userName. */
  const createUserBody = (extra: object = {}) => {
    const tag = randomUUID();
    return {
      schemas: [USER_URN, ENTERPRISE_URN],
      externalId: randomUUID(),
      userName: `Test_User_${tag}`,
      active: true,
      emails: [{ primary: true, type: 'work', value: `Test_User_${tag}@testuser.com` }],
      meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      roles: [],
      ...extra,
    };
  };
  const createUser = async (extra: object = {}): Promise<Resource> => {
    const res = await entra('post', '/Users', createUserBody(extra));
    expect(res.status).toBe(201);
    return res.body as Resource;
  };
  const createGroup = async (displayName = `Group ${randomUUID()}`) => {
    const res = await entra('post', '/Groups', { schemas: [GROUP_URN, ADSCIM_GROUP], externalId: randomUUID(), displayName, meta: { resourceType: 'Group' } });
    expect(res.status).toBe(201);
    return res.body as Resource & { displayName: string };
  };
  const memberIds = async (groupId: string) =>
    (((await read(`/Groups/${groupId}`)).members ?? []) as { value: string }[]).map((m) => m.value).sort();

  describe('test connection and matching', () => {
    it.each([
      ['+ for spaces', (guid: string) => `/Users?filter=userName+eq+%22${guid}%22`],
      ['%20 for spaces', (guid: string) => `/Users?filter=userName%20eq%20%22${guid}%22`],
    ])('answers the random-GUID userName filter (%s) with 200 and an empty ListResponse', async (_label, path) => {
      const res = await entra('get', path(randomUUID()));
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(res.body).toEqual({ schemas: [LIST_URN], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
    });

    it('finds a user by userName (any case, + for spaces), externalId, and emails[type eq "work"].value', async () => {
      const body = createUserBody();
      const user = await createUser(body);
      for (const path of [
        `/Users?filter=userName+eq+%22${encodeURIComponent(body.userName.toUpperCase())}%22`,
        `/Users?filter=${encodeURIComponent(`externalId eq "${body.externalId}"`)}`,
        `/Users?filter=${encodeURIComponent(`emails[type eq "work"].value eq "${body.emails[0].value}"`)}`,
      ]) {
        const res = await entra('get', path);
        expect(res.status).toBe(200);
        expect(res.body.totalResults).toBe(1);
        expect(res.body.Resources[0].id).toBe(user.id);
        expect(res.body.Resources[0].userName).toBe(body.userName);
      }
    });
  });

  describe('Create User', () => {
    it('creates the documented body: 201 echoing userName, externalId, name, emails and active; roles: [] and meta are accepted', async () => {
      const body = createUserBody();
      const res = await entra('post', '/Users', body);
      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(res.body).toMatchObject({
        externalId: body.externalId, userName: body.userName, active: true, name: body.name,
        emails: [{ value: body.emails[0].value, type: 'work', primary: true }],
      });
      // The enterprise URN in schemas holds no attribute: the response lists only the schemas in use.
      expect(res.body.schemas).toEqual([USER_URN, ACCOUNT_URN]);
      expect(res.body.roles ?? []).toEqual([]);
      expect(await read(`/Users/${res.body.id}`)).toMatchObject({ userName: body.userName, externalId: body.externalId, active: true });
    });

    it.each([['"True"', 'True', true, 'Active'], ['"true"', 'true', true, 'Active'], ['"False"', 'False', false, 'Created']])(
      'reads "active": %s as a boolean', async (_label, active, expected, status) => {
        const user = await createUser({ active });
        expect(user.active).toBe(expected);
        expect((user[ACCOUNT_URN] as { status: string }).status).toBe(status);
        expect((await read(`/Users/${user.id}`)).active).toBe(expected);
      });

    it('reads "primary": "True" in emails as a boolean', async () => {
      const body = createUserBody();
      const user = await createUser({ emails: [{ primary: 'True', type: 'work', value: body.emails[0].value }] });
      expect((await read(`/Users/${user.id}`)).emails).toEqual([{ primary: true, type: 'work', value: body.emails[0].value }]);
    });

    it('stores a manager sent as a bare id in the enterprise extension as {value}', async () => {
      const manager = await createUser();
      const user = await createUser({ [ENTERPRISE_URN]: { employeeNumber: '701', manager: manager.id } });
      expect(user[ENTERPRISE_URN]).toEqual({ employeeNumber: '701', manager: { value: manager.id } });
      expect((await read(`/Users/${user.id}`))[ENTERPRISE_URN]).toEqual({ employeeNumber: '701', manager: { value: manager.id } });
    });

    it('refuses a userName that is already taken with 409 and the Error schema', async () => {
      const body = createUserBody();
      await createUser(body);
      const res = await entra('post', '/Users', { ...body, externalId: randomUUID() });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ schemas: [ERROR_URN], status: '409', scimType: 'uniqueness' });
    });
  });

  describe('Update User (PATCH)', () => {
    it('applies the "replace multiple attributes" request without the flag (capitalised ops, one path each)', async () => {
      const user = await createUser();
      const res = await entra('patch', `/Users/${user.id}`, patchOp(
        { op: 'Replace', path: 'displayName', value: 'Pvlo' },
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'TestBcwqnm@test.microsoft.com' },
        { op: 'Replace', path: 'name.givenName', value: 'Gtfd' },
        { op: 'Replace', path: 'name.familyName', value: 'Pkqf' },
        { op: 'Replace', path: 'externalId', value: 'Eqpj' },
        { op: 'Replace', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber', value: 'Eqpj' },
      ));
      expect(res.status).toBe(200);
      const stored = await read(`/Users/${user.id}`);
      expect(stored).toMatchObject({
        displayName: 'Pvlo', externalId: 'Eqpj',
        name: { formatted: 'givenName familyName', givenName: 'Gtfd', familyName: 'Pkqf' },
        emails: [{ primary: true, type: 'work', value: 'TestBcwqnm@test.microsoft.com' }],
        [ENTERPRISE_URN]: { employeeNumber: 'Eqpj' },
      });
      expect(stored.meta.version).toBe('W/"2"');
    });

    it('applies the same request with the flag: one value path, then a no-path replace with dotted and URN-prefixed keys', async () => {
      const user = await createUser();
      const res = await entra('patch', `/Users/${user.id}`, patchOp(
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'TestMhvaes@test.microsoft.com' },
        { op: 'replace', value: {
          displayName: 'Bjfe',
          'name.givenName': 'Kkom',
          'name.familyName': 'Unua',
          'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber': 'Aklq',
        } },
      ));
      expect(res.status).toBe(200);
      const stored = await read(`/Users/${user.id}`);
      expect(stored).toMatchObject({
        displayName: 'Bjfe',
        name: { formatted: 'givenName familyName', givenName: 'Kkom', familyName: 'Unua' },
        emails: [{ primary: true, type: 'work', value: 'TestMhvaes@test.microsoft.com' }],
        [ENTERPRISE_URN]: { employeeNumber: 'Aklq' },
      });
      expect(stored).not.toHaveProperty(['name.givenName']);
    });

    it.each([
      ['Add', 'add'], ['Replace', 'replace'],
    ])('%s on emails[type eq "work"].value creates the work email when the user has none', async (op) => {
      const body = createUserBody();
      const user = await createUser({ emails: [{ type: 'home', value: `home.${body.emails[0].value}` }] });
      const res = await entra('patch', `/Users/${user.id}`, patchOp({ op, path: 'emails[type eq "work"].value', value: body.emails[0].value }));
      expect(res.status).toBe(200);
      expect((await read(`/Users/${user.id}`)).emails).toEqual([
        { type: 'home', value: `home.${body.emails[0].value}` },
        { type: 'work', value: body.emails[0].value },
      ]);
    });

    it('adds a single-valued string attribute with "Add"', async () => {
      const user = await createUser();
      expect((await entra('patch', `/Users/${user.id}`, patchOp({ op: 'Add', path: 'nickName', value: 'Babs' }))).status).toBe(200);
      expect((await read(`/Users/${user.id}`)).nickName).toBe('Babs');
    });

    it('applies "primary": "True" through a value path', async () => {
      const user = await createUser();
      const work = (user.emails as { value: string }[])[0].value;
      await entra('patch', `/Users/${user.id}`, patchOp({ op: 'Add', path: 'emails', value: [{ type: 'home', value: `h.${work}` }] }));
      const res = await entra('patch', `/Users/${user.id}`, patchOp({ op: 'Replace', path: 'emails[type eq "home"].primary', value: 'True' }));
      expect(res.status).toBe(200);
      expect((await read(`/Users/${user.id}`)).emails).toEqual([
        { primary: false, type: 'work', value: work },
        { type: 'home', value: `h.${work}`, primary: true },
      ]);
    });
  });

  describe('Disable and enable', () => {
    it('disables with "Replace" active "False" (no flag): 200, stored inactive, and GET still returns the user', async () => {
      const user = await createUser();
      const res = await entra('patch', `/Users/${user.id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' }));
      expect(res.status).toBe(200);
      expect(res.body.active).toBe(false);
      const stored = await read(`/Users/${user.id}`);
      expect(stored.active).toBe(false);
      expect(stored[ACCOUNT_URN]).toMatchObject({ status: 'Inactive', deactivatedAt: expect.any(String) });
    });

    it('disables with "replace" active false (flag), and enables again with "True"', async () => {
      const user = await createUser();
      expect((await entra('patch', `/Users/${user.id}`, patchOp({ op: 'replace', path: 'active', value: false }))).status).toBe(200);
      expect((await read(`/Users/${user.id}`)).active).toBe(false);
      expect((await entra('patch', `/Users/${user.id}`, patchOp({ op: 'Replace', path: 'active', value: 'True' }))).status).toBe(200);
      const stored = await read(`/Users/${user.id}`);
      expect(stored.active).toBe(true);
      expect((stored[ACCOUNT_URN] as { status: string }).status).toBe('Active');
    });

    it.each([
      ['"True" (no flag)', { op: 'Replace', path: 'active', value: 'True' }],
      ['true (flag)', { op: 'replace', path: 'active', value: true }],
      ['"true" in a no-path value', { op: 'replace', value: { active: 'true' } }],
    ])('answers a re-sent enable with %s on an active user with 200 and no new version', async (_label, operation) => {
      const user = await createUser();
      for (let i = 0; i < 2; i++) {
        const res = await entra('patch', `/Users/${user.id}`, patchOp(operation));
        expect(res.status).toBe(200);
        expect(res.body.meta.version).toBe(user.meta.version);
      }
      expect((await read(`/Users/${user.id}`)).meta.version).toBe(user.meta.version);
    });

    it('refuses a string that is no boolean: 400 invalidValue, nothing changed', async () => {
      const user = await createUser();
      const res = await entra('patch', `/Users/${user.id}`, patchOp({ op: 'Replace', path: 'active', value: 'Nope' }));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ schemas: [ERROR_URN], scimType: 'invalidValue' });
      expect((await read(`/Users/${user.id}`)).meta.version).toBe(user.meta.version);
    });
  });

  describe('manager', () => {
    const managerOf = async (id: string) => ((await read(`/Users/${id}`))[ENTERPRISE_URN] as { manager?: unknown } | undefined)?.manager;

    it('sets, changes and keeps the manager sent as a bare id with "Add", always returning an object', async () => {
      const [first, second, user] = [await createUser(), await createUser(), await createUser()];
      const set = await entra('patch', `/Users/${user.id}`, patchOp({ op: 'Add', path: MANAGER, value: first.id }));
      expect(set.status).toBe(200);
      expect(set.body[ENTERPRISE_URN]).toEqual({ manager: { value: first.id } });
      expect(set.body.schemas).toContain(ENTERPRISE_URN);
      expect(await managerOf(user.id)).toEqual({ value: first.id });

      const changed = await entra('patch', `/Users/${user.id}`, patchOp({ op: 'Replace', path: MANAGER, value: second.id }));
      expect(changed.status).toBe(200);
      expect(await managerOf(user.id)).toEqual({ value: second.id });

      // Entra re-sends the same manager in later cycles: no change, no new version.
      const version = (await read(`/Users/${user.id}`)).meta.version;
      const again = await entra('patch', `/Users/${user.id}`, patchOp({ op: 'Add', path: MANAGER, value: second.id }));
      expect(again.status).toBe(200);
      expect(again.body.meta.version).toBe(version);
    });

    it('replaces a manager that had a $ref as a whole: the old $ref does not stay with the new id', async () => {
      const [first, second] = [await createUser(), await createUser()];
      const user = await createUser({ [ENTERPRISE_URN]: { manager: { value: first.id, $ref: `https://example.com/Users/${first.id}` } } });
      await entra('patch', `/Users/${user.id}`, patchOp({ op: 'Add', path: MANAGER, value: second.id }));
      expect(await managerOf(user.id)).toEqual({ value: second.id });
    });

    it('sets the manager from a no-path value with a URN-prefixed key', async () => {
      const [manager, user] = [await createUser(), await createUser()];
      expect((await entra('patch', `/Users/${user.id}`, patchOp({ op: 'add', value: { [MANAGER]: manager.id } }))).status).toBe(200);
      expect(await managerOf(user.id)).toEqual({ value: manager.id });
    });

    it.each([
      ['path urn:…:manager[value eq "<id>"]', (id: string) => ({ op: 'Remove', path: `${MANAGER}[value eq "${id}"]` })],
      ['path urn:…:manager', () => ({ op: 'Remove', path: MANAGER })],
      ['"Replace" with null', () => ({ op: 'Replace', path: MANAGER, value: null })],
      ['"Replace" with ""', () => ({ op: 'Replace', path: MANAGER, value: '' })],
    ])('removes the manager with %s', async (_label, operation) => {
      const manager = await createUser();
      const user = await createUser({ [ENTERPRISE_URN]: { department: 'R&D', manager: manager.id } });
      const res = await entra('patch', `/Users/${user.id}`, patchOp(operation(manager.id)));
      expect(res.status).toBe(200);
      expect((await read(`/Users/${user.id}`))[ENTERPRISE_URN]).toEqual({ department: 'R&D' });
    });

    it('removes nothing when the value filter names another manager (200, no new version)', async () => {
      const manager = await createUser();
      const user = await createUser({ [ENTERPRISE_URN]: { manager: manager.id } });
      const res = await entra('patch', `/Users/${user.id}`, patchOp({ op: 'Remove', path: `${MANAGER}[value eq "${randomUUID()}"]` }));
      expect(res.status).toBe(200);
      const stored = await read(`/Users/${user.id}`);
      expect(stored[ENTERPRISE_URN]).toEqual({ manager: { value: manager.id } });
      expect(stored.meta.version).toBe(user.meta.version);
    });

    it('accepts a bare id in a PUT body', async () => {
      const [manager, user] = [await createUser(), await createUser()];
      const { id: _id, meta: _meta, ...body } = await read(`/Users/${user.id}`);
      const res = await entra('put', `/Users/${user.id}`, { ...body, [ENTERPRISE_URN]: { manager: manager.id } });
      expect(res.status).toBe(200);
      expect(await managerOf(user.id)).toEqual({ value: manager.id });
    });
  });

  describe('Groups', () => {
    it('creates a group whose schemas include Entra\'s ADSCIM URN: 201, and only real schemas are echoed', async () => {
      const externalId = randomUUID();
      const res = await entra('post', '/Groups', {
        schemas: [GROUP_URN, ADSCIM_GROUP], externalId, displayName: `displayName ${externalId}`, meta: { resourceType: 'Group' },
      });
      expect(res.status).toBe(201);
      expect(res.body.schemas).toEqual([GROUP_URN]);
      expect(res.body).toMatchObject({ externalId, displayName: `displayName ${externalId}`, members: [] });
      expect((await read(`/Groups/${res.body.id}`)).schemas).toEqual([GROUP_URN]);
    });

    it('accepts the ADSCIM URN in a PUT too', async () => {
      const group = await createGroup();
      const res = await entra('put', `/Groups/${group.id}`, { schemas: [GROUP_URN, ADSCIM_GROUP], displayName: `${group.displayName} renamed` });
      expect(res.status).toBe(200);
      expect(res.body.schemas).toEqual([GROUP_URN]);
      expect((await read(`/Groups/${group.id}`)).displayName).toBe(`${group.displayName} renamed`);
    });

    it('finds the group with GET /Groups?excludedAttributes=members&filter=displayName eq "…", without members', async () => {
      const user = await createUser();
      const group = await createGroup();
      await entra('patch', `/Groups/${group.id}`, patchOp({ op: 'Add', path: 'members', value: [{ $ref: null, value: user.id }] }));
      const res = await entra('get', `/Groups?excludedAttributes=members&filter=${encodeURIComponent(`displayName eq "${group.displayName}"`)}`);
      expect(res.status).toBe(200);
      expect(res.body.totalResults).toBe(1);
      expect(res.body.Resources[0]).toMatchObject({ id: group.id, displayName: group.displayName, schemas: [GROUP_URN] });
      expect(res.body.Resources[0]).not.toHaveProperty('members');
      const one = await entra('get', `/Groups/${group.id}?excludedAttributes=members`);
      expect(one.status).toBe(200);
      expect(one.body).not.toHaveProperty('members');
    });

    it('answers a displayName filter that matches nothing with 200 and an empty list', async () => {
      const res = await entra('get', `/Groups?excludedAttributes=members&filter=${encodeURIComponent(`displayName eq "${randomUUID()}"`)}`);
      expect(res.status).toBe(200);
      expect(res.body.totalResults).toBe(0);
      expect(res.body.Resources).toEqual([]);
    });

    it('renames with "Replace" path displayName', async () => {
      const group = await createGroup();
      const res = await entra('patch', `/Groups/${group.id}`, patchOp({ op: 'Replace', path: 'displayName', value: `${group.id}updatedDisplayName` }));
      expect([200, 204]).toContain(res.status);
      expect((await read(`/Groups/${group.id}`)).displayName).toBe(`${group.id}updatedDisplayName`);
    });

    it('adds members sent with "$ref": null', async () => {
      const [a, b] = [await createUser(), await createUser()];
      const group = await createGroup();
      const res = await entra('patch', `/Groups/${group.id}`, patchOp({ op: 'Add', path: 'members', value: [{ $ref: null, value: a.id }, { $ref: null, value: b.id }] }));
      expect([200, 204]).toContain(res.status);
      expect(await memberIds(group.id)).toEqual([a.id, b.id].sort());
    });

    it('removes only the listed members with "Remove" path members and a value list (no flag)', async () => {
      const [a, b, c] = [await createUser(), await createUser(), await createUser()];
      const group = await createGroup();
      await entra('patch', `/Groups/${group.id}`, patchOp({ op: 'Add', path: 'members', value: [a, b, c].map((u) => ({ $ref: null, value: u.id })) }));
      const res = await entra('patch', `/Groups/${group.id}`, patchOp({ op: 'Remove', path: 'members', value: [{ $ref: null, value: b.id }] }));
      expect([200, 204]).toContain(res.status);
      expect(await memberIds(group.id)).toEqual([a.id, c.id].sort());
      // The documented form without $ref too.
      await entra('patch', `/Groups/${group.id}`, patchOp({ op: 'Remove', path: 'members', value: [{ value: a.id }] }));
      expect(await memberIds(group.id)).toEqual([c.id]);
    });

    it('removes one member with path members[value eq "…"] (flag)', async () => {
      const [a, b] = [await createUser(), await createUser()];
      const group = await createGroup();
      await entra('patch', `/Groups/${group.id}`, patchOp({ op: 'Add', path: 'members', value: [{ $ref: null, value: a.id }, { $ref: null, value: b.id }] }));
      const res = await entra('patch', `/Groups/${group.id}`, patchOp({ op: 'remove', path: `members[value eq "${a.id}"]` }));
      expect([200, 204]).toContain(res.status);
      expect(await memberIds(group.id)).toEqual([b.id]);
    });

    it('deletes a group with 204', async () => {
      const group = await createGroup();
      expect((await entra('delete', `/Groups/${group.id}`)).status).toBe(204);
      expect((await entra('get', `/Groups/${group.id}`)).status).toBe(404);
    });
  });

  describe('Delete User', () => {
    it('deletes with 204, after which GET is 404 and the userName filter is an empty 200', async () => {
      const body = createUserBody();
      const user = await createUser(body);
      expect((await entra('delete', `/Users/${user.id}`)).status).toBe(204);
      expect((await entra('get', `/Users/${user.id}`)).status).toBe(404);
      const res = await filterUsers(`userName eq "${body.userName}"`);
      expect(res.status).toBe(200);
      expect(res.body.totalResults).toBe(0);
    });
  });
});
