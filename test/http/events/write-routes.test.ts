import Database from 'better-sqlite3';
import request from 'supertest';
import type { EventActor } from '../../../src/store/port';
import { operatorToken } from '../../support/tenants';
import { ACCOUNT_URN, ADMIN_USERS, BASE, GROUP_URN, patchBody, startTestApp, userBody, type TestApp } from '../../support/test-app';
import { actorOf, adminClient, expectOrdered, recorded, watchFeed, type AdminClient } from './event-support';

/**
 * docs/events.md, "Event types": every write route records exactly the events it documents,
 * in the transaction of the write, each naming the request (X-Request-Id) and the token that
 * made it. Each spec watches the feed from where it stands, writes, and reads back through
 * GET …/events exactly what was recorded.
 */
const BULK_REQUEST_URN = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const STATUS = `${ACCOUNT_URN}:status`;
const ACCOUNT_TYPE = `${ACCOUNT_URN}:accountType`;
const ACTIVATED_AT = `${ACCOUNT_URN}:activatedAt`;
const DEACTIVATED_AT = `${ACCOUNT_URN}:deactivatedAt`;
const DAY_MS = 86_400_000;

type User = Record<string, any> & { id: string; userName: string };
type Group = Record<string, any> & { id: string; displayName: string };

const groupBody = (displayName: string, memberIds: readonly string[] = [], extra: object = {}) =>
  ({ schemas: [GROUP_URN], displayName, members: memberIds.map((value) => ({ value })), ...extra });

