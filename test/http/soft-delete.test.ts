import request from 'supertest';
import { ADMIN_USERS, BASE, GROUP_URN, PATCH_URN, expectScimError, patchBody, startTestApp, userBody, type TestApp } from '../support/test-app';

/** supertest listens on a new port for each request, so compare resources without the origin. */
const sansOrigin = (body: unknown) => JSON.parse(JSON.stringify(body).replace(/http:\/\/127\.0\.0\.1:\d+/g, '')) as Record<string, any>;
const withoutMeta = ({ meta: _meta, ...rest }: Record<string, any>) => rest;

/**
 * Issue 3, rules 001, 003 and 9: DELETE /Users/{id} is a soft delete. The user disappears from
 * every SCIM read, but its row, attributes, memberships and userName are kept for restore.
 */
describe('soft delete of users', () => {
  let t: TestApp;
  let seq = 0;
  const uniqueName = (stem = 'soft') => `${stem}.${++seq}`;

  const createUser = async (name = uniqueName(), extra: object = {}) => {
    const res = await t.post('/Users', userBody(name, extra));
    expect(res.status).toBe(201);
    return res.body as Record<string, any> & { id: string; userName: string };
  };
  const createGroup = async (memberIds: string[], displayName = uniqueName('group')) => {
    const res = await t.post('/Groups', { schemas: [GROUP_URN], displayName, members: memberIds.map((value) => ({ value })) });
    expect(res.status).toBe(201);
    return res.body as Record<string, any> & { id: string; displayName: string };
  };
  const deleteUser = async (id: string) => expect((await t.delete(`/Users/${id}`)).status).toBe(204);
  const restore = async (body: object) => {
    const res = await request(t.app).post(`${ADMIN_USERS}/restore`).set('Authorization', `Bearer ${t.token}`).send(body);
    expect(res.status).toBe(200);
    return res.body as Record<string, any>;
  };
  const memberIdsOf = async (groupId: string) => {
    const res = await t.get(`/Groups/${groupId}`);
    expect(res.status).toBe(200);
    return ((res.body.members ?? []) as { value: string }[]).map((m) => m.value);
  };
  const groupVersion = async (groupId: string) => (await t.get(`/Groups/${groupId}`)).body.meta.version as string;
  const listUserIds = async (filter?: string) => {
    const res = await t.get(`/Users${filter ? `?filter=${encodeURIComponent(filter)}` : ''}`);
    expect(res.status).toBe(200);
    return { ids: (res.body.Resources as { id: string }[]).map((r) => r.id), total: res.body.totalResults as number };
  };

  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => t.close());

  describe('DELETE /Users/{id}', () => {
    it('answers 204 with no body; the user is then 404 on GET, PUT, PATCH and a second DELETE', async () => {
      const user = await createUser();
      const res = await t.delete(`/Users/${user.id}`);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expectScimError(await t.get(`/Users/${user.id}`), 404);
      expectScimError(await t.put(`/Users/${user.id}`, userBody(user.userName, { title: 'x' })), 404);
      expectScimError(await t.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'title', value: 'x' })), 404);
      expectScimError(await t.delete(`/Users/${user.id}`), 404);
    });

    it('hides the user from GET /Users, POST /Users/.search and the root /.search', async () => {
      const kept = await createUser();
      const gone = await createUser();
      await deleteUser(gone.id);

      const { ids, total } = await listUserIds();
      expect(ids).toContain(kept.id);
      expect(ids).not.toContain(gone.id);
      expect(total).toBe(ids.length);

      const search = await t.post('/Users/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: `userName eq "${gone.userName}"` });
      expect(search.status).toBe(200);
      expect(search.body.totalResults).toBe(0);

      const root = await t.post('/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: `userName eq "${gone.userName}"` });
      expect(root.status).toBe(200);
      expect(root.body.totalResults).toBe(0);
    });

    type Named = { id: string; userName: string };
    it.each<[string, (u: Named) => string]>([
      ['userName eq, as stored', (u) => `userName eq "${u.userName}"`],
      ['userName eq, in another case', (u) => `userName eq "${u.userName.toUpperCase()}"`],
      ['emails.value eq', (u) => `emails.value eq "${u.userName}@example.com"`],
      ['emails[value eq …]', (u) => `emails[value eq "${u.userName}@example.com"]`],
      ['title eq (a JSON attribute)', () => 'title eq "Deleted Title"'],
      ['id eq', (u) => `id eq "${u.id}"`],
    ])('hides the user from a filter on %s', async (_label, filterOf) => {
      const gone = await createUser(uniqueName('filtered'), { title: 'Deleted Title' });
      expect((await listUserIds(filterOf(gone))).ids).toEqual([gone.id]);
      await deleteUser(gone.id);
      expect(await listUserIds(filterOf(gone))).toEqual({ ids: [], total: 0 });
    });

    it('hides the user from an or filter whose other branch matches a live user', async () => {
      const live = await createUser();
      const gone = await createUser();
      await deleteUser(gone.id);
      const { ids } = await listUserIds(`userName eq "${gone.userName}" or userName eq "${live.userName}"`);
      expect(ids).toEqual([live.id]);
    });

    it('removes the user from the members of its groups and bumps those groups\' versions', async () => {
      const stays = await createUser();
      const gone = await createUser();
      const group = await createGroup([stays.id, gone.id]);
      const before = await groupVersion(group.id);
      expect(await memberIdsOf(group.id)).toEqual([stays.id, gone.id]);

      await deleteUser(gone.id);
      expect(await memberIdsOf(group.id)).toEqual([stays.id]);
      const after = await t.get(`/Groups/${group.id}`);
      expect(after.body.meta.version).not.toBe(before);
      expect(after.headers.etag).toBe(after.body.meta.version);
      // A client holding the old ETag must see that the member list changed.
      const conditional = await request(t.app).get(`${BASE}/Groups/${group.id}`).set('Authorization', `Bearer ${t.token}`).set('If-None-Match', before);
      expect(conditional.status).toBe(200);
    });

    it('leaves the versions of groups the user was not in unchanged', async () => {
      const other = await createUser();
      const unrelated = await createGroup([other.id]);
      const before = await groupVersion(unrelated.id);
      const gone = await createUser();
      await createGroup([gone.id]);
      await deleteUser(gone.id);
      expect(await groupVersion(unrelated.id)).toBe(before);
    });

    it('removes the user from the members in group lists and from members.value eq group filters', async () => {
      const gone = await createUser();
      const group = await createGroup([gone.id]);
      const filter = encodeURIComponent(`members.value eq "${gone.id}"`);
      expect((await t.get(`/Groups?filter=${filter}`)).body.totalResults).toBe(1);

      await deleteUser(gone.id);
      expect((await t.get(`/Groups?filter=${filter}`)).body.totalResults).toBe(0);
      const listed = await t.get(`/Groups?filter=${encodeURIComponent(`displayName eq "${group.displayName}"`)}`);
      expect(listed.body.Resources).toHaveLength(1);
      expect(listed.body.Resources[0].members ?? []).toEqual([]);
      const bracketed = await t.get(`/Groups?filter=${encodeURIComponent(`members[value eq "${gone.id}"]`)}`);
      expect(bracketed.body.totalResults).toBe(0);
    });

    it('refuses to add a deleted user to a group, by PATCH or in a new group: 400 invalidValue', async () => {
      const gone = await createUser();
      const group = await createGroup([]);
      await deleteUser(gone.id);

      const patched = await t.patch(`/Groups/${group.id}`, patchBody({ op: 'add', path: 'members', value: [{ value: gone.id }] }));
      expect(expectScimError(patched, 400, 'invalidValue').detail).toContain(gone.id);
      expect(await memberIdsOf(group.id)).toEqual([]);

      const created = await t.post('/Groups', { schemas: [GROUP_URN], displayName: uniqueName('group'), members: [{ value: gone.id }] });
      expectScimError(created, 400, 'invalidValue');
    });

    it('refuses to add a deleted user back to a group it still (hiddenly) belongs to: 400', async () => {
      const gone = await createUser();
      const group = await createGroup([gone.id]);
      await deleteUser(gone.id);
      const res = await t.patch(`/Groups/${group.id}`, { schemas: [PATCH_URN], Operations: [{ op: 'add', path: 'members', value: [{ value: gone.id }] }] });
      expectScimError(res, 400, 'invalidValue');
      expect(await memberIdsOf(group.id)).toEqual([]);
    });

    it.each([
      ['as stored', (n: string) => n],
      ['in upper case', (n: string) => n.toUpperCase()],
    ])('keeps the userName reserved: a new user with it (%s) is 409 uniqueness, pointing at restore', async (_label, variant) => {
      const gone = await createUser(uniqueName('Reserved'));
      await deleteUser(gone.id);
      const error = expectScimError(await t.post('/Users', userBody(variant(gone.userName))), 409, 'uniqueness');
      expect(error.detail).toMatch(/deleted/i);
      expect(error.detail).toMatch(/restore/i);
    });

    it('keeps the userName reserved against renaming another user to it: 409 uniqueness', async () => {
      const gone = await createUser();
      const other = await createUser();
      await deleteUser(gone.id);
      const res = await t.patch(`/Users/${other.id}`, patchBody({ op: 'replace', path: 'userName', value: gone.userName }));
      expect(expectScimError(res, 409, 'uniqueness').detail).toMatch(/restore/i);
      expect((await t.get(`/Users/${other.id}`)).body.userName).toBe(other.userName);
    });

    it('says plainly "already taken" (no restore hint) for a userName held by a live user', async () => {
      const live = await createUser();
      const error = expectScimError(await t.post('/Users', userBody(live.userName)), 409, 'uniqueness');
      expect(error.detail).not.toMatch(/restore/i);
    });
  });

  describe('restore', () => {
    it('brings the user back with the same id, attributes and groups', async () => {
      const user = await createUser(uniqueName('Roundtrip'), {
        displayName: 'Round Trip', title: 'Engineer', nickName: 'rt',
        phoneNumbers: [{ value: '+1 555 0100', type: 'work' }],
      });
      const groupA = await createGroup([user.id], uniqueName('alpha'));
      const groupB = await createGroup([user.id], uniqueName('beta'));
      const before = sansOrigin((await t.get(`/Users/${user.id}`)).body);
      expect(before.groups.map((g: { value: string }) => g.value).sort()).toEqual([groupA.id, groupB.id].sort());

      await deleteUser(user.id);
      const restored = sansOrigin(await restore({ userName: user.userName }));
      expect(restored.id).toBe(user.id);
      expect(withoutMeta(restored)).toEqual(withoutMeta(before));

      const fetched = sansOrigin((await t.get(`/Users/${user.id}`)).body);
      expect(withoutMeta(fetched)).toEqual(withoutMeta(before));
      expect(fetched.meta.created).toBe(before.meta.created);
      expect(fetched.meta.version).not.toBe(before.meta.version);
      expect(await memberIdsOf(groupA.id)).toEqual([user.id]);
      expect(await memberIdsOf(groupB.id)).toEqual([user.id]);
    });

    it('shows the restored user in lists and filters again', async () => {
      const user = await createUser();
      await deleteUser(user.id);
      await restore({ id: user.id });
      expect((await listUserIds(`userName eq "${user.userName}"`)).ids).toEqual([user.id]);
      const group = await createGroup([user.id]);
      expect((await t.get(`/Groups?filter=${encodeURIComponent(`members.value eq "${user.id}"`)}`)).body.Resources.map((g: { id: string }) => g.id)).toEqual([group.id]);
    });

    it('brings back the membership in Group.members and members.value eq filters, with a new group version', async () => {
      const user = await createUser();
      const other = await createUser();
      const group = await createGroup([user.id, other.id]);
      await deleteUser(user.id);
      const whileDeleted = await groupVersion(group.id);

      await restore({ userName: user.userName });
      expect((await memberIdsOf(group.id)).sort()).toEqual([user.id, other.id].sort());
      expect(await groupVersion(group.id)).not.toBe(whileDeleted);
      const filtered = await t.get(`/Groups?filter=${encodeURIComponent(`members.value eq "${user.id}"`)}`);
      expect(filtered.body.Resources.map((g: { id: string }) => g.id)).toEqual([group.id]);
    });

    it('keeps a deleted member\'s membership when its group is replaced (PUT) meanwhile, and brings it back on restore', async () => {
      const gone = await createUser();
      const stays = await createUser();
      const added = await createUser();
      const group = await createGroup([gone.id, stays.id]);
      await deleteUser(gone.id);

      // The client sees only the live member and replaces the list with what it sees plus one.
      const put = await t.put(`/Groups/${group.id}`, { schemas: [GROUP_URN], displayName: group.displayName, members: [{ value: stays.id }, { value: added.id }] });
      expect(put.status).toBe(200);
      expect((put.body.members as { value: string }[]).map((m) => m.value).sort()).toEqual([stays.id, added.id].sort());

      await restore({ id: gone.id });
      expect((await memberIdsOf(group.id)).sort()).toEqual([gone.id, stays.id, added.id].sort());
    });

    it('keeps a deleted member\'s membership when all members are removed by PATCH meanwhile', async () => {
      const gone = await createUser();
      const stays = await createUser();
      const group = await createGroup([gone.id, stays.id]);
      await deleteUser(gone.id);

      expect((await t.patch(`/Groups/${group.id}`, patchBody({ op: 'remove', path: 'members' }))).status).toBe(200);
      expect(await memberIdsOf(group.id)).toEqual([]);
      await restore({ id: gone.id });
      expect(await memberIdsOf(group.id)).toEqual([gone.id]);
    });

    it('frees nothing for reuse: after restore the userName is held by the restored user, still 409 for a newcomer', async () => {
      const user = await createUser();
      await deleteUser(user.id);
      await restore({ userName: user.userName });
      const error = expectScimError(await t.post('/Users', userBody(user.userName)), 409, 'uniqueness');
      expect(error.detail).not.toMatch(/restore/i);
    });

    it('can delete and restore the same user more than once', async () => {
      const user = await createUser();
      const group = await createGroup([user.id]);
      for (let round = 0; round < 2; round++) {
        await deleteUser(user.id);
        expect(await memberIdsOf(group.id)).toEqual([]);
        expect((await restore({ id: user.id })).id).toBe(user.id);
        expect(await memberIdsOf(group.id)).toEqual([user.id]);
      }
    });
  });
});
