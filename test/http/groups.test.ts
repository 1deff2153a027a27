import { randomUUID } from 'node:crypto';
import {
  BASE, GROUP_URN, LIST_URN, expectScimError, patchBody, startTestApp, userBody, type TestApp,
} from '../support/test-app';

/**
 * /Groups over the real application and a real SQLite file: the documented group and
 * membership behaviour, each member set checked by reading the group back.
 */

interface CreatedUser { id: string; userName: string }

const groupBody = (displayName: string, memberIds: readonly string[] = [], extra: object = {}) => ({
  schemas: [GROUP_URN],
  displayName,
  members: memberIds.map((value) => ({ value })),
  ...extra,
});

const sorted = (ids: readonly string[]) => [...ids].sort();

describe('/Groups', () => {
  let t: TestApp;
  let seq = 0;
  /** A fresh user name for every call, so tests do not share users by accident. */
  const uniqueName = (prefix: string) => `${prefix}.${++seq}`;

  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => t.close());

  const createUser = async (prefix = 'member', extra: object = {}): Promise<CreatedUser> => {
    const res = await t.post('/Users', userBody(uniqueName(prefix), extra));
    expect(res.status).toBe(201);
    return { id: res.body.id, userName: res.body.userName };
  };
  const createUsers = async (count: number) => {
    const users: CreatedUser[] = [];
    for (let i = 0; i < count; i++) users.push(await createUser());
    return users;
  };
  const createGroup = async (memberIds: readonly string[] = [], name = uniqueName('Group')) => {
    const res = await t.post('/Groups', groupBody(name, memberIds));
    expect(res.status).toBe(201);
    return res.body as { id: string; displayName: string; members: { value: string }[] };
  };
  /** The member ids of a group as GET serves them, sorted. */
  const memberIdsOf = async (groupId: string) => {
    const res = await t.get(`/Groups/${groupId}`);
    expect(res.status).toBe(200);
    return sorted(((res.body.members ?? []) as { value: string }[]).map((m) => m.value));
  };
  const groupOf = async (groupId: string) => {
    const res = await t.get(`/Groups/${groupId}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  describe('POST /Groups', () => {
    it('creates a group with 201, a Location header and its members echoed with value, $ref, display and type', async () => {
      const alice = await createUser('alice', { displayName: 'Alice Example' });
      const bob = await createUser('bob'); // no displayName: display falls back to userName
      const res = await t.post('/Groups', groupBody('Engineering POST', [alice.id, bob.id]));

      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toMatch(/application\/scim\+json/);
      expect(res.body.schemas).toEqual([GROUP_URN]);
      expect(res.body.displayName).toBe('Engineering POST');
      expect(typeof res.body.id).toBe('string');
      expect(res.headers.location).toMatch(new RegExp(`${BASE}/Groups/${res.body.id}$`));
      expect(res.body.meta.location).toBe(res.headers.location);
      expect(res.body.meta.resourceType).toBe('Group');
      const baseUrl = res.headers.location.slice(0, res.headers.location.indexOf('/Groups/'));
      expect(res.body.members).toEqual(expect.arrayContaining([
        { value: alice.id, $ref: `${baseUrl}/Users/${alice.id}`, display: 'Alice Example', type: 'User' },
        { value: bob.id, $ref: `${baseUrl}/Users/${bob.id}`, display: bob.userName, type: 'User' },
      ]));
      expect(res.body.members).toHaveLength(2);
    });

    it('accepts members sent with $ref, type "User" and a display, and keeps only the user id', async () => {
      const alice = await createUser('alice', { displayName: 'Alice Real' });
      const res = await t.post('/Groups', {
        schemas: [GROUP_URN],
        displayName: uniqueName('Refs'),
        members: [{ value: alice.id, $ref: `https://idp.example.com/scim/Users/${alice.id}`, type: 'User', display: 'Made Up' }],
      });
      expect(res.status).toBe(201);
      expect(res.body.members).toHaveLength(1);
      expect(res.body.members[0].value).toBe(alice.id);
      expect(res.body.members[0].display).toBe('Alice Real');
      expect(res.body.members[0].$ref).toMatch(new RegExp(`${BASE}/Users/${alice.id}$`));
    });

    it('creates a group without members', async () => {
      const res = await t.post('/Groups', { schemas: [GROUP_URN], displayName: uniqueName('Empty') });
      expect(res.status).toBe(201);
      expect(res.body.members ?? []).toEqual([]);
      expect(await memberIdsOf(res.body.id)).toEqual([]);
    });

    it('rejects a member of type "Group" with 400 invalidValue and creates nothing', async () => {
      const alice = await createUser();
      const name = uniqueName('Nested');
      const res = await t.post('/Groups', { schemas: [GROUP_URN], displayName: name, members: [{ value: alice.id, type: 'Group' }] });
      expectScimError(res, 400, 'invalidValue');
      const list = await t.get(`/Groups?filter=${encodeURIComponent(`displayName eq "${name}"`)}`);
      expect(list.body.totalResults).toBe(0);
    });

    it('rejects a member that is not a user id with 400 invalidValue naming the id, and creates nothing', async () => {
      const alice = await createUser();
      const missing = randomUUID();
      const name = uniqueName('Ghosts');
      const res = await t.post('/Groups', groupBody(name, [alice.id, missing]));
      const error = expectScimError(res, 400, 'invalidValue');
      expect(error.detail).toContain(missing);
      const list = await t.get(`/Groups?filter=${encodeURIComponent(`displayName eq "${name}"`)}`);
      expect(list.body.totalResults).toBe(0);
      const user = await t.get(`/Users/${alice.id}`);
      expect(user.body.groups).toEqual([]);
    });

    it('rejects a group id as a member: members are users only', async () => {
      const other = await createGroup();
      const res = await t.post('/Groups', groupBody(uniqueName('GroupInGroup'), [other.id]));
      const error = expectScimError(res, 400, 'invalidValue');
      expect(error.detail).toContain(other.id);
    });

    it('rejects a group without displayName with 400 invalidValue', async () => {
      const res = await t.post('/Groups', { schemas: [GROUP_URN], members: [] });
      expectScimError(res, 400, 'invalidValue');
    });

    it('refuses a displayName that differs from an existing one only in case with 409 uniqueness', async () => {
      const name = uniqueName('Unique Team');
      await createGroup([], name);
      const res = await t.post('/Groups', groupBody(name.toUpperCase()));
      const error = expectScimError(res, 409, 'uniqueness');
      expect(error.detail).toContain(name.toUpperCase());
      const list = await t.get(`/Groups?filter=${encodeURIComponent(`displayName eq "${name}"`)}`);
      expect(list.body.totalResults).toBe(1);
      expect(list.body.Resources[0].displayName).toBe(name);
    });
  });

  describe('GET /Groups/:id and GET /Groups', () => {
    it('returns the group with its members, meta and an ETag matching meta.version', async () => {
      const [a, b] = await createUsers(2);
      const group = await createGroup([a.id, b.id]);
      const res = await t.get(`/Groups/${group.id}`);
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(group.id);
      expect(res.body.displayName).toBe(group.displayName);
      expect(sorted(res.body.members.map((m: { value: string }) => m.value))).toEqual(sorted([a.id, b.id]));
      expect(res.headers.etag).toBe('W/"1"');
      expect(res.body.meta.version).toBe(res.headers.etag);
    });

    it('answers 404 for an unknown id', async () => {
      expectScimError(await t.get(`/Groups/${randomUUID()}`), 404);
    });

    it('finds a group by displayName case-insensitively in a list response', async () => {
      const [a] = await createUsers(1);
      const group = await createGroup([a.id], uniqueName('Listed Team'));
      const res = await t.get(`/Groups?filter=${encodeURIComponent(`displayName eq "${group.displayName.toLowerCase()}"`)}`);
      expect(res.status).toBe(200);
      expect(res.body.schemas).toEqual([LIST_URN]);
      expect(res.body.totalResults).toBe(1);
      expect(res.body.Resources[0].id).toBe(group.id);
      expect(res.body.Resources[0].members.map((m: { value: string }) => m.value)).toEqual([a.id]);
    });

    it('leaves members out of a list and of a single group when excludedAttributes=members', async () => {
      const [a] = await createUsers(1);
      const group = await createGroup([a.id]);
      const list = await t.get(`/Groups?excludedAttributes=members&filter=${encodeURIComponent(`displayName eq "${group.displayName}"`)}`);
      expect(list.body.totalResults).toBe(1);
      expect(list.body.Resources[0].displayName).toBe(group.displayName);
      expect(list.body.Resources[0]).not.toHaveProperty('members');
      const one = await t.get(`/Groups/${group.id}?excludedAttributes=members`);
      expect(one.status).toBe(200);
      expect(one.body).not.toHaveProperty('members');
      expect(one.body.displayName).toBe(group.displayName);
    });

    it('finds the groups a user belongs to with a members filter', async () => {
      const [a, b] = await createUsers(2);
      const withA = await createGroup([a.id]);
      await createGroup([b.id]);
      const res = await t.get(`/Groups?excludedAttributes=members&filter=${encodeURIComponent(`members[value eq "${a.id}"]`)}`);
      expect(res.status).toBe(200);
      expect(res.body.Resources.map((g: { id: string }) => g.id)).toEqual([withA.id]);
    });
  });

  describe('PUT /Groups/:id', () => {
    it('replaces the attributes and the whole member set', async () => {
      const [a, b, c] = await createUsers(3);
      const group = await createGroup([a.id, b.id]);
      const newName = uniqueName('Renamed By PUT');
      const res = await t.put(`/Groups/${group.id}`, groupBody(newName, [b.id, c.id], { externalId: 'ext-put' }));
      expect(res.status).toBe(200);
      expect(res.body.displayName).toBe(newName);
      expect(res.body.externalId).toBe('ext-put');
      expect(sorted(res.body.members.map((m: { value: string }) => m.value))).toEqual(sorted([b.id, c.id]));

      const read = await groupOf(group.id);
      expect(read.displayName).toBe(newName);
      expect(read.externalId).toBe('ext-put');
      expect(await memberIdsOf(group.id)).toEqual(sorted([b.id, c.id]));
    });

    it('empties the group when the body has no members', async () => {
      const [a] = await createUsers(1);
      const group = await createGroup([a.id]);
      const res = await t.put(`/Groups/${group.id}`, { schemas: [GROUP_URN], displayName: group.displayName });
      expect(res.status).toBe(200);
      expect(await memberIdsOf(group.id)).toEqual([]);
    });

    it('drops attributes the body leaves out', async () => {
      const group = (await t.post('/Groups', groupBody(uniqueName('WithExt'), [], { externalId: 'ext-1' }))).body;
      expect(group.externalId).toBe('ext-1');
      await t.put(`/Groups/${group.id}`, groupBody(group.displayName));
      expect(await groupOf(group.id)).not.toHaveProperty('externalId');
    });

    it('rejects an unknown member with 400 invalidValue and changes neither attributes nor members', async () => {
      const [a, b] = await createUsers(2);
      const group = await createGroup([a.id]);
      const missing = randomUUID();
      const res = await t.put(`/Groups/${group.id}`, groupBody(uniqueName('Not Applied'), [b.id, missing]));
      expect(expectScimError(res, 400, 'invalidValue').detail).toContain(missing);
      const read = await groupOf(group.id);
      expect(read.displayName).toBe(group.displayName);
      expect(read.meta.version).toBe('W/"1"');
      expect(await memberIdsOf(group.id)).toEqual([a.id]);
    });

    it('refuses to rename to another group\'s displayName in another case with 409 uniqueness', async () => {
      const taken = await createGroup([], uniqueName('Taken Name'));
      const group = await createGroup();
      const res = await t.put(`/Groups/${group.id}`, groupBody(taken.displayName.toLowerCase()));
      expectScimError(res, 409, 'uniqueness');
      expect((await groupOf(group.id)).displayName).toBe(group.displayName);
    });

    it('lets a group change the case of its own displayName', async () => {
      const group = await createGroup([], uniqueName('Own Case'));
      const res = await t.put(`/Groups/${group.id}`, groupBody(group.displayName.toUpperCase()));
      expect(res.status).toBe(200);
      expect((await groupOf(group.id)).displayName).toBe(group.displayName.toUpperCase());
    });

    it('answers 404 for an unknown id', async () => {
      expectScimError(await t.put(`/Groups/${randomUUID()}`, groupBody(uniqueName('Nobody'))), 404);
    });
  });

  describe('PATCH /Groups/:id on members', () => {
    it('adds members with path "members" and a value array', async () => {
      const [a, b, c] = await createUsers(3);
      const group = await createGroup([a.id]);
      const res = await t.patch(`/Groups/${group.id}`, patchBody({ op: 'add', path: 'members', value: [{ value: b.id }, { value: c.id }] }));
      expect(res.status).toBe(204);
      expect(await memberIdsOf(group.id)).toEqual(sorted([a.id, b.id, c.id]));
    });

    it('treats re-adding an existing member as no error and keeps one membership', async () => {
      const [a, b] = await createUsers(2);
      const group = await createGroup([a.id]);
      const res = await t.patch(`/Groups/${group.id}`, patchBody({ op: 'add', path: 'members', value: [{ value: a.id }, { value: b.id }, { value: b.id }] }));
      expect(res.status).toBe(204);
      expect(await memberIdsOf(group.id)).toEqual(sorted([a.id, b.id]));
    });

    it('removes one member with path members[value eq "id"]', async () => {
      const [a, b, c] = await createUsers(3);
      const group = await createGroup([a.id, b.id, c.id]);
      const res = await t.patch(`/Groups/${group.id}`, patchBody({ op: 'remove', path: `members[value eq "${b.id}"]` }));
      expect(res.status).toBe(204);
      expect(await memberIdsOf(group.id)).toEqual(sorted([a.id, c.id]));
    });

    it('removes several members with an or of value eq filters', async () => {
      const [a, b, c] = await createUsers(3);
      const group = await createGroup([a.id, b.id, c.id]);
      const res = await t.patch(`/Groups/${group.id}`, patchBody({ op: 'remove', path: `members[value eq "${a.id}" or value eq "${c.id}"]` }));
      expect(res.status).toBe(204);
      expect(await memberIdsOf(group.id)).toEqual([b.id]);
    });

    it('treats removing an absent member (a non-member user or no user at all) as no error', async () => {
      const [a, outsider] = await createUsers(2);
      const group = await createGroup([a.id]);
      const byFilter = await t.patch(`/Groups/${group.id}`, patchBody({ op: 'remove', path: `members[value eq "${outsider.id}"]` }));
      expect(byFilter.status).toBe(204);
      const byValue = await t.patch(`/Groups/${group.id}`, patchBody({ op: 'remove', path: 'members', value: [{ value: randomUUID() }] }));
      expect(byValue.status).toBe(204);
      expect(await memberIdsOf(group.id)).toEqual([a.id]);
    });

    it('removes only the listed members for remove path "members" with a value array (Entra)', async () => {
      const [a, b, c] = await createUsers(3);
      const group = await createGroup([a.id, b.id, c.id]);
      const res = await t.patch(`/Groups/${group.id}`, patchBody({ op: 'Remove', path: 'members', value: [{ value: a.id }, { value: c.id }] }));
      expect(res.status).toBe(204);
      expect(await memberIdsOf(group.id)).toEqual([b.id]);
    });

    it('removes every member for remove path "members" without a value', async () => {
      const [a, b] = await createUsers(2);
      const group = await createGroup([a.id, b.id]);
      const res = await t.patch(`/Groups/${group.id}`, patchBody({ op: 'remove', path: 'members' }));
      expect(res.status).toBe(204);
      expect(await memberIdsOf(group.id)).toEqual([]);
      expect((await groupOf(group.id)).displayName).toBe(group.displayName);
    });

    it('replaces the member set with replace path "members"', async () => {
      const [a, b, c] = await createUsers(3);
      const group = await createGroup([a.id, b.id]);
      const res = await t.patch(`/Groups/${group.id}`, patchBody({ op: 'replace', path: 'members', value: [{ value: b.id }, { value: c.id }] }));
      expect(res.status).toBe(204);
      expect(await memberIdsOf(group.id)).toEqual(sorted([b.id, c.id]));
    });

    it('adds members with a no-path add of {"members": [...]}', async () => {
      const [a, b] = await createUsers(2);
      const group = await createGroup([a.id]);
      const res = await t.patch(`/Groups/${group.id}`, patchBody({ op: 'add', value: { members: [{ value: b.id }] } }));
      expect(res.status).toBe(204);
      expect(await memberIdsOf(group.id)).toEqual(sorted([a.id, b.id]));
    });

    it('replaces the member set with a no-path replace of {"members": [...]}', async () => {
      const [a, b, c] = await createUsers(3);
      const group = await createGroup([a.id, b.id]);
      const res = await t.patch(`/Groups/${group.id}`, patchBody({ op: 'replace', value: { members: [{ value: c.id }] } }));
      expect(res.status).toBe(204);
      expect(await memberIdsOf(group.id)).toEqual([c.id]);
    });

    it('applies a no-path replace of the same id and a new displayName together with member ops (Okta)', async () => {
      const [a, b, c] = await createUsers(3);
      const group = await createGroup([a.id, b.id]);
      const newName = uniqueName('Okta Renamed');
      const res = await t.patch(`/Groups/${group.id}`, patchBody(
        { op: 'replace', value: { id: group.id, displayName: newName } },
        { op: 'remove', path: 'members', value: [{ value: a.id }] },
        { op: 'add', path: 'members', value: [{ value: c.id }] },
      ));
      expect(res.status).toBe(204);
      const read = await groupOf(group.id);
      expect(read.displayName).toBe(newName);
      expect(await memberIdsOf(group.id)).toEqual(sorted([b.id, c.id]));
    });

    it('applies operations in order: add then remove of the same member leaves it out', async () => {
      const [a, b] = await createUsers(2);
      const group = await createGroup([a.id]);
      const res = await t.patch(`/Groups/${group.id}`, patchBody(
        { op: 'add', path: 'members', value: [{ value: b.id }] },
        { op: 'remove', path: `members[value eq "${b.id}"]` },
      ));
      expect(res.status).toBe(204);
      expect(await memberIdsOf(group.id)).toEqual([a.id]);
    });

    it('accepts op names in any case ("Add", "Remove", "REPLACE")', async () => {
      const [a, b, c] = await createUsers(3);
      const group = await createGroup([a.id]);
      expect((await t.patch(`/Groups/${group.id}`, patchBody({ op: 'Add', path: 'members', value: [{ value: b.id }, { value: c.id }] }))).status).toBe(204);
      expect(await memberIdsOf(group.id)).toEqual(sorted([a.id, b.id, c.id]));
      expect((await t.patch(`/Groups/${group.id}`, patchBody({ op: 'Remove', path: `members[value eq "${a.id}"]` }))).status).toBe(204);
      expect(await memberIdsOf(group.id)).toEqual(sorted([b.id, c.id]));
      expect((await t.patch(`/Groups/${group.id}`, patchBody({ op: 'REPLACE', path: 'members', value: [{ value: a.id }] }))).status).toBe(204);
      expect(await memberIdsOf(group.id)).toEqual([a.id]);
    });

    it('removes members selected by a filter other than value eq (members[type eq "User"])', async () => {
      const [a, b] = await createUsers(2);
      const group = await createGroup([a.id, b.id]);
      const res = await t.patch(`/Groups/${group.id}`, patchBody({ op: 'remove', path: 'members[type eq "User"]' }));
      expect(res.status).toBe(204);
      expect(await memberIdsOf(group.id)).toEqual([]);
    });

    it('removes only the members a display filter selects', async () => {
      const keep = await createUser('keep', { displayName: 'Keep Me' });
      const drop = await createUser('drop', { displayName: 'Drop Me' });
      const group = await createGroup([keep.id, drop.id]);
      const res = await t.patch(`/Groups/${group.id}`, patchBody({ op: 'remove', path: 'members[display eq "drop me"]' }));
      expect(res.status).toBe(204);
      expect(await memberIdsOf(group.id)).toEqual([keep.id]);
    });

    it('applies 1,000 member additions in one operation, and 1,000 removal operations in one request', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 1000; i++) {
        const userName = uniqueName('bulk');
        ids.push((await t.data.users.create({ data: { userName, name: { givenName: 'B', familyName: 'K' }, emails: [{ value: `${userName}@example.com` }] } })).id);
      }
      const group = await createGroup();
      const added = await t.patch(`/Groups/${group.id}?excludedAttributes=members`, patchBody({ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }));
      expect(added.status).toBe(200);
      expect(await memberIdsOf(group.id)).toEqual(sorted(ids));

      const removed = await t.patch(`/Groups/${group.id}?excludedAttributes=members`, patchBody(
        ...ids.map((id) => ({ op: 'remove', path: `members[value eq "${id}"]` })),
      ));
      expect(removed.status).toBe(200);
      expect(await memberIdsOf(group.id)).toEqual([]);
    });

    it('returns 400 invalidValue for a member of type "Group" and writes nothing', async () => {
      const [a, b] = await createUsers(2);
      const group = await createGroup([a.id]);
      const res = await t.patch(`/Groups/${group.id}`, patchBody({ op: 'add', path: 'members', value: [{ value: b.id, type: 'Group' }] }));
      expectScimError(res, 400, 'invalidValue');
      expect(await memberIdsOf(group.id)).toEqual([a.id]);
    });

    it('returns 400 invalidValue naming an unknown member and writes nothing of the request', async () => {
      const [a, b, c] = await createUsers(3);
      const group = await createGroup([a.id]);
      const missing = randomUUID();
      const res = await t.patch(`/Groups/${group.id}`, patchBody(
        { op: 'replace', path: 'displayName', value: uniqueName('Never Applied') },
        { op: 'remove', path: `members[value eq "${a.id}"]` },
        { op: 'add', path: 'members', value: [{ value: b.id }] },
        { op: 'add', path: 'members', value: [{ value: c.id }, { value: missing }] },
      ));
      expect(expectScimError(res, 400, 'invalidValue').detail).toContain(missing);
      const read = await groupOf(group.id);
      expect(read.displayName).toBe(group.displayName);
      expect(read.meta.version).toBe('W/"1"');
      expect(await memberIdsOf(group.id)).toEqual([a.id]);
    });

    it('returns 400 invalidValue for an unknown member in a members-only PATCH and writes nothing', async () => {
      const [a, b] = await createUsers(2);
      const group = await createGroup([a.id]);
      const missing = randomUUID();
      const res = await t.patch(`/Groups/${group.id}`, patchBody({ op: 'add', path: 'members', value: [{ value: b.id }, { value: missing }] }));
      expect(expectScimError(res, 400, 'invalidValue').detail).toContain(missing);
      expect(await memberIdsOf(group.id)).toEqual([a.id]);
      expect((await groupOf(group.id)).meta.version).toBe('W/"1"');
    });

    it('returns 400 mutability for a replace of id with a different id, and changes nothing', async () => {
      const [a] = await createUsers(1);
      const group = await createGroup([a.id]);
      const res = await t.patch(`/Groups/${group.id}`, patchBody(
        { op: 'replace', value: { id: randomUUID(), displayName: uniqueName('Other Id') } },
      ));
      expectScimError(res, 400, 'mutability');
      const read = await groupOf(group.id);
      expect(read.displayName).toBe(group.displayName);
      expect(read.id).toBe(group.id);
    });

    it('returns 400 mutability for an attempt to change a member\'s value in place', async () => {
      const [a, b] = await createUsers(2);
      const group = await createGroup([a.id]);
      const res = await t.patch(`/Groups/${group.id}`, patchBody({ op: 'replace', path: `members[value eq "${a.id}"].value`, value: b.id }));
      expectScimError(res, 400, 'mutability');
      expect(await memberIdsOf(group.id)).toEqual([a.id]);
    });

    it('answers 404 for a PATCH of an unknown group', async () => {
      const [a] = await createUsers(1);
      expectScimError(await t.patch(`/Groups/${randomUUID()}`, patchBody({ op: 'add', path: 'members', value: [{ value: a.id }] })), 404);
    });
  });

  describe('PATCH /Groups/:id on attributes', () => {
    it('renames with replace path displayName and keeps the members', async () => {
      const [a] = await createUsers(1);
      const group = await createGroup([a.id]);
      const newName = uniqueName('Patched Name');
      const res = await t.patch(`/Groups/${group.id}`, patchBody({ op: 'replace', path: 'displayName', value: newName }));
      expect(res.status).toBe(200);
      expect(res.body.displayName).toBe(newName);
      expect((await groupOf(group.id)).displayName).toBe(newName);
      expect(await memberIdsOf(group.id)).toEqual([a.id]);
    });

    it('refuses a rename to another group\'s displayName in another case with 409 uniqueness', async () => {
      const taken = await createGroup([], uniqueName('Patch Taken'));
      const group = await createGroup();
      const res = await t.patch(`/Groups/${group.id}`, patchBody({ op: 'replace', path: 'displayName', value: taken.displayName.toUpperCase() }));
      expectScimError(res, 409, 'uniqueness');
      expect((await groupOf(group.id)).displayName).toBe(group.displayName);
    });

    it('refuses a no-path rename to a taken displayName and does not apply its member ops either', async () => {
      const [a] = await createUsers(1);
      const taken = await createGroup([], uniqueName('Okta Taken'));
      const group = await createGroup();
      const res = await t.patch(`/Groups/${group.id}`, patchBody(
        { op: 'replace', value: { id: group.id, displayName: taken.displayName.toLowerCase() } },
        { op: 'add', path: 'members', value: [{ value: a.id }] },
      ));
      expectScimError(res, 409, 'uniqueness');
      expect(await memberIdsOf(group.id)).toEqual([]);
    });
  });

  describe('DELETE /Groups/:id', () => {
    it('deletes with 204, then answers 404 to GET and to DELETE', async () => {
      const [a] = await createUsers(1);
      const group = await createGroup([a.id]);
      const res = await t.delete(`/Groups/${group.id}`);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expectScimError(await t.get(`/Groups/${group.id}`), 404);
      expectScimError(await t.delete(`/Groups/${group.id}`), 404);
    });

    it('removes the group from its members\' groups and frees its displayName', async () => {
      const [a] = await createUsers(1);
      const group = await createGroup([a.id]);
      await t.delete(`/Groups/${group.id}`);
      expect((await t.get(`/Users/${a.id}`)).body.groups).toEqual([]);
      const again = await t.post('/Groups', groupBody(group.displayName));
      expect(again.status).toBe(201);
    });

    it('answers 405 with an Allow header to DELETE /Groups', async () => {
      const res = await t.delete('/Groups');
      expectScimError(res, 405);
      expect(res.headers.allow).toBe('GET, POST');
    });
  });

  describe('User.groups and user deletion', () => {
    it('lists the groups a user is a direct member of, with value, $ref, display and type "direct"', async () => {
      const user = await createUser();
      const g1 = await createGroup([user.id], uniqueName('Alpha Team'));
      const g2 = await createGroup([], uniqueName('Beta Team'));
      await t.patch(`/Groups/${g2.id}`, patchBody({ op: 'add', path: 'members', value: [{ value: user.id }] }));

      const res = await t.get(`/Users/${user.id}`);
      expect(res.status).toBe(200);
      const baseUrl = res.body.meta.location.slice(0, res.body.meta.location.indexOf('/Users/'));
      expect(res.body.groups).toHaveLength(2);
      expect(res.body.groups).toEqual(expect.arrayContaining([
        { value: g1.id, $ref: `${baseUrl}/Groups/${g1.id}`, display: g1.displayName, type: 'direct' },
        { value: g2.id, $ref: `${baseUrl}/Groups/${g2.id}`, display: g2.displayName, type: 'direct' },
      ]));
    });

    it('follows membership changes: removal, rename and group deletion', async () => {
      const user = await createUser();
      const g1 = await createGroup([user.id]);
      const g2 = await createGroup([user.id]);
      const groupIds = async () => ((await t.get(`/Users/${user.id}`)).body.groups as { value: string }[]).map((g) => g.value).sort();
      expect(await groupIds()).toEqual(sorted([g1.id, g2.id]));

      await t.patch(`/Groups/${g1.id}`, patchBody({ op: 'remove', path: `members[value eq "${user.id}"]` }));
      expect(await groupIds()).toEqual([g2.id]);

      const newName = uniqueName('Renamed For User');
      await t.patch(`/Groups/${g2.id}`, patchBody({ op: 'replace', path: 'displayName', value: newName }));
      expect((await t.get(`/Users/${user.id}`)).body.groups).toEqual([expect.objectContaining({ value: g2.id, display: newName })]);

      await t.delete(`/Groups/${g2.id}`);
      expect(await groupIds()).toEqual([]);
    });

    it('ignores groups sent in a user write: User.groups is read-only', async () => {
      const user = await createUser();
      const group = await createGroup();
      const res = await t.put(`/Users/${user.id}`, userBody(user.userName, { groups: [{ value: group.id }] }));
      expect(res.status).toBe(200);
      expect(res.body.groups).toEqual([]);
      expect(await memberIdsOf(group.id)).toEqual([]);
    });

    it('removes a deleted user from every group it belonged to', async () => {
      const [gone, stays] = await createUsers(2);
      const g1 = await createGroup([gone.id, stays.id]);
      const g2 = await createGroup([gone.id]);
      expect((await t.delete(`/Users/${gone.id}`)).status).toBe(204);
      expect(await memberIdsOf(g1.id)).toEqual([stays.id]);
      expect(await memberIdsOf(g2.id)).toEqual([]);
      const filtered = await t.get(`/Groups?filter=${encodeURIComponent(`members[value eq "${gone.id}"]`)}`);
      expect(filtered.body.totalResults).toBe(0);
    });
  });

  describe('versions and preconditions', () => {
    it('bumps meta.version and the ETag on every write', async () => {
      const [a, b] = await createUsers(2);
      const created = await t.post('/Groups', groupBody(uniqueName('Versioned'), [a.id]));
      expect(created.headers.etag).toBe('W/"1"');
      const id = created.body.id;

      const added = await t.patch(`/Groups/${id}`, patchBody({ op: 'add', path: 'members', value: [{ value: b.id }] })).set('Prefer', 'return=representation');
      expect(added.headers.etag).toBe('W/"2"');
      expect(added.body.meta.version).toBe('W/"2"');

      const renamed = await t.patch(`/Groups/${id}`, patchBody({ op: 'replace', path: 'displayName', value: uniqueName('Versioned') }));
      expect(renamed.headers.etag).toBe('W/"3"');

      const replaced = await t.put(`/Groups/${id}`, groupBody(renamed.body.displayName, [a.id]));
      expect(replaced.headers.etag).toBe('W/"4"');

      const read = await t.get(`/Groups/${id}`);
      expect(read.headers.etag).toBe('W/"4"');
      expect(read.body.meta.version).toBe('W/"4"');
      expect(Date.parse(read.body.meta.lastModified)).toBeGreaterThanOrEqual(Date.parse(read.body.meta.created));
    });

    it('applies a PATCH whose If-Match names the current version', async () => {
      const [a] = await createUsers(1);
      const group = await createGroup();
      const res = await t.patch(`/Groups/${group.id}`, patchBody({ op: 'add', path: 'members', value: [{ value: a.id }] })).set('If-Match', 'W/"1"');
      expect(res.status).toBe(204);
      expect(res.headers.etag).toBe('W/"2"');
      expect(await memberIdsOf(group.id)).toEqual([a.id]);
    });

    it('answers 412 to a members-only PATCH, a rename, a PUT and a DELETE with a stale If-Match, writing nothing', async () => {
      const [a, b] = await createUsers(2);
      const group = await createGroup([a.id]);
      await t.patch(`/Groups/${group.id}`, patchBody({ op: 'add', path: 'members', value: [{ value: b.id }] })); // now W/"2"

      expectScimError(await t.patch(`/Groups/${group.id}`, patchBody({ op: 'remove', path: 'members' })).set('If-Match', 'W/"1"'), 412);
      expectScimError(await t.patch(`/Groups/${group.id}`, patchBody({ op: 'replace', path: 'displayName', value: 'Stale Rename' })).set('If-Match', 'W/"1"'), 412);
      expectScimError(await t.put(`/Groups/${group.id}`, groupBody('Stale Put')).set('If-Match', 'W/"1"'), 412);
      expectScimError(await t.delete(`/Groups/${group.id}`).set('If-Match', 'W/"1"'), 412);

      const read = await groupOf(group.id);
      expect(read.displayName).toBe(group.displayName);
      expect(read.meta.version).toBe('W/"2"');
      expect(await memberIdsOf(group.id)).toEqual(sorted([a.id, b.id]));
    });

    it('deletes with an If-Match naming the current version', async () => {
      const group = await createGroup();
      expect((await t.delete(`/Groups/${group.id}`).set('If-Match', 'W/"1"')).status).toBe(204);
      expectScimError(await t.get(`/Groups/${group.id}`), 404);
    });

    it('answers 304 to a GET whose If-None-Match holds the current ETag, and 200 once the group changed', async () => {
      const [a] = await createUsers(1);
      const group = await createGroup();
      const notModified = await t.get(`/Groups/${group.id}`).set('If-None-Match', 'W/"1"');
      expect(notModified.status).toBe(304);
      expect(notModified.headers.etag).toBe('W/"1"');
      expect(notModified.text).toBe('');

      await t.patch(`/Groups/${group.id}`, patchBody({ op: 'add', path: 'members', value: [{ value: a.id }] }));
      const modified = await t.get(`/Groups/${group.id}`).set('If-None-Match', 'W/"1"');
      expect(modified.status).toBe(200);
      expect(modified.headers.etag).toBe('W/"2"');
      expect(modified.body.members.map((m: { value: string }) => m.value)).toEqual([a.id]);
    });
  });
});

describe('deleting a member changes the group version', () => {
  let t: import('../support/test-app').TestApp;
  beforeAll(async () => { t = await (await import('../support/test-app')).startTestApp(); });
  afterAll(() => t.close());

  it('so a client holding the old ETag gets the new member list, not 304', async () => {
    const { userBody } = await import('../support/test-app');
    const a = (await t.post('/Users', userBody('etag.a'))).body.id;
    const b = (await t.post('/Users', userBody('etag.b'))).body.id;
    const group = await t.post('/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'etag-group', members: [{ value: a }, { value: b }] });
    expect((await t.delete(`/Users/${b}`)).status).toBe(204);
    const after = await t.get(`/Groups/${group.body.id}`).set('If-None-Match', group.headers.etag);
    expect(after.status).toBe(200);
    expect(after.body.members.map((m: { value: string }) => m.value)).toEqual([a]);
  });
});