describe('change events of every write route', () => {
  let t: TestApp;
  let admin: AdminClient;
  /** The actor of the test tenant's service token, which the specs write with. */
  let service: EventActor;
  let seq = 0;
  const uniqueName = (stem = 'evt') => `${stem}.${++seq}`;

  beforeAll(async () => {
    // Inactive users are soft-deleted after a day (RETENTION_INACTIVE_DAYS), so the sweep's user.deleted can be shown.
    t = await startTestApp({ webhookAllowPrivate: true, retentionInactiveDays: 1 });
    admin = adminClient(t);
    service = await actorOf(t, t.token);
  });
  afterAll(() => t.close());

  const createUser = async (extra: object = {}, userName = uniqueName()): Promise<User> => {
    const res = await t.post('/Users', userBody(userName, extra));
    expect(res.status).toBe(201);
    return res.body as User;
  };
  const createGroup = async (memberIds: readonly string[] = [], displayName = uniqueName('Group')): Promise<Group> => {
    const res = await t.post('/Groups', groupBody(displayName, memberIds));
    expect(res.status).toBe(201);
    return res.body as Group;
  };
  /** A token bound to the user, through the admin API. */
  const tokenOf = async (user: User, name = 'app') => {
    const res = await request(t.app).post(`${ADMIN_USERS}/${user.id}/tokens`).set('Authorization', `Bearer ${t.token}`).send({ name });
    expect(res.status).toBe(201);
    return res.body as { id: string; name: string; token: string };
  };
  const userResource = (user: User) => ({ type: 'User', id: user.id, userName: user.userName });
  const groupResource = (group: Group) => ({ type: 'Group', id: group.id, displayName: group.displayName });
  const tokenResource = (token: { id: string; name: string }) => ({ type: 'Token', id: token.id, name: token.name });
  const member = (user: User) => ({ type: 'User', id: user.id, userName: user.userName });

  describe('users', () => {
    it('POST /Users records user.created with every attribute it was created with, its status, and a password only as changed', async () => {
      const feed = await watchFeed(admin);
      const userName = uniqueName('Created');
      const res = await t.post('/Users', userBody(userName, { title: 'Engineer', password: 'never-in-an-event-1' }));
      expect(res.status).toBe(201);
      const account = res.body[ACCOUNT_URN];

      const events = await feed.events();
      expect(events).toEqual(recorded(res, service, [{
        type: 'user.created',
        resource: { type: 'User', id: res.body.id, userName },
        changes: [
          { path: 'active', after: true },
          { path: 'emails', after: [{ value: `${userName.toLowerCase()}@example.com`, type: 'work', primary: true }] },
          { path: 'name.familyName', after: 'Family' },
          { path: 'name.givenName', after: 'Given' },
          { path: 'password', changed: true },
          { path: 'title', after: 'Engineer' },
          { path: ACCOUNT_TYPE, after: account.accountType },
          { path: ACTIVATED_AT, after: account.activatedAt },
          { path: STATUS, after: 'Active' },
          { path: 'userName', after: userName },
        ],
      }]));
      expect(JSON.stringify(events)).not.toContain('never-in-an-event-1');
    });

    it('POST /Users of an account created inactive records its status as it starts (Created), and no password when none was set', async () => {
      const feed = await watchFeed(admin);
      const res = await t.post('/Users', userBody(uniqueName(), { active: false }));
      expect(res.status).toBe(201);
      const [event] = await feed.events();
      expect(event.type).toBe('user.created');
      expect(event.changes).toContainEqual({ path: STATUS, after: res.body[ACCOUNT_URN].status });
      expect(event.changes).toContainEqual({ path: 'active', after: false });
      expect(event.changes!.map((c) => c.path)).not.toContain('password');
    });

    it('PUT /Users/{id} records user.updated with the attributes it changed, before and after', async () => {
      const user = await createUser({ title: 'Engineer' });
      const feed = await watchFeed(admin);
      const res = await t.put(`/Users/${user.id}`, userBody(user.userName, { title: 'Architect', nickName: 'Archie' }));
      expect(res.status).toBe(200);
      expect(await feed.events()).toEqual(recorded(res, service, [{
        type: 'user.updated', resource: userResource(user),
        changes: [{ path: 'nickName', after: 'Archie' }, { path: 'title', before: 'Engineer', after: 'Architect' }],
      }]));
    });

    it('a PUT of the user as it is records nothing', async () => {
      const user = await createUser({ title: 'Same' });
      const feed = await watchFeed(admin);
      expect((await t.put(`/Users/${user.id}`, userBody(user.userName, { title: 'Same' }))).status).toBe(200);
      expect(await feed.events()).toEqual([]);
    });

    it('PATCH replace title records user.updated with title before and after', async () => {
      const user = await createUser({ title: 'Engineer' });
      const feed = await watchFeed(admin);
      const res = await t.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'title', value: 'Manager' }));
      expect(res.status).toBe(200);
      expect(await feed.events()).toEqual(recorded(res, service, [{
        type: 'user.updated', resource: userResource(user), changes: [{ path: 'title', before: 'Engineer', after: 'Manager' }],
      }]));
    });

    it('PATCH of a new userName names the user as it is after the change', async () => {
      const user = await createUser();
      const feed = await watchFeed(admin);
      const renamed = uniqueName('Renamed');
      const res = await t.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'userName', value: renamed }));
      expect(res.status).toBe(200);
      expect(await feed.events()).toEqual(recorded(res, service, [{
        type: 'user.updated', resource: { type: 'User', id: user.id, userName: renamed }, changes: [{ path: 'userName', before: user.userName, after: renamed }],
      }]));
    });

    it('PATCH of a password records {path: password, changed: true} and never the password', async () => {
      const user = await createUser();
      const feed = await watchFeed(admin);
      const res = await t.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'password', value: 'a-new-secret-77' }));
      expect(res.status).toBe(200);
      const events = await feed.events();
      expect(events).toEqual(recorded(res, service, [{ type: 'user.updated', resource: userResource(user), changes: [{ path: 'password', changed: true }] }]));
      expect(JSON.stringify(events)).not.toContain('a-new-secret-77');
    });

    it('a PATCH that changes nothing records nothing', async () => {
      const user = await createUser({ title: 'Same' });
      const feed = await watchFeed(admin);
      expect((await t.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'title', value: 'Same' }))).status).toBe(200);
      expect(await feed.events()).toEqual([]);
    });

    it('PATCH active false records user.deactivated, then token.revoked for each of the user\'s tokens, in one request', async () => {
      const user = await createUser();
      const [first, second] = [await tokenOf(user, 'laptop'), await tokenOf(user, 'phone')];
      const feed = await watchFeed(admin);
      const res = await t.patch(`/Users/${user.id}`, patchBody({ op: 'replace', value: { active: false } }));
      expect(res.status).toBe(200);

      const events = await feed.events();
      const revoked = events.slice(1).sort((a, b) => (a.resource.id < b.resource.id ? -1 : 1));
      expect([events[0], ...revoked]).toEqual(recorded(res, service, [
        {
          type: 'user.deactivated', resource: userResource(user),
          changes: [
            { path: 'active', before: true, after: false },
            { path: DEACTIVATED_AT, after: res.body[ACCOUNT_URN].deactivatedAt },
            { path: STATUS, before: 'Active', after: 'Inactive' },
          ],
        },
        ...[first, second].sort((a, b) => (a.id < b.id ? -1 : 1)).map((token) => ({ type: 'token.revoked', resource: tokenResource(token) })),
      ]));
      expectOrdered(events);
    });

    it('PATCH active false of a user without tokens records user.deactivated alone', async () => {
      const user = await createUser();
      const feed = await watchFeed(admin);
      const res = await t.patch(`/Users/${user.id}`, patchBody({ op: 'replace', value: { active: false } }));
      expect(res.status).toBe(200);
      expect((await feed.events()).map((e) => e.type)).toEqual(['user.deactivated']);
    });

    it('PATCH active true records user.activated, with the status and activation time it moved to', async () => {
      const user = await createUser({ active: false });
      const before = user[ACCOUNT_URN];
      const feed = await watchFeed(admin);
      const res = await t.patch(`/Users/${user.id}`, patchBody({ op: 'replace', value: { active: true } }));
      expect(res.status).toBe(200);
      const after = res.body[ACCOUNT_URN];
      const [event, ...others] = await feed.events();
      expect(others).toEqual([]);
      expect(event).toEqual(recorded(res, service, [{ type: 'user.activated', resource: userResource(user), changes: expect.any(Array) }])[0]);
      expect(event.changes).toContainEqual({ path: 'active', before: false, after: true });
      expect(event.changes).toContainEqual({ path: STATUS, before: before.status, after: 'Active' });
      expect(event.changes).toContainEqual({ path: ACTIVATED_AT, ...(before.activatedAt ? { before: before.activatedAt } : {}), after: after.activatedAt });
    });

    it('DELETE /Users/{id} records user.deleted, without changes, then token.revoked for the user\'s token', async () => {
      const user = await createUser();
      const token = await tokenOf(user);
      const feed = await watchFeed(admin);
      const res = await t.delete(`/Users/${user.id}`);
      expect(res.status).toBe(204);
      expect(await feed.events()).toEqual(recorded(res, service, [
        { type: 'user.deleted', resource: userResource(user) },
        { type: 'token.revoked', resource: tokenResource(token) },
      ]));
    });

    it('DELETE of a user whose tokens were revoked when it was deactivated revokes none again', async () => {
      const user = await createUser();
      await tokenOf(user);
      expect((await t.patch(`/Users/${user.id}`, patchBody({ op: 'replace', value: { active: false } }))).status).toBe(200);
      const feed = await watchFeed(admin);
      const res = await t.delete(`/Users/${user.id}`);
      expect(res.status).toBe(204);
      expect(await feed.events()).toEqual(recorded(res, service, [{ type: 'user.deleted', resource: userResource(user) }]));
    });

    it('restore records user.restored, and no member events for the memberships it brings back', async () => {
      const user = await createUser();
      await createGroup([user.id]);
      expect((await t.delete(`/Users/${user.id}`)).status).toBe(204);
      const feed = await watchFeed(admin);
      const res = await request(t.app).post(`${ADMIN_USERS}/restore`).set('Authorization', `Bearer ${t.token}`).send({ id: user.id });
      expect(res.status).toBe(200);
      expect(await feed.events()).toEqual(recorded(res, service, [{ type: 'user.restored', resource: userResource(user) }]));
    });

    it('the inactivity sweep records user.deleted as Roster\'s own work', async () => {
      const user = await createUser();
      expect((await t.patch(`/Users/${user.id}`, patchBody({ op: 'replace', value: { active: false } }))).status).toBe(200);
      // Deactivated long enough ago for the sweep.
      const db = new Database(t.config.sqlitePath);
      try {
        db.prepare(`UPDATE users SET data = json_set(data, '$."${ACCOUNT_URN}".deactivatedAt', ?) WHERE id = ?`).run(new Date(Date.now() - 2 * DAY_MS).toISOString(), user.id);
      } finally {
        db.close();
      }
      const feed = await watchFeed(admin);
      await t.application.retention.run();
      expect(await feed.events()).toEqual([{
        id: expect.any(Number), type: 'user.deleted', tenant: t.tenantId, occurredAt: expect.any(String), actor: { kind: 'system' }, resource: userResource(user),
      }]);
    });

    it('the retention purge records user.erased as Roster\'s own work (actor system, no request), and no member events', async () => {
      const user = await createUser();
      await createGroup([user.id]);
      expect((await t.delete(`/Users/${user.id}`)).status).toBe(204);
      // Deleted long enough ago for the purge (RETENTION_DELETED_DAYS, 30 by default).
      const db = new Database(t.config.sqlitePath);
      try {
        db.prepare('UPDATE users SET deleted_at = ? WHERE id = ?').run(new Date(Date.now() - 31 * DAY_MS).toISOString(), user.id);
      } finally {
        db.close();
      }
      const feed = await watchFeed(admin);
      await t.application.retention.run();
      const events = await feed.events();
      expect(events).toEqual([{
        id: expect.any(Number), type: 'user.erased', tenant: t.tenantId, occurredAt: expect.any(String),
        actor: { kind: 'system' }, resource: userResource(user),
      }]);
      expect(events[0]).not.toHaveProperty('requestId');
    });
  });

  describe('groups', () => {
    it('POST /Groups with members records group.created, then group.member_added for each member', async () => {
      const [a, b] = [await createUser(), await createUser()];
      const feed = await watchFeed(admin);
      const displayName = uniqueName('Created Group');
      const res = await t.post('/Groups', groupBody(displayName, [a.id, b.id], { externalId: 'ext-17' }));
      expect(res.status).toBe(201);
      const group = res.body as Group;
      const events = await feed.events();
      expect(events).toEqual(recorded(res, service, [
        { type: 'group.created', resource: groupResource(group), changes: [{ path: 'displayName', after: displayName }, { path: 'externalId', after: 'ext-17' }] },
        ...[a, b].map((user) => ({ type: 'group.member_added', resource: groupResource(group), member: member(user) })),
      ]));
      expectOrdered(events);
    });

    it('PATCH add and remove members records one event per member added or removed, and no group.updated', async () => {
      const [a, b, c, d] = [await createUser(), await createUser(), await createUser(), await createUser()];
      const group = await createGroup([a.id, b.id]);
      const feed = await watchFeed(admin);
      const added = await t.patch(`/Groups/${group.id}`, patchBody({ op: 'add', path: 'members', value: [{ value: c.id }, { value: d.id }] }));
      expect(added.status).toBe(204);
      const removed = await t.patch(`/Groups/${group.id}`, patchBody({ op: 'remove', path: `members[value eq "${a.id}"]` }));
      expect(removed.status).toBe(204);
      expect(await feed.events()).toEqual([
        ...recorded(added, service, [c, d].map((user) => ({ type: 'group.member_added', resource: groupResource(group), member: member(user) }))),
        ...recorded(removed, service, [{ type: 'group.member_removed', resource: groupResource(group), member: member(a) }]),
      ]);
    });

    it('PATCH adding a member it already has records nothing', async () => {
      const a = await createUser();
      const group = await createGroup([a.id]);
      const feed = await watchFeed(admin);
      expect((await t.patch(`/Groups/${group.id}`, patchBody({ op: 'add', path: 'members', value: [{ value: a.id }] }))).status).toBe(204);
      expect(await feed.events()).toEqual([]);
    });

    it('PATCH of displayName and members records group.updated, then the member events', async () => {
      const [a, b] = [await createUser(), await createUser()];
      const group = await createGroup([a.id]);
      const feed = await watchFeed(admin);
      const renamed = uniqueName('Renamed Group');
      const res = await t.patch(`/Groups/${group.id}`, patchBody(
        { op: 'replace', path: 'displayName', value: renamed },
        { op: 'replace', path: 'members', value: [{ value: b.id }] },
      ));
      expect(res.status).toBe(204);
      const resource = { ...groupResource(group), displayName: renamed };
      expect(await feed.events()).toEqual(recorded(res, service, [
        { type: 'group.updated', resource, changes: [{ path: 'displayName', before: group.displayName, after: renamed }] },
        { type: 'group.member_added', resource, member: member(b) },
        { type: 'group.member_removed', resource, member: member(a) },
      ]));
    });

    it('a PATCH adding 1,000 members records 1,000 group.member_added events, one per member, in one request', async () => {
      const users = await Promise.all(Array.from({ length: 1000 }, (_, i) =>
        t.data.users.create({ data: { userName: `bulk.member.${seq}.${i}`, active: true } })));
      const group = await createGroup();
      const feed = await watchFeed(admin);
      const res = await t.patch(`/Groups/${group.id}`, patchBody({ op: 'add', path: 'members', value: users.map((u) => ({ value: u.id })) }));
      expect(res.status).toBe(204);

      const events = await feed.events();
      expect(events).toHaveLength(1000);
      expect(new Set(events.map((e) => e.type))).toEqual(new Set(['group.member_added']));
      expect(new Set(events.map((e) => e.requestId))).toEqual(new Set([res.headers['x-request-id']]));
      expect(events.every((e) => e.resource.id === group.id)).toBe(true);
      expect(events.map((e) => e.member!.id).sort()).toEqual(users.map((u) => u.id).sort());
      expectOrdered(events);
    }, 60_000);

    it('PUT /Groups/{id} with the same members and name records nothing; with a new name, group.updated alone', async () => {
      const [a, b] = [await createUser(), await createUser()];
      const group = await createGroup([a.id, b.id]);
      const feed = await watchFeed(admin);
      const same = await t.put(`/Groups/${group.id}`, groupBody(group.displayName, [b.id, a.id]));
      expect(same.status).toBe(200);
      expect(await feed.events()).toEqual([]);

      const renamed = uniqueName('Put Group');
      const res = await t.put(`/Groups/${group.id}`, groupBody(renamed, [a.id, b.id]));
      expect(res.status).toBe(200);
      expect(await feed.events()).toEqual(recorded(res, service, [{
        type: 'group.updated', resource: { ...groupResource(group), displayName: renamed }, changes: [{ path: 'displayName', before: group.displayName, after: renamed }],
      }]));
    });

    it('DELETE /Groups/{id} records group.deleted alone: no member_removed for the memberships it ends', async () => {
      const [a, b] = [await createUser(), await createUser()];
      const group = await createGroup([a.id, b.id]);
      const feed = await watchFeed(admin);
      const res = await t.delete(`/Groups/${group.id}`);
      expect(res.status).toBe(204);
      expect(await feed.events()).toEqual(recorded(res, service, [{ type: 'group.deleted', resource: groupResource(group) }]));
    });
  });

  it('/Bulk records each operation\'s events, in order, all with the request\'s id', async () => {
    const existing = await createUser({ title: 'Before' });
    const feed = await watchFeed(admin);
    const [userName, displayName] = [uniqueName('Bulk'), uniqueName('Bulk Group')];
    const res = await t.post('/Bulk', {
      schemas: [BULK_REQUEST_URN],
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'u', data: userBody(userName) },
        { method: 'POST', path: '/Groups', bulkId: 'g', data: groupBody(displayName, ['bulkId:u']) },
        { method: 'PATCH', path: `/Users/${existing.id}`, data: patchBody({ op: 'replace', path: 'title', value: 'After' }) },
        { method: 'DELETE', path: `/Users/${existing.id}` },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.Operations.map((o: { status: string }) => o.status)).toEqual(['201', '201', '200', '204']);
    const idOf = (location: string) => location.slice(location.lastIndexOf('/') + 1);
    const created = { id: idOf(res.body.Operations[0].location), userName } as User;
    const group = { id: idOf(res.body.Operations[1].location), displayName } as Group;

    const events = await feed.events();
    expect(events.map((e) => e.type)).toEqual(['user.created', 'group.created', 'group.member_added', 'user.updated', 'user.deleted']);
    expect(events).toEqual(recorded(res, service, [
      { type: 'user.created', resource: userResource(created), changes: expect.any(Array) },
      { type: 'group.created', resource: groupResource(group), changes: [{ path: 'displayName', after: displayName }] },
      { type: 'group.member_added', resource: groupResource(group), member: member(created) },
      { type: 'user.updated', resource: userResource(existing), changes: [{ path: 'title', before: 'Before', after: 'After' }] },
      { type: 'user.deleted', resource: userResource(existing) },
    ]));
    expectOrdered(events);
  });

  it('a write with an operator token names the operator; a request id the client sent is the event\'s requestId', async () => {
    const operator = await operatorToken(t);
    const feed = await watchFeed(admin);
    const userName = uniqueName('ByOperator');
    const res = await request(t.app).post(`${BASE}/Users`).set('Authorization', `Bearer ${operator}`).set('X-Request-Id', 'trace-42.a')
      .set('Content-Type', 'application/scim+json').send(JSON.stringify(userBody(userName)));
    expect(res.status).toBe(201);
    expect(res.headers['x-request-id']).toBe('trace-42.a');
    expect(await feed.events()).toEqual(recorded(res, await actorOf(t, operator), [{
      type: 'user.created', resource: { type: 'User', id: res.body.id, userName }, changes: expect.any(Array),
    }]));
    expect((await actorOf(t, operator)).kind).toBe('operator');
  });

  it('PATCH /Me by a user-bound token records the user as the actor: kind user, the token, and its userId', async () => {
    const user = await createUser({ title: 'Old' });
    const token = await tokenOf(user, 'my-app');
    const feed = await watchFeed(admin);
    const res = await request(t.app).patch(`${BASE}/Me`)
      .set('Authorization', `Bearer ${token.token}`).set('Content-Type', 'application/scim+json')
      .send(JSON.stringify(patchBody({ op: 'replace', path: 'title', value: 'New' })));
    expect(res.status).toBe(200);
    expect(await feed.events()).toEqual(recorded(res, { kind: 'user', tokenId: token.id, tokenName: 'my-app', userId: user.id }, [{
      type: 'user.updated', resource: userResource(user), changes: [{ path: 'title', before: 'Old', after: 'New' }],
    }]));
  });

  it('POST /Me/password records user.updated with the password only as changed, the user as the actor', async () => {
    const user = await createUser({ password: 'the-first-password' });
    const token = await tokenOf(user, 'self');
    const feed = await watchFeed(admin);
    const res = await request(t.app).post(`${BASE}/Me/password`).set('Authorization', `Bearer ${token.token}`)
      .send({ currentPassword: 'the-first-password', newPassword: 'the-second-password' });
    expect(res.status).toBe(204);
    const events = await feed.events();
    expect(events).toEqual(recorded(res, { kind: 'user', tokenId: token.id, tokenName: 'self', userId: user.id }, [{
      type: 'user.updated', resource: userResource(user), changes: [{ path: 'password', changed: true }],
    }]));
    expect(JSON.stringify(events)).not.toMatch(/the-(first|second)-password/);
  });

  it('POST and DELETE of a user\'s token record token.created (its userId and expiry, never the secret) and token.deleted', async () => {
    const user = await createUser();
    const feed = await watchFeed(admin);
    const created = await request(t.app).post(`${ADMIN_USERS}/${user.id}/tokens`).set('Authorization', `Bearer ${t.token}`).send({ name: 'ci', expiresIn: '30d' });
    expect(created.status).toBe(201);
    const deleted = await request(t.app).delete(`${ADMIN_USERS}/${user.id}/tokens/${created.body.id}`).set('Authorization', `Bearer ${t.token}`);
    expect(deleted.status).toBe(204);

    const events = await feed.events();
    const resource = { type: 'Token', id: created.body.id, name: 'ci' };
    expect(events).toEqual([
      ...recorded(created, service, [{ type: 'token.created', resource, changes: [{ path: 'expires', after: created.body.expires }, { path: 'userId', after: user.id }] }]),
      ...recorded(deleted, service, [{ type: 'token.deleted', resource }]),
    ]);
    expect(JSON.stringify(events)).not.toContain(created.body.token);
  });

  it('PATCH /admin/tenants/{id} records tenant.updated in that tenant\'s stream, after its tenant.created, by the operator', async () => {
    const operator = await operatorToken(t);
    const operatorActor = await actorOf(t, operator);
    const tenantId = `evt-${Date.now().toString(36)}`;
    const tenants = adminClient(t, operator, '/admin/tenants');
    const created = await tenants.post('', { id: tenantId, name: 'Before', settings: { maxRoles: 10 } });
    expect(created.status).toBe(201);
    const updated = await tenants.patch(`/${tenantId}`, { name: 'After', settings: { maxRoles: null, usernameImmutable: true } });
    expect(updated.status).toBe(200);

    const res = await adminClient(t, operator, `/admin/tenants/${tenantId}`).get('/events');
    expect(res.status).toBe(200);
    expect(res.body.events).toEqual([
      ...recorded(created, operatorActor, [{ type: 'tenant.created', resource: { type: 'Tenant', id: tenantId, name: 'Before' }, changes: [{ path: 'name', after: 'Before' }, { path: 'settings.maxRoles', after: 10 }] }], tenantId),
      ...recorded(updated, operatorActor, [{
        type: 'tenant.updated', resource: { type: 'Tenant', id: tenantId, name: 'After' },
        changes: [{ path: 'name', before: 'Before', after: 'After' }, { path: 'settings.maxRoles', before: 10 }, { path: 'settings.usernameImmutable', after: true }],
      }], tenantId),
    ]);
    expect(res.body.events[0].id).toBe(1);
  });

  it('webhooks: POST, PATCH and DELETE record webhook.created, webhook.updated and webhook.deleted, never the secret', async () => {
    const feed = await watchFeed(admin);
    const url = 'http://127.0.0.1:9/hooks/roster';
    const created = await admin.post('/webhooks', { url, events: ['user.*'], description: 'sessions' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const updated = await admin.patch(`/webhooks/${id}`, { events: ['user.*', 'group.member_*'], active: false, description: null });
    expect(updated.status).toBe(200);
    const deleted = await admin.delete(`/webhooks/${id}`);
    expect(deleted.status).toBe(204);

    const events = await feed.events();
    const resource = { type: 'Webhook', id };
    expect(events).toEqual([
      ...recorded(created, service, [{
        type: 'webhook.created', resource,
        changes: [{ path: 'active', after: true }, { path: 'description', after: 'sessions' }, { path: 'events', after: ['user.*'] }, { path: 'url', after: url }],
      }]),
      ...recorded(updated, service, [{
        type: 'webhook.updated', resource,
        changes: [
          { path: 'active', before: true, after: false },
          { path: 'description', before: 'sessions' },
          { path: 'events', before: ['user.*'], after: ['user.*', 'group.member_*'] },
        ],
      }]),
      ...recorded(deleted, service, [{
        type: 'webhook.deleted', resource,
        changes: [{ path: 'active', before: false }, { path: 'events', before: ['user.*', 'group.member_*'] }, { path: 'url', before: url }],
      }]),
    ]);
    expect(JSON.stringify(events)).not.toContain(created.body.secret);
  });
});
