import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ACCOUNT_URN, ADMIN_USERS, BASE, GROUP_URN, expectScimError, patchBody, startTestApp, userBody, type TestApp } from '../../support/test-app';
import { actorOf, adminClient, recorded, watchFeed, type AdminClient } from './event-support';

/**
 * docs/events.md, "The guarantee": a write that is refused or fails records no event, and
 * leaves nothing half-written. Each refusal is sent against the same fixture, and after it the
 * feed has nothing new and every resource of the fixture is as it was.
 */
const BULK_REQUEST_URN = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const STALE = 'W/"999"';

type User = Record<string, any> & { id: string; userName: string; meta: { version: string } };
type Group = Record<string, any> & { id: string; displayName: string; meta: { version: string } };

const groupBody = (displayName: string, memberIds: readonly string[] = []) =>
  ({ schemas: [GROUP_URN], displayName, members: memberIds.map((value) => ({ value })) });

/** What each refusal may use: users, groups, a webhook, and a token bound to `member` (an Internal account: not a writer). */
interface Fixture {
  member: User;
  other: User;
  inactive: User;
  outsider: User;
  group: Group;
  otherGroup: Group;
  webhookId: string;
  memberToken: string;
}

describe('no change event for a refused or failed write', () => {
  let t: TestApp;
  let admin: AdminClient;
  let f: Fixture;
  let seq = 0;
  const uniqueName = (stem = 'refused') => `${stem}.${++seq}`;

  const createUser = async (extra: object = {}) => {
    const res = await t.post('/Users', userBody(uniqueName(), extra));
    expect(res.status).toBe(201);
    return res.body as User;
  };
  const createGroup = async (memberIds: readonly string[]) => {
    const res = await t.post('/Groups', groupBody(uniqueName('Group'), memberIds));
    expect(res.status).toBe(201);
    return res.body as Group;
  };
  /** SCIM requests with the token of the fixture's member. */
  const asMember = () => {
    const send = (test: request.Test, body?: object) => {
      const authed = test.set('Authorization', `Bearer ${f.memberToken}`);
      return body === undefined ? authed : authed.set('Content-Type', 'application/scim+json').send(JSON.stringify(body));
    };
    return {
      post: (path: string, body: object) => send(request(t.app).post(BASE + path), body),
      patch: (path: string, body: object) => send(request(t.app).patch(BASE + path), body),
      delete: (path: string) => send(request(t.app).delete(BASE + path)),
      admin: adminClient(t, f.memberToken),
      adminUsers: (path: string, body: object) => send(request(t.app).post(ADMIN_USERS + path), body),
    };
  };
  const adminUsers = (method: 'post' | 'delete', path: string, body?: object) => {
    const test = request(t.app)[method](ADMIN_USERS + path).set('Authorization', `Bearer ${t.token}`);
    return body === undefined ? test : test.send(body);
  };
  /** Every resource of the fixture as it is now: its version, and a group's members. */
  const state = async () => ({
    users: await Promise.all([f.member, f.other, f.inactive, f.outsider].map(async (u) => (await t.get(`/Users/${u.id}`)).body.meta.version as string)),
    groups: await Promise.all([f.group, f.otherGroup].map(async (g) => {
      const body = (await t.get(`/Groups/${g.id}`)).body;
      return { version: body.meta.version as string, members: ((body.members ?? []) as { value: string }[]).map((m) => m.value).sort() };
    })),
    webhook: (await admin.get(`/webhooks/${f.webhookId}`)).body,
    // A token's lastUsed moves with every request it makes: not a change a write records.
    memberTokens: ((await request(t.app).get(`${ADMIN_USERS}/${f.member.id}/tokens`).set('Authorization', `Bearer ${t.token}`)).body.tokens as Record<string, unknown>[])
      .map(({ lastUsed: _lastUsed, ...token }: Record<string, unknown>) => token),
    userNames: ((await t.get('/Users?count=1000&attributes=userName')).body.Resources as { userName: string }[]).map((u) => u.userName).sort(),
  });

  beforeAll(async () => {
    t = await startTestApp({ webhookAllowPrivate: true });
    admin = adminClient(t);
    const member = await createUser({ password: 'the-current-one', [ACCOUNT_URN]: { accountType: 'Internal' } });
    const other = await createUser();
    const inactive = await createUser({ active: false });
    const outsider = await createUser();
    const minted = await adminUsers('post', `/${member.id}/tokens`, { name: 'member' });
    expect(minted.status).toBe(201);
    const webhook = await admin.post('/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['*'] });
    expect(webhook.status).toBe(201);
    f = {
      member, other, inactive, outsider,
      group: await createGroup([member.id, other.id]),
      otherGroup: await createGroup([]),
      webhookId: webhook.body.id,
      memberToken: minted.body.token,
    };
  });
  afterAll(() => t.close());

  type Refusal = [label: string, status: number, scimType: string | undefined, send: () => request.Test];
  const nobody = randomUUID();
  const refusals: Refusal[] = [
    // 409: a uniqueness clash, or a token for a user who may not have one.
    ['POST /Users with a taken userName', 409, 'uniqueness', () => t.post('/Users', userBody(f.other.userName.toUpperCase()))],
    ['PATCH /Users/{id} to a taken userName', 409, 'uniqueness', () => t.patch(`/Users/${f.member.id}`, patchBody({ op: 'replace', path: 'userName', value: f.other.userName }))],
    ['PUT /Users/{id} with a taken userName', 409, 'uniqueness', () => t.put(`/Users/${f.member.id}`, userBody(f.other.userName))],
    ['POST /Groups with a taken displayName', 409, 'uniqueness', () => t.post('/Groups', groupBody(f.group.displayName, [f.outsider.id]))],
    ['PATCH /Groups/{id} to a taken displayName', 409, 'uniqueness', () => t.patch(`/Groups/${f.otherGroup.id}`, patchBody({ op: 'replace', path: 'displayName', value: f.group.displayName }))],
    ['POST a token for an inactive user', 409, undefined, () => adminUsers('post', `/${f.inactive.id}/tokens`, { name: 'nope' })],
    // 412: a stale If-Match.
    ['PATCH /Users/{id} with a stale If-Match', 412, undefined, () => t.patch(`/Users/${f.member.id}`, patchBody({ op: 'replace', path: 'title', value: 'x' })).set('If-Match', STALE)],
    ['PUT /Users/{id} with a stale If-Match', 412, undefined, () => t.put(`/Users/${f.member.id}`, userBody(f.member.userName, { title: 'x' })).set('If-Match', STALE)],
    ['DELETE /Users/{id} with a stale If-Match', 412, undefined, () => t.delete(`/Users/${f.other.id}`).set('If-Match', STALE)],
    ['PATCH /Groups/{id} with a stale If-Match', 412, undefined, () => t.patch(`/Groups/${f.group.id}`, patchBody({ op: 'add', path: 'members', value: [{ value: f.outsider.id }] })).set('If-Match', STALE)],
    ['DELETE /Groups/{id} with a stale If-Match', 412, undefined, () => t.delete(`/Groups/${f.group.id}`).set('If-Match', STALE)],
    // 400: the schema.
    ['POST /Users without a userName', 400, undefined, () => t.post('/Users', { schemas: [userBody('x').schemas[0]], title: 'No name' })],
    ['PUT /Users/{id} without a userName', 400, undefined, () => t.put(`/Users/${f.member.id}`, { schemas: [userBody('x').schemas[0]], title: 'No name' })],
    ['PATCH /Users/{id} removing the userName', 400, undefined, () => t.patch(`/Users/${f.member.id}`, patchBody({ op: 'remove', path: 'userName' }))],
    ['PATCH /Users/{id} of an attribute the schema does not have', 400, undefined, () => t.patch(`/Users/${f.member.id}`, patchBody({ op: 'replace', path: 'noSuchAttribute', value: 'x' }))],
    ['POST /Groups with an unknown member', 400, undefined, () => t.post('/Groups', groupBody(uniqueName('Group'), [f.outsider.id, nobody]))],
    ['PATCH /Groups/{id} adding a known and an unknown member', 400, undefined, () => t.patch(`/Groups/${f.group.id}`, patchBody({ op: 'add', path: 'members', value: [{ value: f.outsider.id }, { value: nobody }] }))],
    ['PUT /Groups/{id} with an unknown member', 400, undefined, () => t.put(`/Groups/${f.group.id}`, groupBody(f.group.displayName, [f.member.id, nobody]))],
    ['POST /webhooks with a pattern that matches no type', 400, 'invalidValue', () => admin.post('/webhooks', { url: 'http://127.0.0.1:9/x', events: ['usr.*'] })],
    ['PATCH /webhooks/{id} with an unknown key', 400, 'invalidValue', () => admin.patch(`/webhooks/${f.webhookId}`, { events: ['*'], secret: 'mine' })],
    // 403: a user-bound token beyond its rights, and nobody changing their own access.
    ['a member deactivating themselves through /Me', 403, undefined, () => asMember().patch('/Me', patchBody({ op: 'replace', value: { active: false } }))],
    ['a member changing their own roles through /Me', 403, undefined, () => asMember().patch('/Me', patchBody({ op: 'replace', path: `${ACCOUNT_URN}:roles`, value: ['Admin'] }))],
    ['a member changing their own account type', 403, undefined, () => asMember().patch(`/Users/${f.member.id}`, patchBody({ op: 'replace', path: `${ACCOUNT_URN}:accountType`, value: 'SuperAdmin' }))],
    ['a member (not a writer) changing another user', 403, undefined, () => asMember().patch(`/Users/${f.other.id}`, patchBody({ op: 'replace', path: 'title', value: 'x' }))],
    ['a member (not a writer) creating a user', 403, undefined, () => asMember().post('/Users', userBody(uniqueName()))],
    ['a member (not a writer) deleting a user', 403, undefined, () => asMember().delete(`/Users/${f.other.id}`)],
    ['a member (not a writer) adding to a group', 403, undefined, () => asMember().patch(`/Groups/${f.group.id}`, patchBody({ op: 'add', path: 'members', value: [{ value: f.outsider.id }] }))],
    ['a member creating a token for another user', 403, undefined, () => asMember().adminUsers(`/${f.other.id}/tokens`, { name: 'theirs' })],
    ['a member creating a webhook', 403, undefined, () => asMember().admin.post('/webhooks', { url: 'http://127.0.0.1:9/x', events: ['*'] })],
    ['a member deleting a webhook', 403, undefined, () => asMember().admin.delete(`/webhooks/${f.webhookId}`)],
    // 404: nothing to change.
    ['PATCH /Users/{unknown}', 404, undefined, () => t.patch(`/Users/${nobody}`, patchBody({ op: 'replace', path: 'title', value: 'x' }))],
    ['DELETE /Users/{unknown}', 404, undefined, () => t.delete(`/Users/${nobody}`)],
    ['PATCH /Groups/{unknown}', 404, undefined, () => t.patch(`/Groups/${nobody}`, patchBody({ op: 'add', path: 'members', value: [{ value: f.outsider.id }] }))],
    ['DELETE /Groups/{unknown}', 404, undefined, () => t.delete(`/Groups/${nobody}`)],
    ['restoring a user that is not deleted', 404, undefined, () => adminUsers('post', '/restore', { id: f.other.id })],
    ['DELETE of a token the user does not have', 404, undefined, () => adminUsers('delete', `/${f.member.id}/tokens/${nobody}`)],
    ['PATCH /webhooks/{unknown}', 404, undefined, () => admin.patch(`/webhooks/${nobody}`, { active: false })],
    ['DELETE /webhooks/{unknown}', 404, undefined, () => admin.delete(`/webhooks/${nobody}`)],
  ];

  it.each(refusals)('%s: %i, no event, nothing changed', async (_label, status, scimType, send) => {
    const before = await state();
    const feed = await watchFeed(admin);
    const res = await send();
    if (res.headers['content-type']?.includes('scim+json')) expectScimError(res, status, scimType);
    else expect(res.status).toBe(status);
    expect(await feed.events()).toEqual([]);
    expect(await state()).toEqual(before);
  });

  it('a group PATCH naming an unknown member adds none of its members: the membership is as it was', async () => {
    const membersBefore = (await t.get(`/Groups/${f.group.id}`)).body.members.map((m: { value: string }) => m.value).sort();
    const feed = await watchFeed(admin);
    const res = await t.patch(`/Groups/${f.group.id}`, patchBody(
      { op: 'add', path: 'members', value: [{ value: f.outsider.id }] },
      { op: 'remove', path: `members[value eq "${f.other.id}"]` },
      { op: 'add', path: 'members', value: [{ value: nobody }] },
    ));
    expectScimError(res, 400);
    expect((await t.get(`/Groups/${f.group.id}`)).body.members.map((m: { value: string }) => m.value).sort()).toEqual(membersBefore);
    expect(await feed.events()).toEqual([]);
  });

  describe('/Bulk with failOnErrors', () => {
    const bulk = (operations: object[], failOnErrors: number) => t.post('/Bulk', { schemas: [BULK_REQUEST_URN], Operations: operations, failOnErrors });

    it('records the events of the operations that succeeded before it stopped, and none of the failed or unrun ones', async () => {
      const [before, after] = [uniqueName('before'), uniqueName('after')];
      const feed = await watchFeed(admin);
      const res = await bulk([
        { method: 'POST', path: '/Users', bulkId: 'before', data: userBody(before) },
        { method: 'POST', path: '/Users', bulkId: 'clash', data: userBody(f.other.userName) },
        { method: 'POST', path: '/Users', bulkId: 'after', data: userBody(after) },
      ], 1);
      expect(res.status).toBe(200);
      expect(res.body.Operations.map((o: { status: string }) => o.status)).toEqual(['201', '409']);
      const createdId = (res.body.Operations[0].location as string).split('/').pop()!;
      expect(await feed.events()).toEqual(recorded(res, await actorOf(t, t.token), [{
        type: 'user.created', resource: { type: 'User', id: createdId, userName: before }, changes: expect.any(Array),
      }]));
    });

    it('records nothing when its first operation fails', async () => {
      const before = await state();
      const feed = await watchFeed(admin);
      const res = await bulk([
        { method: 'PATCH', path: `/Groups/${f.group.id}`, data: patchBody({ op: 'add', path: 'members', value: [{ value: f.outsider.id }, { value: nobody }] }) },
        { method: 'POST', path: '/Users', bulkId: 'never', data: userBody(uniqueName('never')) },
      ], 1);
      expect(res.status).toBe(200);
      expect(res.body.Operations.map((o: { status: string }) => o.status)).toEqual(['400']);
      expect(await feed.events()).toEqual([]);
      expect(await state()).toEqual(before);
    });
  });
});
