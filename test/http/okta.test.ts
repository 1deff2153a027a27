import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { verifyPassword } from '../../src/domain/passwords';
import {
  ACCOUNT_URN, BASE, ERROR_URN, GROUP_URN, LIST_URN, PATCH_URN, USER_URN, startTestApp, type TestApp,
} from '../support/test-app';

/**
 * Okta as a SCIM client, request by request, with the payloads of Okta's "SCIM 2.0 Protocol
 * Reference" (okta/okta-developer-docs, docs/reference/scim/scim-20): the headers Okta sends, the
 * lookup-then-create flow, PUT of the whole object, PATCH (de)activation, Group Push with a
 * rename sent along with every membership update, and up to 1,000 member changes per PATCH.
 * Every test checks what Okta relies on, then reads the stored result back.
 */

interface Resource { id: string; meta: { version: string }; [key: string]: unknown }

describe('Okta', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => t.close());

  /** A request as Okta sends it (its spec test POSTs with application/json: pass it as contentType). */
  const okta = (method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, body?: object, contentType = 'application/scim+json; charset=utf-8') => {
    const test = request(t.app)[method](BASE + path)
      .set('Authorization', `Bearer ${t.token}`)
      .set('User-Agent', 'Okta SCIM Client 1.0.0')
      .set('Accept', 'application/scim+json');
    return body === undefined ? test : test.set('Content-Type', contentType).send(JSON.stringify(body));
  };
  const patchOp = (...operations: object[]) => ({ schemas: [PATCH_URN], Operations: operations });
  const read = async (path: string): Promise<Resource> => {
    const res = await okta('get', path);
    expect(res.status).toBe(200);
    return res.body as Resource;
  };
  const lookup = (userName: string) => okta('get', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}&startIndex=1&count=100`);

  /** Okta's documented create body, for a fresh userName. */
  const createBody = (extra: object = {}) => {
    const userName = `test.user.${randomUUID()}@okta.local`;
    return {
      schemas: [USER_URN],
      userName,
      name: { givenName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: userName, type: 'work' }],
      displayName: 'Test User',
      locale: 'en_US',
      externalId: `00u${randomUUID().replace(/-/g, '').slice(0, 17)}`,
      groups: [],
      password: '1mz050nq',
      active: true,
      ...extra,
    };
  };
  const createUser = async (extra: object = {}): Promise<Resource> => {
    const res = await okta('post', '/Users', createBody(extra));
    expect(res.status).toBe(201);
    return res.body as Resource;
  };
  const createGroup = async (displayName = `Test SCIMv2 ${randomUUID()}`) => {
    const res = await okta('post', '/Groups', { schemas: [GROUP_URN], displayName, members: [] });
    expect(res.status).toBe(201);
    return res.body as Resource & { displayName: string };
  };
  const memberIds = async (groupId: string) =>
    (((await read(`/Groups/${groupId}`)).members ?? []) as { value: string }[]).map((m) => m.value).sort();
  /** Users made straight in the store: member-count tests need many, fast. */
  const bulkUsers = async (count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const userName = `bulk.${randomUUID()}`;
      ids.push((await t.data.users.create({ data: { userName, name: { givenName: 'B', familyName: 'K' }, emails: [{ value: `${userName}@okta.local` }], active: true } })).id);
    }
    return ids;
  };

  describe('Test API credentials', () => {
    it.each(['/Users?startIndex=1&count=2', '/Groups?startIndex=1&count=100'])('GET %s answers 200 with integer paging numbers', async (path) => {
      await createUser();
      await createGroup();
      const res = await okta('get', path);
      expect(res.status).toBe(200);
      expect(res.body.schemas).toEqual([LIST_URN]);
      for (const key of ['totalResults', 'startIndex', 'itemsPerPage']) expect(Number.isInteger(res.body[key])).toBe(true);
      expect(res.body.startIndex).toBe(1);
      expect(res.body.itemsPerPage).toBe(res.body.Resources.length);
    });

    it('answers a bad token with 401 and the Error schema', async () => {
      const res = await request(t.app).get(`${BASE}/Users?startIndex=1&count=2`).set('Authorization', 'Bearer not-a-token').set('User-Agent', 'Okta SCIM Client 1.0.0');
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ schemas: [ERROR_URN], status: '401' });
    });
  });

  describe('Create User', () => {
    it('looks up (200, totalResults 0), then POSTs as application/json: 201 with the full resource, found by the same lookup afterwards', async () => {
      const body = createBody();
      const before = await lookup(body.userName);
      expect(before.status).toBe(200);
      expect(before.body).toEqual({ schemas: [LIST_URN], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });

      const res = await okta('post', '/Users', body, 'application/json');
      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(res.headers.location).toBe(res.body.meta.location);
      expect(res.body).toMatchObject({
        schemas: [USER_URN, ACCOUNT_URN],
        id: expect.any(String),
        userName: body.userName,
        name: body.name,
        emails: body.emails,
        displayName: 'Test User',
        locale: 'en_US',
        externalId: body.externalId,
        active: true,
        groups: [],
        meta: { resourceType: 'User' },
      });
      expect(res.body).not.toHaveProperty('password');
      expect(res.text).not.toContain(body.password);
      expect(await verifyPassword(body.password, (await t.data.users.get(res.body.id))!.passwordHash!)).toBe(true);

      const after = await lookup(body.userName);
      expect(after.status).toBe(200);
      expect(after.body.totalResults).toBe(1);
      expect(after.body.Resources[0].id).toBe(res.body.id);
    });

    it('finds the user when the filter spells the userName in capitals, and returns it as sent', async () => {
      const user = await createUser();
      const res = await lookup(String(user.userName).toUpperCase());
      expect(res.status).toBe(200);
      expect(res.body.totalResults).toBe(1);
      expect(res.body.Resources[0].userName).toBe(user.userName);
    });

    it('answers a repeated POST with 409 and the Error schema, creating nothing', async () => {
      const body = createBody();
      expect((await okta('post', '/Users', body, 'application/json')).status).toBe(201);
      const res = await okta('post', '/Users', body, 'application/json');
      expect(res.status).toBe(409);
      expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(res.body).toMatchObject({ schemas: [ERROR_URN], status: '409', scimType: 'uniqueness', detail: expect.any(String) });
      expect((await lookup(body.userName)).body.totalResults).toBe(1);
    });

    it('answers an unknown id with 404, the Error schema and a detail', async () => {
      const res = await okta('get', `/Users/${randomUUID()}`);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ schemas: [ERROR_URN], status: '404', detail: expect.any(String) });
    });

    it('tolerates a custom extension URN Roster does not know (its attributes are dropped)', async () => {
      const urn = 'urn:okta:custom:1.0:User';
      const user = await createUser({ schemas: [USER_URN, urn], [urn]: { costCode: 'X1' } });
      expect(user.schemas).toEqual([USER_URN, ACCOUNT_URN]);
      expect(user).not.toHaveProperty([urn]);
    });
  });

  describe('Update User (PUT)', () => {
    it('takes the whole object back with id, meta, groups: [] and password: read-only values are ignored, changes stored', async () => {
      const user = await createUser();
      const current = await read(`/Users/${user.id}`);
      const put = {
        ...current,
        name: { givenName: 'Another', middleName: 'Excited', familyName: 'User' },
        emails: [{ primary: true, value: current.userName, type: 'work', display: current.userName }],
        groups: [],
        password: 'n3w-pa55word',
      };
      const res = await okta('put', `/Users/${user.id}`, put);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: user.id, name: put.name, emails: put.emails, active: true, groups: [] });
      expect(res.body.meta.version).not.toBe(current.meta.version);
      const stored = await read(`/Users/${user.id}`);
      expect(stored).toMatchObject({ id: user.id, userName: user.userName, name: put.name, emails: put.emails, locale: 'en_US', externalId: user.externalId });
      expect(stored[ACCOUNT_URN]).toEqual(current[ACCOUNT_URN]);
      expect(await verifyPassword('n3w-pa55word', (await t.data.users.get(user.id))!.passwordHash!)).toBe(true);
    });

    it('takes the documented PUT body (meta with resourceType only, emails with display, an empty middleName)', async () => {
      const user = await createUser();
      const body = (middleName: string) => ({
        schemas: [USER_URN],
        id: user.id,
        userName: user.userName,
        name: { givenName: 'Another', middleName, familyName: 'User' },
        emails: [{ primary: true, value: user.userName, type: 'work', display: user.userName }],
        active: true,
        groups: [],
        meta: { resourceType: 'User' },
      });
      for (const middleName of ['Excited', '']) {
        const res = await okta('put', `/Users/${user.id}`, body(middleName));
        expect(res.status).toBe(200);
        const stored = await read(`/Users/${user.id}`);
        expect(stored).toMatchObject({ id: user.id, userName: user.userName, emails: body(middleName).emails, active: true, groups: [] });
        expect(stored.name).toMatchObject({ givenName: 'Another', familyName: 'User' });
        expect((stored.name as { middleName?: string }).middleName ?? '').toBe(middleName);
      }
    });

    it('answers a PUT of the object exactly as read with 200 and no new version', async () => {
      const user = await createUser();
      const current = await read(`/Users/${user.id}`);
      const res = await okta('put', `/Users/${user.id}`, current);
      expect(res.status).toBe(200);
      expect(res.body.meta.version).toBe(current.meta.version);
    });

    it('deactivates through PUT with active: false (App Integration Wizard integrations), and GET still returns the user', async () => {
      const user = await createUser();
      const current = await read(`/Users/${user.id}`);
      const res = await okta('put', `/Users/${user.id}`, { ...current, active: false, groups: [] });
      expect(res.status).toBe(200);
      const stored = await read(`/Users/${user.id}`);
      expect(stored.active).toBe(false);
      expect((stored[ACCOUNT_URN] as { status: string }).status).toBe('Inactive');
    });
  });

  describe('Deactivate and reactivate (PATCH)', () => {
    it('deactivates with a no-path replace of {"active": false} and reactivates with true', async () => {
      const user = await createUser();
      const off = await okta('patch', `/Users/${user.id}`, patchOp({ op: 'replace', value: { active: false } }));
      expect(off.status).toBe(200);
      expect(off.body.active).toBe(false);
      const stored = await read(`/Users/${user.id}`);
      expect(stored.active).toBe(false);
      expect(stored[ACCOUNT_URN]).toMatchObject({ status: 'Inactive', deactivatedAt: expect.any(String) });

      const on = await okta('patch', `/Users/${user.id}`, patchOp({ op: 'replace', value: { active: true } }));
      expect(on.status).toBe(200);
      expect(on.body.active).toBe(true);
      expect((await read(`/Users/${user.id}`))[ACCOUNT_URN]).toMatchObject({ status: 'Active' });
    });

    it('answers a deactivation of an inactive user with 200 and no new version', async () => {
      const user = await createUser();
      await okta('patch', `/Users/${user.id}`, patchOp({ op: 'replace', value: { active: false } }));
      const { meta } = await read(`/Users/${user.id}`);
      const res = await okta('patch', `/Users/${user.id}`, patchOp({ op: 'replace', value: { active: false } }));
      expect(res.status).toBe(200);
      expect(res.body.meta.version).toBe(meta.version);
    });

    it('syncs a password with a no-path replace', async () => {
      const user = await createUser();
      const res = await okta('patch', `/Users/${user.id}`, patchOp({ op: 'replace', value: { password: 'Synced-Pa55' } }));
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('Synced-Pa55');
      expect(await verifyPassword('Synced-Pa55', (await t.data.users.get(user.id))!.passwordHash!)).toBe(true);
    });
  });

  describe('Group Push', () => {
    it('creates a group with {displayName, members: []} (201) and finds it by displayName', async () => {
      const displayName = `Test SCIMv2 ${randomUUID()}`;
      const res = await okta('post', '/Groups', { schemas: [GROUP_URN], displayName, members: [] });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ schemas: [GROUP_URN], id: expect.any(String), displayName, members: [], meta: { resourceType: 'Group' } });
      const found = await okta('get', `/Groups?filter=${encodeURIComponent(`displayName eq "${displayName}"`)}`);
      expect(found.status).toBe(200);
      expect(found.body.totalResults).toBe(1);
      expect(found.body.Resources[0].id).toBe(res.body.id);
    });

    it('renames with a no-path replace of {id, displayName}; the unchanged id is no error, and a repeat is no new version', async () => {
      const group = await createGroup();
      const newName = `${group.displayName} renamed`;
      const res = await okta('patch', `/Groups/${group.id}`, patchOp({ op: 'replace', value: { id: group.id, displayName: newName } }));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: group.id, displayName: newName });
      const { meta } = await read(`/Groups/${group.id}`);
      const again = await okta('patch', `/Groups/${group.id}`, patchOp({ op: 'replace', value: { id: group.id, displayName: newName } }));
      expect(again.status).toBe(200);
      expect(again.body.meta.version).toBe(meta.version);
      expect((await read(`/Groups/${group.id}`)).displayName).toBe(newName);
    });

    it('applies the documented membership update: remove members[value eq "…"] and add members with value and display', async () => {
      const [a, b] = [await createUser(), await createUser()];
      const group = await createGroup();
      await okta('patch', `/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: a.id, display: a.userName }] }));
      const res = await okta('patch', `/Groups/${group.id}`, patchOp(
        { op: 'remove', path: `members[value eq "${a.id}"]` },
        { op: 'add', path: 'members', value: [{ value: b.id, display: b.userName }] },
      ));
      expect([200, 204]).toContain(res.status);
      expect(await memberIds(group.id)).toEqual([b.id]);
    });

    it('applies a rename, a member add and a members[value eq] removal in one request', async () => {
      const [a, b, c] = [await createUser(), await createUser(), await createUser()];
      const group = await createGroup();
      await okta('patch', `/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: [a, b].map((u) => ({ value: u.id, display: u.userName })) }));
      const newName = `${group.displayName} v2`;
      const res = await okta('patch', `/Groups/${group.id}`, patchOp(
        { op: 'replace', value: { id: group.id, displayName: newName } },
        { op: 'remove', path: `members[value eq "${a.id}"]` },
        { op: 'add', path: 'members', value: [{ value: c.id, display: c.userName }] },
      ));
      // A write of members answers 204 (Okta accepts 200 or 204); the group is read back instead.
      expect(res.status).toBe(204);
      expect((await read(`/Groups/${group.id}`)).displayName).toBe(newName);
      expect(await memberIds(group.id)).toEqual([b.id, c.id].sort());
    });

    it('replaces the whole member set with a replace on path members', async () => {
      const [a, b, c] = [await createUser(), await createUser(), await createUser()];
      const group = await createGroup();
      await okta('patch', `/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: a.id, display: a.userName }] }));
      const res = await okta('patch', `/Groups/${group.id}`, patchOp({ op: 'replace', path: 'members', value: [b, c].map((u) => ({ value: u.id, display: u.userName })) }));
      expect(res.status).toBe(204);
      expect(await memberIds(group.id)).toEqual([b.id, c.id].sort());
    });

    it('takes 1,000 member adds in one operation, then 500 adds and 500 removals in one PATCH', async () => {
      const ids = await bulkUsers(1500);
      const [first, more] = [ids.slice(0, 1000), ids.slice(1000)];
      const group = await createGroup();

      const added = await okta('patch', `/Groups/${group.id}`, patchOp(
        { op: 'replace', value: { id: group.id, displayName: group.displayName } },
        { op: 'add', path: 'members', value: first.map((value) => ({ value, display: value })) },
      ));
      expect(added.status).toBe(204);
      expect(await memberIds(group.id)).toEqual([...first].sort());

      const removed = first.slice(0, 500);
      const mixed = await okta('patch', `/Groups/${group.id}`, patchOp(
        { op: 'replace', value: { id: group.id, displayName: group.displayName } },
        ...removed.map((id) => ({ op: 'remove', path: `members[value eq "${id}"]` })),
        { op: 'add', path: 'members', value: more.map((value) => ({ value, display: value })) },
      ));
      expect(mixed.status).toBe(204);
      expect(await memberIds(group.id)).toEqual([...first.slice(500), ...more].sort());
    }, 120_000);

    it('deletes the group with 204 when the admin unlinks it with "delete in app"', async () => {
      const group = await createGroup();
      const res = await okta('delete', `/Groups/${group.id}`);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect((await okta('get', `/Groups/${group.id}`)).status).toBe(404);
    });
  });
});
