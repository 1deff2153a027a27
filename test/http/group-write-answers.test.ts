import { GROUP_URN, USER_URN, patchBody, startTestApp, userBody, type TestApp } from '../support/test-app';

/**
 * What a successful PUT or PATCH answers: 204 No Content with the ETag for a PATCH of a group's
 * members (the body would be the whole member list), 200 with the resource for any other write
 * (a PUT too), and whatever the client asks for with Prefer (RFC 7240) or attributes/excludedAttributes.
 */
describe('the answer to a group write', () => {
  let t: TestApp;
  let seq = 0;
  const unique = (prefix: string) => `${prefix}.${++seq}`;

  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => t.close());

  const createUser = async () => (await t.post('/Users', userBody(unique('answer')))).body.id as string;
  const createGroup = async (members: readonly string[] = []) =>
    (await t.post('/Groups', { schemas: [GROUP_URN], displayName: unique('Answers'), members: members.map((value) => ({ value })) })).body as { id: string; displayName: string };

  type Write = (group: { id: string; displayName: string }, user: string) => { method: 'put' | 'patch'; query?: string; prefer?: string; body: object };
  const add = (user: string) => patchBody({ op: 'add', path: 'members', value: [{ value: user }] });
  const rename = (group: { displayName: string }) => patchBody({ op: 'replace', path: 'displayName', value: `${group.displayName} v2` });

  const cases: [string, 200 | 204, Write][] = [
    ['PATCH add path "members"', 204, (_g, u) => ({ method: 'patch', body: add(u) })],
    ['PATCH remove members[value eq …]', 204, (_g, u) => ({ method: 'patch', body: patchBody({ op: 'remove', path: `members[value eq "${u}"]` }) })],
    ['PATCH with the URN-qualified path', 204, (_g, u) => ({ method: 'patch', body: patchBody({ op: 'add', path: `${GROUP_URN}:members`, value: [{ value: u }] }) })],
    ['PATCH no-path add of {"members": […]}', 204, (_g, u) => ({ method: 'patch', body: patchBody({ op: 'add', value: { members: [{ value: u }] } }) })],
    ['PATCH of a rename and members together', 204, (g, u) => ({ method: 'patch', body: patchBody(rename(g).Operations[0], add(u).Operations[0]) })],
    ['PUT (RFC 7644 §3.5.1 gives PUT no 204; its request already carries every member)', 200, (g, u) => ({ method: 'put', body: { schemas: [GROUP_URN], displayName: g.displayName, members: [{ value: u }] } })],
    ['PUT with Prefer: return=minimal', 204, (g) => ({ method: 'put', prefer: 'return=minimal', body: { schemas: [GROUP_URN], displayName: g.displayName } })],
    ['PATCH of displayName only', 200, (g) => ({ method: 'patch', body: rename(g) })],
    ["Okta's no-path rename {id, displayName}", 200, (g) => ({ method: 'patch', body: patchBody({ op: 'replace', value: { id: g.id, displayName: `${g.displayName} v2` } }) })],
    ['members write with Prefer: return=representation', 200, (_g, u) => ({ method: 'patch', prefer: 'return=representation', body: add(u) })],
    ['members write with attributes=displayName', 200, (_g, u) => ({ method: 'patch', query: 'attributes=displayName', body: add(u) })],
    ['members write with excludedAttributes=members', 200, (_g, u) => ({ method: 'patch', query: 'excludedAttributes=members', body: add(u) })],
    ['PUT with Prefer: return=representation', 200, (g, u) => ({ method: 'put', prefer: 'return=representation', body: { schemas: [GROUP_URN], displayName: g.displayName, members: [{ value: u }] } })],
    ['rename with Prefer: return=minimal', 204, (g) => ({ method: 'patch', prefer: 'return=minimal', body: rename(g) })],
    ['members write with Prefer: return=minimal and attributes (the preference wins)', 204, (_g, u) => ({ method: 'patch', prefer: 'return=minimal', query: 'attributes=members', body: add(u) })],
  ];

  it.each(cases)('%s answers %s', async (_name, status, write) => {
    const user = await createUser();
    const group = await createGroup([user]);
    const { method, query, prefer, body } = write(group, await createUser());
    const request = t[method](`/Groups/${group.id}${query ? `?${query}` : ''}`, body);
    const res = await (prefer ? request.set('Prefer', prefer) : request);
    expect(res.status).toBe(status);
    const read = await t.get(`/Groups/${group.id}`);
    expect(res.headers.etag).toBe(read.headers.etag);
    if (status === 204) expect(res.text).toBe('');
    else expect(res.body).toMatchObject({ schemas: expect.arrayContaining([GROUP_URN]), id: group.id });
  });

  it('a 200 answer is projected as asked and holds every member when members are returned', async () => {
    const [a, b] = [await createUser(), await createUser()];
    const group = await createGroup([a]);
    const projected = await t.patch(`/Groups/${group.id}?attributes=displayName`, add(b));
    expect(Object.keys(projected.body).sort()).toEqual(['displayName', 'id', 'schemas']);
    const full = await t.patch(`/Groups/${group.id}`, add(b)).set('Prefer', 'return=representation');
    expect(full.body.members.map((m: { value: string }) => m.value).sort()).toEqual([a, b].sort());
    expect(full.headers['content-type']).toMatch(/application\/scim\+json/);
  });

  it('a user write answers 200 with the user, as before; /Bulk answers a group PATCH with status 200 in its results', async () => {
    const user = await createUser();
    const patched = await t.patch(`/Users/${user}`, patchBody({ op: 'replace', path: 'title', value: 'Lead' }));
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ schemas: expect.arrayContaining([USER_URN]), id: user, title: 'Lead' });

    const group = await createGroup();
    const bulk = await t.post('/Bulk', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: [{ method: 'PATCH', path: `/Groups/${group.id}`, data: add(user) }],
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body.Operations).toEqual([expect.objectContaining({ method: 'PATCH', status: '200' })]);
  });

  it('a refused members write is an ordinary SCIM error, whatever the answer would have been', async () => {
    const group = await createGroup();
    const res = await t.patch(`/Groups/${group.id}`, add('no-such-user'));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ scimType: 'invalidValue', detail: expect.stringContaining('no-such-user') });
  });
});
