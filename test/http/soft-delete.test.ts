import request from 'supertest';
import { ACCOUNT_URN, ADMIN_USERS, BASE, GROUP_URN, LIST_URN, PATCH_URN, expectScimError, patchBody, startTestApp, userBody, type TestApp } from '../support/test-app';

/** supertest listens on a new port for each request, so compare resources without the origin. */
const sansOrigin = (body: unknown) => JSON.parse(JSON.stringify(body).replace(/http:\/\/127\.0\.0\.1:\d+/g, '')) as Record<string, any>;
const withoutMeta = ({ meta: _meta, ...rest }: Record<string, any>) => rest;

/**
 * Issue 3, rules 001, 003 and 9: DELETE /Users/{id} is a soft delete. The user disappears from
 * every SCIM read, but its row, attributes, memberships and userName are kept for restore.
 * Issue 12: the deleted users can be found (GET /admin/…/users/deleted), and a restore restarts
 * an Inactive account's inactivity clock.
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
  /** GET …/users/deleted with these query parameters, as the service token. */
  const listDeleted = (query: Record<string, string> = {}) =>
    request(t.app).get(`${ADMIN_USERS}/deleted`).query(query).set('Authorization', `Bearer ${t.token}`);
  const deletedNames = (res: request.Response) => (res.body.Resources as { userName: string }[]).map((r) => r.userName);

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

  describe('GET /admin/…/users/deleted: the users an administrator may restore', () => {
    it('lists only deleted users, each rendered as GET /Users renders it (its groups too), with meta.deleted', async () => {
      const stem = uniqueName('listed');
      const live = await createUser(`${stem}.live`);
      const gone = await createUser(`${stem}.gone`, { displayName: 'Gone Soon', title: 'Clerk' });
      const group = await createGroup([gone.id, live.id]);
      const before = sansOrigin((await t.get(`/Users/${gone.id}`)).body);
      await deleteUser(gone.id);

      const res = await listDeleted({ filter: `userName sw "${stem}"` });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/application\/scim\+json/);
      expect(res.body).toMatchObject({ schemas: [LIST_URN], totalResults: 1, startIndex: 1, itemsPerPage: 1 });
      const [listed] = sansOrigin(res.body).Resources;
      expect(withoutMeta(listed)).toEqual(withoutMeta(before));
      expect(listed.groups.map((g: { value: string }) => g.value)).toEqual([group.id]);
      // Where it lives once restored; deleted when the user was deleted (the last change to it).
      expect(listed.meta).toMatchObject({ resourceType: 'User', created: before.meta.created, location: before.meta.location });
      expect(listed.meta.deleted).toBe(listed.meta.lastModified);
      expect(Date.parse(listed.meta.deleted)).toBeGreaterThanOrEqual(Date.parse(before.meta.lastModified));
      expect(listed.meta.version).not.toBe(before.meta.version);
    });

    it('filters, sorts and pages by startIndex and count as GET /Users does', async () => {
      const stem = uniqueName('paged');
      for (const name of ['b', 'a', 'd', 'c']) await deleteUser((await createUser(`${stem}.${name}`)).id);
      await createUser(`${stem}.live`);
      const filter = `userName sw "${stem}"`;

      const all = await listDeleted({ filter, sortBy: 'userName' });
      expect(deletedNames(all)).toEqual(['a', 'b', 'c', 'd'].map((n) => `${stem}.${n}`));
      const page = await listDeleted({ filter, sortBy: 'userName', sortOrder: 'descending', startIndex: '2', count: '2' });
      expect(page.body).toMatchObject({ totalResults: 4, startIndex: 2, itemsPerPage: 2 });
      expect(deletedNames(page)).toEqual([`${stem}.c`, `${stem}.b`]);
      expect((await listDeleted({ filter, count: '0' })).body).toMatchObject({ totalResults: 4, itemsPerPage: 0, Resources: [] });
      expect(deletedNames(await listDeleted({ filter: `userName eq "${stem.toUpperCase()}.D"` }))).toEqual([`${stem}.d`]);
      expect((await listDeleted({ filter: `userName eq "${stem}.live"` })).body.totalResults).toBe(0);
    });

    it('pages with cursors (RFC 9865), and refuses a cursor of GET /Users: 400 invalidCursor', async () => {
      const stem = uniqueName('cursor');
      const names = ['a', 'b', 'c'].map((n) => `${stem}.${n}`);
      for (const name of names) await deleteUser((await createUser(name)).id);
      const filter = `userName sw "${stem}"`;
      const first = await listDeleted({ filter, sortBy: 'userName', cursor: '', count: '2' });
      expect(first.status).toBe(200);
      expect(first.body.startIndex).toBeUndefined();
      expect(deletedNames(first)).toEqual(names.slice(0, 2));
      const second = await listDeleted({ filter, sortBy: 'userName', cursor: first.body.nextCursor, count: '2' });
      expect(deletedNames(second)).toEqual(names.slice(2));
      expect(second.body.nextCursor).toBeUndefined();

      await createUser(`${stem}.live1`);
      await createUser(`${stem}.live2`);
      const live = await t.get(`/Users?filter=${encodeURIComponent(filter)}&sortBy=userName&cursor=&count=1`);
      expect(live.body.nextCursor).toEqual(expect.any(String));
      expectScimError(await listDeleted({ filter, sortBy: 'userName', cursor: live.body.nextCursor }), 400, 'invalidCursor');
    });

    it('returns the attributes asked for, and meta.deleted always', async () => {
      const gone = await createUser(uniqueName('projected'));
      await deleteUser(gone.id);
      const res = await listDeleted({ filter: `id eq "${gone.id}"`, attributes: 'userName' });
      const [listed] = res.body.Resources;
      expect(Object.keys(listed).sort()).toEqual(['id', 'meta', 'schemas', 'userName']);
      expect(listed.meta.deleted).toEqual(expect.any(String));
    });

    it('takes a restored user off the list', async () => {
      const gone = await createUser(uniqueName('back'));
      await deleteUser(gone.id);
      const filter = `id eq "${gone.id}"`;
      expect((await listDeleted({ filter })).body.totalResults).toBe(1);
      await restore({ id: gone.id });
      expect((await listDeleted({ filter })).body.totalResults).toBe(0);
    });

    it.each<[string, string, Record<string, string>]>([
      ['a filter that does not parse', 'invalidFilter', { filter: 'userName sw' }],
      ['a filter on an unknown attribute', 'invalidFilter', { filter: 'userNmae sw "a"' }],
      ['a sortBy on an unknown attribute', 'invalidPath', { sortBy: 'nope' }],
      ['a count that is not a number', 'invalidValue', { count: 'ten' }],
      ['a cursor this server did not issue', 'invalidCursor', { cursor: 'not-a-cursor' }],
      ['startIndex beside a cursor', 'invalidValue', { cursor: '', startIndex: '2' }],
    ])('refuses %s: 400 %s', async (_label, scimType, query) => {
      expectScimError(await listDeleted(query), 400, scimType);
    });

    it('answers other methods with 405 and an Allow header', async () => {
      const res = await request(t.app).post(`${ADMIN_USERS}/deleted`).set('Authorization', `Bearer ${t.token}`).send({});
      expectScimError(res, 405);
      expect(res.headers.allow).toBe('GET');
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

      expect((await t.patch(`/Groups/${group.id}`, patchBody({ op: 'remove', path: 'members' }))).status).toBe(204);
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

    it('restarts an Inactive user\'s inactivity clock: deactivatedAt becomes the time of the restore, status stays Inactive', async () => {
      const user = await createUser(uniqueName('idle'), { active: false });
      expect((await t.patch(`/Users/${user.id}`, patchBody({ op: 'replace', value: { [`${ACCOUNT_URN}:status`]: 'Inactive' } }))).status).toBe(200);
      const inactive = (await t.get(`/Users/${user.id}`)).body;
      expect(inactive[ACCOUNT_URN]).toMatchObject({ status: 'Inactive', deactivatedAt: expect.any(String) });
      await deleteUser(user.id);
      const startedAt = Date.now();

      const restored = await restore({ id: user.id });
      expect(restored.active).toBe(false);
      expect(restored[ACCOUNT_URN].status).toBe('Inactive');
      expect(Date.parse(restored[ACCOUNT_URN].deactivatedAt)).toBeGreaterThanOrEqual(startedAt);
      expect((await t.get(`/Users/${user.id}`)).body[ACCOUNT_URN].deactivatedAt).toBe(restored[ACCOUNT_URN].deactivatedAt);
    });

    it('leaves a restored Active user exactly as it was deleted (no clock runs)', async () => {
      const user = await createUser();
      const before = sansOrigin((await t.get(`/Users/${user.id}`)).body);
      await deleteUser(user.id);
      expect(withoutMeta(sansOrigin(await restore({ id: user.id })))).toEqual(withoutMeta(before));
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
