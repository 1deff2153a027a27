import request from 'supertest';
import { verifyPassword } from '../../src/domain/passwords';
import {
  ACCOUNT_URN, BASE, ENTERPRISE_URN, USER_URN, expectScimError, patchBody, startTestApp, userBody, type TestApp,
} from '../support/test-app';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** supertest listens on a new port for each request, so compare resources without the origin. */
const sansOrigin = (body: unknown) => JSON.parse(JSON.stringify(body).replace(/http:\/\/127\.0\.0\.1:\d+/g, '')) as unknown;

const isIsoTimestamp = (value: unknown) => typeof value === 'string' && new Date(value).toISOString() === value;

describe('/Users', () => {
  let t: TestApp;
  let seq = 0;
  /** A fresh, unique userName per test so tests never collide on uniqueness. */
  const uniqueName = (stem = 'user') => `${stem}.${++seq}`;
  const create = async (extra: object = {}, name = uniqueName()) => {
    const res = await t.post('/Users', userBody(name, extra));
    expect(res.status).toBe(201);
    return res.body as { id: string; userName: string; meta: { version: string; created: string; lastModified: string; location: string } } & Record<string, unknown>;
  };

  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => t.close());

  describe('POST', () => {
    it('creates a user: 201, Location = meta.location, ETag = meta.version = W/"1", userName exactly as sent, groups []', async () => {
      const res = await t.post('/Users', userBody('Ann.Ödegaard', { displayName: 'Ann Ö' }));
      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
      const body = res.body;
      expect(body.schemas).toEqual([USER_URN, ACCOUNT_URN]);
      expect(typeof body.id).toBe('string');
      expect(body.id.length).toBeGreaterThan(0);
      expect(body.userName).toBe('Ann.Ödegaard');
      expect(body.displayName).toBe('Ann Ö');
      expect(body.groups).toEqual([]);
      expect(body.meta).toEqual({
        resourceType: 'User',
        created: expect.any(String),
        lastModified: body.meta.created,
        location: expect.stringMatching(new RegExp(`${BASE}/Users/${body.id}$`)),
        version: 'W/"1"',
      });
      expect(new Date(body.meta.created).toISOString()).toBe(body.meta.created);
      expect(res.headers.location).toBe(body.meta.location);
      expect(res.headers.etag).toBe(body.meta.version);
    });

    it('makes a user created without active an Active Internal account, activated now', async () => {
      const before = Date.now();
      const body = await create();
      expect(body.active).toBe(true);
      expect(body[ACCOUNT_URN]).toEqual({ status: 'Active', accountType: 'Internal', activatedAt: expect.any(String) });
      const activatedAt = (body[ACCOUNT_URN] as { activatedAt: string }).activatedAt;
      expect(isIsoTimestamp(activatedAt)).toBe(true);
      expect(Date.parse(activatedAt)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(activatedAt)).toBeLessThanOrEqual(Date.now());
    });

    it('makes a user created with active: true Active, and one created with active: false Created, never activated', async () => {
      const active = await create({ active: true });
      expect(active.active).toBe(true);
      expect(active[ACCOUNT_URN]).toMatchObject({ status: 'Active', accountType: 'Internal' });
      const inactive = await create({ active: false });
      expect(inactive.active).toBe(false);
      expect(inactive[ACCOUNT_URN]).toEqual({ status: 'Created', accountType: 'Internal' });
      expect(inactive.schemas).toEqual([USER_URN, ACCOUNT_URN]);
    });

    it.each([
      ['no name', { name: undefined }, 'givenName'],
      ['a name without givenName', { name: { familyName: 'Family' } }, 'givenName'],
      ['a blank givenName', { name: { givenName: '   ', familyName: 'Family' } }, 'givenName'],
      ['a name without familyName', { name: { givenName: 'Given' } }, 'familyName'],
      ['an empty familyName', { name: { givenName: 'Given', familyName: '' } }, 'familyName'],
      ['no emails', { emails: undefined }, 'email'],
      ['an empty emails list', { emails: [] }, 'email'],
      ['only emails without a value', { emails: [{ type: 'work' }, { value: ' ', type: 'home' }] }, 'email'],
    ])('refuses a user with %s: 400 invalidValue naming what is missing, and creates nothing', async (_label, extra, missing) => {
      const name = uniqueName('identity');
      const body = JSON.parse(JSON.stringify(userBody(name, extra)));
      const error = expectScimError(await t.post('/Users', body), 400, 'invalidValue');
      expect(error.detail).toContain(missing);
      const found = await t.get(`/Users?filter=${encodeURIComponent(`userName eq "${name}"`)}`);
      expect(found.body.totalResults).toBe(0);
    });

    it.each(['application/json', 'application/scim+json', 'application/scim+json; charset=utf-8'])('accepts a body sent as %s', async (contentType) => {
      const name = uniqueName('ctype');
      const res = await request(t.app).post(`${BASE}/Users`).set('Authorization', `Bearer ${t.token}`)
        .set('Content-Type', contentType).send(JSON.stringify(userBody(name)));
      expect(res.status).toBe(201);
      expect(res.body.userName).toBe(name);
      expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    });

    it('reads attribute names case-insensitively and returns the canonical names', async () => {
      const name = uniqueName('CaseKeys');
      const res = await t.post('/Users', {
        SCHEMAS: [USER_URN], USERNAME: name, NAME: { GIVENNAME: 'Grace', familyname: 'Hopper' }, Active: true,
        EMAILS: [{ VALUE: 'grace@example.com', Type: 'work' }],
      });
      expect(res.status).toBe(201);
      expect(res.body.userName).toBe(name);
      expect(res.body.name).toEqual({ givenName: 'Grace', familyName: 'Hopper' });
      expect(res.body.active).toBe(true);
      expect(res.body.emails).toEqual([{ value: 'grace@example.com', type: 'work' }]);
      for (const key of ['USERNAME', 'NAME', 'Active', 'EMAILS']) expect(res.body).not.toHaveProperty(key);
    });

    it.each([
      ['the same case', (n: string) => n],
      ['upper case', (n: string) => n.toUpperCase()],
      ['mixed case', (n: string) => n.replace(/^./, (c) => c.toUpperCase())],
    ])('refuses a userName already taken, written in %s: 409 uniqueness', async (_label, variant) => {
      const existing = await create({}, uniqueName('taken'));
      const res = await t.post('/Users', userBody(variant(existing.userName)));
      expectScimError(res, 409, 'uniqueness');
    });

    it('refuses a user without userName: 400 invalidValue', async () => {
      const { userName: _omitted, ...body } = userBody('ignored');
      expectScimError(await t.post('/Users', body), 400, 'invalidValue');
    });

    it.each([['empty', ''], ['blank', '   '], ['null', null]])('refuses a user whose userName is %s: 400 invalidValue', async (_label, userName) => {
      const error = expectScimError(await t.post('/Users', { ...userBody('valid.otherwise'), userName }), 400, 'invalidValue');
      expect(error.detail).toContain('userName');
    });

    it.each([
      ['active is a number', { active: 3 }],
      ['emails is a string', { emails: 'x' }],
      ['name is a string', { name: 'Ann' }],
      ['userName is a number', { userName: 42 }],
      ['password is a number', { password: 12345678 }],
    ])('refuses a body where %s: 400 invalidValue', async (_label, extra) => {
      const res = await t.post('/Users', userBody(uniqueName('typed'), extra));
      const error = expectScimError(res, 400, 'invalidValue');
      expect(error.detail.toLowerCase()).toContain(Object.keys(extra)[0].toLowerCase());
    });

    it('refuses an attribute name no schema defines (400 invalidSyntax naming it), writing nothing', async () => {
      const userName = uniqueName('colour');
      const res = await t.post('/Users', userBody(userName, { favouriteColour: 'teal' }));
      const error = expectScimError(res, 400, 'invalidSyntax');
      expect(error.detail).toContain('favouriteColour');
      const found = await t.get(`/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`);
      expect(found.body.totalResults).toBe(0);
    });

    it('ignores an extension it does not know (an IdP\'s own), in the response and in storage', async () => {
      const body = await create({ 'urn:example:custom:1.0:User': { shoeSize: 44 } });
      expect(body).not.toHaveProperty(['urn:example:custom:1.0:User']);
      const stored = await t.data.users.get(body.id);
      expect(JSON.stringify(stored!.data)).not.toMatch(/shoeSize/);
    });

    it('ignores the read-only id, meta and groups a client sends', async () => {
      const res = await t.post('/Users', userBody(uniqueName('readonly'), {
        id: 'chosen-by-client',
        meta: { resourceType: 'Group', version: 'W/"99"', created: '2001-01-01T00:00:00Z' },
        groups: [{ value: 'some-group', display: 'Admins' }],
      }));
      expect(res.status).toBe(201);
      expect(res.body.id).not.toBe('chosen-by-client');
      expect(res.body.meta.resourceType).toBe('User');
      expect(res.body.meta.version).toBe('W/"1"');
      expect(res.body.meta.created).not.toBe('2001-01-01T00:00:00Z');
      expect(res.body.groups).toEqual([]);
      expect((await t.get('/Users/chosen-by-client')).status).toBe(404);
    });

    it('stores the enterprise extension and lists its URN in schemas', async () => {
      const body = await create({ [ENTERPRISE_URN]: { department: 'Research', employeeNumber: '701' } });
      expect(body.schemas).toEqual([USER_URN, ENTERPRISE_URN, ACCOUNT_URN]);
      expect(body[ENTERPRISE_URN]).toEqual({ department: 'Research', employeeNumber: '701' });
    });
  });

  describe('GET /Users/:id', () => {
    it('returns the user as created, with its ETag', async () => {
      const created = await create();
      const res = await t.get(`/Users/${created.id}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(sansOrigin(res.body)).toEqual(sansOrigin(created));
      expect(res.headers.etag).toBe('W/"1"');
    });

    it('answers 404 for an unknown id', async () => {
      expectScimError(await t.get('/Users/00000000-0000-0000-0000-000000000000'), 404);
    });
  });

  describe('PUT /Users/:id', () => {
    it('replaces the user: attributes absent from the body are removed, version and lastModified move, created stays', async () => {
      const created = await create({
        displayName: 'Before', title: 'Engineer', nickName: 'Nick', phoneNumbers: [{ value: '+1 555 0100', type: 'work' }],
        name: { givenName: 'Given', familyName: 'Family', middleName: 'Middle' }, [ENTERPRISE_URN]: { department: 'R&D' },
      });
      await pause(5);
      const name = { givenName: 'New', familyName: 'Name' };
      const emails = [{ value: 'replaced@example.com', type: 'home' }];
      const res = await t.put(`/Users/${created.id}`, { schemas: [USER_URN], userName: created.userName, displayName: 'After', name, emails });
      expect(res.status).toBe(200);
      expect(res.body.displayName).toBe('After');
      expect(res.body.name).toEqual(name);
      expect(res.body.emails).toEqual(emails);
      for (const gone of ['title', 'nickName', 'phoneNumbers', ENTERPRISE_URN]) expect(res.body).not.toHaveProperty([gone]);
      // The Account extension is the server's: a PUT that leaves it out (and active) keeps the account as it was.
      expect(res.body.schemas).toEqual([USER_URN, ACCOUNT_URN]);
      expect(res.body.active).toBe(true);
      expect(res.body[ACCOUNT_URN]).toEqual(created[ACCOUNT_URN]);
      expect(res.body.meta.version).toBe('W/"2"');
      expect(res.headers.etag).toBe('W/"2"');
      expect(res.body.meta.created).toBe(created.meta.created);
      expect(Date.parse(res.body.meta.lastModified)).toBeGreaterThan(Date.parse(created.meta.lastModified));
      expect(sansOrigin((await t.get(`/Users/${created.id}`)).body)).toEqual(sansOrigin(res.body));
    });

    it('ignores the read-only id, meta and groups in the body', async () => {
      const created = await create();
      const res = await t.put(`/Users/${created.id}`, userBody(created.userName, {
        id: 'another-id', meta: { version: 'W/"42"' }, groups: [{ value: 'g' }], nickName: 'Nick',
      }));
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(created.id);
      expect(res.body.meta.version).toBe('W/"2"');
      expect(res.body.groups).toEqual([]);
      expect(res.body.nickName).toBe('Nick');
    });

    it('refuses to rename a user to a userName another user has (any case): 409 uniqueness', async () => {
      const other = await create({}, uniqueName('Holder'));
      const user = await create();
      expectScimError(await t.put(`/Users/${user.id}`, userBody(other.userName.toUpperCase())), 409, 'uniqueness');
      expect((await t.get(`/Users/${user.id}`)).body.userName).toBe(user.userName);
    });

    it('lets a user change the case of its own userName', async () => {
      const user = await create({}, uniqueName('recase'));
      const res = await t.put(`/Users/${user.id}`, userBody(user.userName.toUpperCase()));
      expect(res.status).toBe(200);
      expect(res.body.userName).toBe(user.userName.toUpperCase());
    });

    it('answers 404 for an unknown id', async () => {
      expectScimError(await t.put('/Users/no-such-user', userBody(uniqueName())), 404);
    });

    it('refuses a body without userName: 400 invalidValue', async () => {
      const user = await create();
      const { userName: _omitted, ...body } = userBody(user.userName, { displayName: 'x' });
      const error = expectScimError(await t.put(`/Users/${user.id}`, body), 400, 'invalidValue');
      expect(error.detail).toContain('userName');
    });

    it.each([
      ['name', 'givenName', { schemas: [USER_URN], emails: [{ value: 'still@example.com' }] }],
      ['emails', 'email', { schemas: [USER_URN], name: { givenName: 'Given', familyName: 'Family' } }],
    ])('refuses a body without %s (it is required): 400 invalidValue, and changes nothing', async (_label, missing, body) => {
      const user = await create();
      const error = expectScimError(await t.put(`/Users/${user.id}`, { ...body, userName: user.userName }), 400, 'invalidValue');
      expect(error.detail).toContain(missing);
      expect(sansOrigin((await t.get(`/Users/${user.id}`)).body)).toEqual(sansOrigin(user));
    });
  });

  describe('DELETE /Users/:id', () => {
    it('answers 204 with no body, after which the user is gone', async () => {
      const user = await create();
      const res = await t.delete(`/Users/${user.id}`);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expectScimError(await t.get(`/Users/${user.id}`), 404);
      expectScimError(await t.delete(`/Users/${user.id}`), 404);
    });

    it('hides the deleted user from lists and filters', async () => {
      const user = await create({}, uniqueName('hidden'));
      await t.delete(`/Users/${user.id}`);
      const filtered = await t.get(`/Users?filter=${encodeURIComponent(`userName eq "${user.userName}"`)}`);
      expect(filtered.status).toBe(200);
      expect(filtered.body.totalResults).toBe(0);
      const all = await t.get('/Users?count=1000');
      expect(all.body.Resources.map((u: { id: string }) => u.id)).not.toContain(user.id);
    });

    it.each([
      ['the same case', (n: string) => n],
      ['another case', (n: string) => n.toUpperCase()],
    ])('keeps the userName reserved: a new user with it (%s) is refused 409 uniqueness, saying the account was deleted and can be restored', async (_label, variant) => {
      const user = await create({}, uniqueName('reserved'));
      expect((await t.delete(`/Users/${user.id}`)).status).toBe(204);
      const error = expectScimError(await t.post('/Users', userBody(variant(user.userName))), 409, 'uniqueness');
      expect(error.detail).toMatch(/deleted/i);
      expect(error.detail).toMatch(/restore/i);
      expectScimError(await t.get(`/Users/${user.id}`), 404);
    });

    it('keeps the userName reserved against renames too: 409 uniqueness', async () => {
      const deleted = await create({}, uniqueName('renamed'));
      await t.delete(`/Users/${deleted.id}`);
      const user = await create();
      const error = expectScimError(await t.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'userName', value: deleted.userName })), 409, 'uniqueness');
      expect(error.detail).toMatch(/deleted/i);
      expectScimError(await t.put(`/Users/${user.id}`, userBody(deleted.userName)), 409, 'uniqueness');
      expect((await t.get(`/Users/${user.id}`)).body.userName).toBe(user.userName);
    });
  });

  describe('PATCH /Users/:id', () => {
    type Case = [string, object, object[], (body: Record<string, any>) => void];
    const cases: Case[] = [
      ['add with a path sets the attribute', {}, [{ op: 'add', path: 'nickName', value: 'Annie' }],
        (b) => expect(b.nickName).toBe('Annie')],
      ['replace with a path changes the attribute', { displayName: 'Old' }, [{ op: 'replace', path: 'displayName', value: 'New' }],
        (b) => expect(b.displayName).toBe('New')],
      ['remove with a path removes the attribute', { title: 'Boss' }, [{ op: 'remove', path: 'title' }],
        (b) => expect(b).not.toHaveProperty('title')],
      ['replace without a path sets each attribute of the value', {}, [{ op: 'replace', value: { displayName: 'D', title: 'T' } }],
        (b) => expect([b.displayName, b.title]).toEqual(['D', 'T'])],
      ["Okta's deactivation {\"active\": false} without a path", { active: true }, [{ op: 'replace', value: { active: false } }],
        (b) => {
          expect(b.active).toBe(false);
          expect(b[ACCOUNT_URN]).toMatchObject({ status: 'Inactive', deactivatedAt: expect.any(String) });
        }],
      ['a sub-attribute path changes only that sub-attribute', {}, [{ op: 'replace', path: 'name.givenName', value: 'Ada' }],
        (b) => expect(b.name).toEqual({ givenName: 'Ada', familyName: 'Family' })],
      ['paths are case-insensitive', {}, [{ op: 'replace', path: 'NAME.GIVENNAME', value: 'Ada' }],
        (b) => expect(b.name).toEqual({ givenName: 'Ada', familyName: 'Family' })],
      ['remove of a sub-attribute path keeps the other sub-attributes',
        { name: { givenName: 'Given', familyName: 'Family', middleName: 'Middle' } }, [{ op: 'remove', path: 'name.middleName' }],
        (b) => expect(b.name).toEqual({ givenName: 'Given', familyName: 'Family' })],
      ['replace through a value filter changes the selected element only',
        { emails: [{ value: 'w@example.com', type: 'work', primary: true }, { value: 'h@example.com', type: 'home' }] },
        [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'new@example.com' }],
        (b) => expect(b.emails).toEqual([{ value: 'new@example.com', type: 'work', primary: true }, { value: 'h@example.com', type: 'home' }])],
      ['add through a value filter that matches nothing creates the element',
        { emails: [{ value: 'w@example.com', type: 'work' }] },
        [{ op: 'add', path: 'emails[type eq "home"].value', value: 'h@example.com' }],
        (b) => expect(b.emails).toEqual([{ value: 'w@example.com', type: 'work' }, { type: 'home', value: 'h@example.com' }])],
      ['remove through a value filter removes the selected elements only',
        { emails: [{ value: 'w@example.com', type: 'work' }, { value: 'h@example.com', type: 'home' }] },
        [{ op: 'remove', path: 'emails[type eq "home"]' }],
        (b) => expect(b.emails).toEqual([{ value: 'w@example.com', type: 'work' }])],
      ['a URN-qualified enterprise path sets the extension attribute', {},
        [{ op: 'add', path: `${ENTERPRISE_URN}:department`, value: 'Sales' }],
        (b) => {
          expect(b[ENTERPRISE_URN]).toEqual({ department: 'Sales' });
          expect(b.schemas).toContain(ENTERPRISE_URN);
        }],
      ['no-path values may use dotted keys and URN-prefixed keys', {},
        [{ op: 'replace', value: { 'name.givenName': 'Zed', [`${ENTERPRISE_URN}:costCenter`]: 'CC-1', [`${USER_URN}:title`]: 'CTO' } }],
        (b) => {
          expect(b.name.givenName).toBe('Zed');
          expect(b[ENTERPRISE_URN]).toEqual({ costCenter: 'CC-1' });
          expect(b.title).toBe('CTO');
        }],
      ['a no-path value may hold the extension as an object', {},
        [{ op: 'add', value: { [ENTERPRISE_URN]: { division: 'North' } } }],
        (b) => expect(b[ENTERPRISE_URN]).toEqual({ division: 'North' })],
      ['op names are case-insensitive ("Replace", "ADD")', {},
        [{ op: 'Replace', path: 'displayName', value: 'R' }, { op: 'ADD', path: 'nickName', value: 'A' }],
        (b) => expect([b.displayName, b.nickName]).toEqual(['R', 'A'])],
      ['removing the last extension attribute removes the extension', { [ENTERPRISE_URN]: { department: 'X' } },
        [{ op: 'remove', path: `${ENTERPRISE_URN}:department` }],
        (b) => {
          expect(b).not.toHaveProperty([ENTERPRISE_URN]);
          expect(b.schemas).toEqual([USER_URN, ACCOUNT_URN]);
        }],
    ];

    it.each(cases)('%s', async (_label, initial, operations, check) => {
      const user = await create(initial);
      const res = await t.patch(`/Users/${user.id}`, patchBody(...operations));
      expect(res.status).toBe(200);
      check(res.body);
      expect(res.body.meta.version).toBe('W/"2"');
      expect(res.headers.etag).toBe('W/"2"');
      // The change was stored, not only rendered.
      expect(sansOrigin((await t.get(`/Users/${user.id}`)).body)).toEqual(sansOrigin(res.body));
    });

    it.each([
      ['replaces a value with the same value', [{ op: 'replace', path: 'name.givenName', value: 'Given' }]],
      ['replaces id with the same id', 'SELF_ID'],
      ['removes an attribute the user does not have', [{ op: 'remove', path: 'nickName' }]],
    ])('answers 200 and leaves meta.version alone when the PATCH %s', async (_label, operations) => {
      const user = await create();
      const ops = operations === 'SELF_ID' ? [{ op: 'replace', path: 'id', value: user.id }] : operations as object[];
      const res = await t.patch(`/Users/${user.id}`, patchBody(...ops));
      expect(res.status).toBe(200);
      expect(res.body.meta.version).toBe('W/"1"');
      expect(res.body.meta.lastModified).toBe(user.meta.lastModified);
      expect(res.body.id).toBe(user.id);
    });

    it.each([
      ['remove has no path', 'noTarget', [{ op: 'remove' }]],
      ['the path is not valid syntax', 'invalidPath', [{ op: 'replace', path: 'emails[type eq "work"', value: 'x' }]],
      ['the path names an unknown attribute', 'invalidPath', [{ op: 'replace', path: 'shoeSize', value: 44 }]],
      ['the path names an unknown sub-attribute', 'invalidPath', [{ op: 'replace', path: 'name.nickname', value: 'x' }]],
      ['a no-path value names an unknown attribute', 'invalidPath', [{ op: 'replace', value: { shoeSize: 44 } }]],
      ['it replaces id with another value', 'mutability', [{ op: 'replace', path: 'id', value: 'another-id' }]],
      ['it replaces the value of a read-only attribute (meta.created)', 'mutability', [{ op: 'replace', path: 'meta.created', value: '2001-01-01T00:00:00Z' }]],
      ['the op is not add, replace or remove', 'invalidSyntax', [{ op: 'move', path: 'title', value: 'x' }]],
      ['the value has the wrong type', 'invalidValue', [{ op: 'replace', path: 'active', value: 'yes' }]],
      ['it removes the required userName', 'invalidValue', [{ op: 'remove', path: 'userName' }]],
      ['it removes the required name.familyName', 'invalidValue', [{ op: 'remove', path: 'name.familyName' }]],
      ['it blanks the required name.givenName', 'invalidValue', [{ op: 'replace', path: 'name.givenName', value: ' ' }]],
      ['it removes every email', 'invalidValue', [{ op: 'remove', path: 'emails' }]],
    ])('refuses a PATCH where %s: 400 %s, and changes nothing', async (_label, scimType, operations) => {
      const user = await create();
      expectScimError(await t.patch(`/Users/${user.id}`, patchBody(...operations)), 400, scimType);
      expect(sansOrigin((await t.get(`/Users/${user.id}`)).body)).toEqual(sansOrigin(user));
    });

    it('refuses a PATCH body without the PatchOp schema: 400 invalidSyntax', async () => {
      const user = await create();
      const res = await t.patch(`/Users/${user.id}`, { Operations: [{ op: 'replace', path: 'displayName', value: 'x' }] });
      expectScimError(res, 400, 'invalidSyntax');
      expect(sansOrigin((await t.get(`/Users/${user.id}`)).body)).toEqual(sansOrigin(user));
    });

    it('refuses to rename a user to a userName another user has (any case): 409 uniqueness', async () => {
      const other = await create({}, uniqueName('PatchHolder'));
      const user = await create();
      const res = await t.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'userName', value: other.userName.toUpperCase() }));
      expectScimError(res, 409, 'uniqueness');
      expect((await t.get(`/Users/${user.id}`)).body.userName).toBe(user.userName);
    });

    it('answers 404 for an unknown id', async () => {
      expectScimError(await t.patch('/Users/no-such-user', patchBody({ op: 'replace', path: 'title', value: 'x' })), 404);
    });
  });

  describe('Prefer: return=minimal', () => {
    it.each(['PATCH', 'PUT'] as const)('makes %s answer 204 with the new ETag and no body, and still writes', async (method) => {
      const user = await create();
      const res = method === 'PATCH'
        ? await t.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'title', value: 'Minimal' })).set('Prefer', 'return=minimal')
        : await t.put(`/Users/${user.id}`, userBody(user.userName, { title: 'Minimal' })).set('Prefer', 'return=minimal');
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect(res.headers.etag).toBe('W/"2"');
      expect((await t.get(`/Users/${user.id}`)).body.title).toBe('Minimal');
    });

    it('does not turn a GET into a 204: the resource is still returned', async () => {
      const user = await create();
      const res = await t.get(`/Users/${user.id}`).set('Prefer', 'return=minimal');
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(user.id);
    });

    it('does not hide the created resource of a POST', async () => {
      const name = uniqueName('minimalpost');
      const res = await t.post('/Users', userBody(name)).set('Prefer', 'return=minimal');
      expect(res.status).toBe(201);
      expect(res.body.userName).toBe(name);
    });
  });

  describe('preconditions', () => {
    it.each([
      ['PUT', (id: string, name: string) => t.put(`/Users/${id}`, userBody(name))],
      ['PATCH', (id: string) => t.patch(`/Users/${id}`, patchBody({ op: 'replace', path: 'title', value: 'x' }))],
      ['DELETE', (id: string) => t.delete(`/Users/${id}`)],
    ])('a %s with a stale If-Match is refused with 412 and changes nothing', async (_method, send) => {
      const user = await create();
      await t.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'nickName', value: 'v2' }));
      const res = await send(user.id, user.userName).set('If-Match', 'W/"1"');
      expectScimError(res, 412);
      const current = await t.get(`/Users/${user.id}`);
      expect(current.status).toBe(200);
      expect(current.body.meta.version).toBe('W/"2"');
    });

    it('a write with the current If-Match goes through', async () => {
      const user = await create();
      const res = await t.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'title', value: 'x' })).set('If-Match', user.meta.version);
      expect(res.status).toBe(200);
      expect(res.body.meta.version).toBe('W/"2"');
    });

    it('a GET with If-None-Match naming the current version answers 304 without a body', async () => {
      const user = await create();
      const res = await t.get(`/Users/${user.id}`).set('If-None-Match', user.meta.version);
      expect(res.status).toBe(304);
      expect(res.text).toBe('');
      expect(res.headers.etag).toBe(user.meta.version);
    });

    it('a GET with If-None-Match naming an older version returns the user', async () => {
      const user = await create();
      await t.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'title', value: 'x' }));
      const res = await t.get(`/Users/${user.id}`).set('If-None-Match', 'W/"1"');
      expect(res.status).toBe(200);
      expect(res.body.title).toBe('x');
    });
  });

  describe('passwords', () => {
    const PASSWORD = 'Correct-Horse-Battery-1';

    it('accepts a password on POST, never returns it and stores only a scrypt hash', async () => {
      const res = await t.post('/Users', userBody(uniqueName('pw'), { password: PASSWORD }));
      expect(res.status).toBe(201);
      expect(res.body).not.toHaveProperty('password');
      expect(res.text).not.toContain(PASSWORD);
      const stored = await t.data.users.get(res.body.id);
      expect(stored!.passwordHash).toMatch(/^scrypt\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
      expect(stored!.passwordHash).not.toContain(PASSWORD);
      expect(JSON.stringify(stored!.data)).not.toContain(PASSWORD);
      expect(await verifyPassword(PASSWORD, stored!.passwordHash!)).toBe(true);
    });

    it.each([
      ['GET', ''],
      ['GET with attributes=password', '?attributes=password'],
      ['GET with attributes=userName,password', '?attributes=userName,password'],
    ])('never returns the password on %s', async (_label, query) => {
      const user = await create({ password: PASSWORD });
      const res = await t.get(`/Users/${user.id}${query}`);
      expect(res.status).toBe(200);
      expect(res.body).not.toHaveProperty('password');
      expect(res.text).not.toContain(PASSWORD);
    });

    it('never returns the password in a list or search', async () => {
      const user = await create({ password: PASSWORD });
      const list = await t.get(`/Users?filter=${encodeURIComponent(`userName eq "${user.userName}"`)}&attributes=password`);
      expect(list.status).toBe(200);
      expect(list.body.totalResults).toBe(1);
      expect(list.text).not.toContain(PASSWORD);
      const search = await t.post('/Users/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], attributes: ['password'] });
      expect(search.status).toBe(200);
      expect(search.text).not.toContain(PASSWORD);
    });

    it.each([
      ['PUT', (id: string, name: string, pw: string) => t.put(`/Users/${id}`, userBody(name, { password: pw }))],
      ['PATCH with a path', (id: string, _n: string, pw: string) => t.patch(`/Users/${id}`, patchBody({ op: 'replace', path: 'password', value: pw }))],
      ['PATCH without a path', (id: string, _n: string, pw: string) => t.patch(`/Users/${id}`, patchBody({ op: 'replace', value: { password: pw } }))],
    ])('changes the password on %s, storing the new one hashed and never returning it', async (_label, send) => {
      const user = await create({ password: PASSWORD });
      const before = (await t.data.users.get(user.id))!.passwordHash!;
      const next = 'Another-Secret-Phrase-2';
      const res = await send(user.id, user.userName, next);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(next);
      expect(res.body.meta.version).toBe('W/"2"');
      const after = (await t.data.users.get(user.id))!.passwordHash!;
      expect(after).not.toBe(before);
      expect(after).toMatch(/^scrypt\$/);
      expect(await verifyPassword(next, after)).toBe(true);
      expect(await verifyPassword(PASSWORD, after)).toBe(false);
    });

    it('keeps the password when a PUT or PATCH does not mention it', async () => {
      const user = await create({ password: PASSWORD });
      await t.put(`/Users/${user.id}`, userBody(user.userName, { title: 'x' }));
      await t.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'title', value: 'y' }));
      const stored = await t.data.users.get(user.id);
      expect(await verifyPassword(PASSWORD, stored!.passwordHash!)).toBe(true);
    });

    it.each([
      ['POST', (_id: string, name: string, pw: string) => t.post('/Users', userBody(name, { password: pw }))],
      ['PUT', (id: string, name: string, pw: string) => t.put(`/Users/${id}`, userBody(name, { password: pw }))],
      ['PATCH', (id: string, _n: string, pw: string) => t.patch(`/Users/${id}`, patchBody({ op: 'replace', path: 'password', value: pw }))],
    ])('refuses on %s a password shorter than 8 characters: 400 invalidValue, keeping the old one', async (method, send) => {
      const user = await create({ password: PASSWORD });
      const name = method === 'POST' ? uniqueName('shortpw') : user.userName;
      const error = expectScimError(await send(user.id, name, 'Short-7'), 400, 'invalidValue');
      expect(error.detail).toMatch(/password/);
      expect(error.detail).toMatch(/8/);
      expect(JSON.stringify(error)).not.toContain('Short-7');
      expect(await verifyPassword(PASSWORD, (await t.data.users.get(user.id))!.passwordHash!)).toBe(true);
      expect((await t.get(`/Users/${user.id}`)).body.meta.version).toBe('W/"1"');
      if (method === 'POST') expect((await t.get(`/Users?filter=${encodeURIComponent(`userName eq "${name}"`)}`)).body.totalResults).toBe(0);
    });

    it('accepts a password of exactly 8 characters', async () => {
      const res = await t.post('/Users', userBody(uniqueName('pw8'), { password: 'Exactly8' }));
      expect(res.status).toBe(201);
      expect(await verifyPassword('Exactly8', (await t.data.users.get(res.body.id))!.passwordHash!)).toBe(true);
    });

    it('salts each hash: two users with the same password have different hashes', async () => {
      const a = await create({ password: PASSWORD });
      const b = await create({ password: PASSWORD });
      const [ha, hb] = [(await t.data.users.get(a.id))!.passwordHash, (await t.data.users.get(b.id))!.passwordHash];
      expect(ha).not.toBe(hb);
    });
  });
});
