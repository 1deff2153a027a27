import request from 'supertest';
import type { ChangeEvent } from '../../../src/store/port';
import { operatorToken, tenantWithToken } from '../../support/tenants';
import { ADMIN_USERS, BASE, GROUP_URN, TEST_TENANT, expectScimError, patchBody, startTestApp, userBody, type TestApp } from '../../support/test-app';
import { ADMIN, actorOf, adminClient, adminOf, caughtUp, eventsAfter, expectOrdered, watchFeed, type AdminClient } from './event-support';

/**
 * docs/events.md, "The feed": GET …/events pages by id (`after`, `limit`, `next`), filters by
 * type patterns, resource and actor, refuses bad parameters with a 400 that says what to send,
 * and is read by the tenant's administrators only.
 */
type User = Record<string, any> & { id: string; userName: string };

describe('GET …/events', () => {
  let t: TestApp;
  let admin: AdminClient;
  let seq = 0;
  const uniqueName = (stem = 'feed') => `${stem}.${++seq}`;

  beforeAll(async () => {
    t = await startTestApp();
    admin = adminClient(t);
  });
  afterAll(() => t.close());

  const createUser = async (extra: object = {}) => {
    const res = await t.post('/Users', userBody(uniqueName(), extra));
    expect(res.status).toBe(201);
    return res.body as User;
  };
  const page = async (query: string, client = admin) => {
    const res = await client.get(`/events?${query}`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['events', 'next']);
    return res.body as { events: ChangeEvent[]; next: number };
  };

  describe('paging: after, limit, next', () => {
    it('serves the events after `after`, oldest first, at most `limit` a page; `next` is the last one served', async () => {
      const from = await caughtUp(admin);
      for (let i = 0; i < 5; i++) await createUser();
      const all = await eventsAfter(admin, from);
      expect(all).toHaveLength(5);
      expectOrdered(all);

      const first = await page(`after=${from}&limit=2`);
      expect(first).toEqual({ events: all.slice(0, 2), next: all[1].id });
      const second = await page(`after=${first.next}&limit=2`);
      expect(second).toEqual({ events: all.slice(2, 4), next: all[3].id });
      const third = await page(`after=${second.next}&limit=2`);
      expect(third).toEqual({ events: all.slice(4), next: all[4].id });
    });

    it('serves the newest first with order=newest, continuing below `before=<next>` while `more` says older ones may remain', async () => {
      const from = await caughtUp(admin);
      for (let i = 0; i < 3; i++) await createUser();
      const all = await eventsAfter(admin, from);
      const newest = async (query: string) => (await admin.get(`/events?order=newest&${query}`)).body as { events: ChangeEvent[]; next: number; more: boolean };
      const first = await newest('limit=2');
      expect(first).toEqual({ events: [all[2], all[1]], next: all[1].id, more: true });
      const second = (await admin.get(`/events?before=${first.next}&limit=1`)).body;
      expect(second).toEqual({ events: [all[0]], next: all[0].id, more: true });
      const oldest = await newest('before=2');
      expect(oldest.events.map((e) => e.id)).toEqual([1]);
      expect(oldest.more).toBe(false);
    });

    it('when caught up serves no events and a `next` equal to `after`', async () => {
      const latest = await caughtUp(admin);
      expect(await page(`after=${latest}`)).toEqual({ events: [], next: latest });
      expect(await page(`after=${latest + 1000}`)).toEqual({ events: [], next: latest + 1000 });
    });

    it('starts from the oldest event without `after`, and serves 100 events a page without `limit`', async () => {
      for (let i = 0; i < 101; i++) await t.data.users.create({ data: { userName: uniqueName('many'), active: true } });
      const res = await page('');
      expect(res.events).toHaveLength(100);
      expect(res.events[0].id).toBe(1);
      expect(res.next).toBe(res.events[99].id);
    });

    it('serves every event exactly once when each page continues from the previous `next`', async () => {
      const pages: number[][] = [];
      let after = 0;
      for (;;) {
        const { events, next } = await page(`after=${after}&limit=7`);
        if (next === after) break;
        pages.push(events.map((e) => e.id));
        after = next;
      }
      const ids = pages.flat();
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(ids[ids.length - 1]).toBe(await t.data.events.latest());
    });
  });

  describe('filters', () => {
    it('type takes a comma-separated list of patterns: exact types and prefixes', async () => {
      const feed = await watchFeed(admin);
      const user = await createUser();
      const group = await t.post('/Groups', { schemas: [GROUP_URN], displayName: uniqueName('Group'), members: [{ value: user.id }] });
      expect(group.status).toBe(201);
      expect((await t.patch(`/Users/${user.id}`, patchBody({ op: 'replace', value: { active: false } }))).status).toBe(200);
      const all = await feed.events();
      expect(all.map((e) => e.type)).toEqual(['user.created', 'group.created', 'group.member_added', 'user.deactivated']);

      const only = async (type: string) => (await eventsAfter(admin, feed.from, `&type=${encodeURIComponent(type)}`)).map((e) => e.type);
      expect(await only('user.*')).toEqual(['user.created', 'user.deactivated']);
      expect(await only('group.member_*')).toEqual(['group.member_added']);
      expect(await only('user.deactivated,group.created')).toEqual(['group.created', 'user.deactivated']);
      expect(await only(' USER.Created , group.member_* ')).toEqual(['user.created', 'group.member_added']);
      expect(await only('*')).toEqual(all.map((e) => e.type));
      expect(await only('token.*')).toEqual([]);
    });

    it('resourceId gives a user\'s history: its own events and the groups it joined and left', async () => {
      const user = await createUser();
      const bystander = await createUser();
      const group = (await t.post('/Groups', { schemas: [GROUP_URN], displayName: uniqueName('Group'), members: [{ value: user.id }, { value: bystander.id }] })).body;
      expect((await t.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'title', value: 'Lead' }))).status).toBe(200);
      expect((await t.patch(`/Groups/${group.id}`, patchBody({ op: 'remove', path: `members[value eq "${user.id}"]` }))).status).toBe(204);
      expect((await t.patch(`/Users/${bystander.id}`, patchBody({ op: 'replace', path: 'title', value: 'Other' }))).status).toBe(200);
      expect((await t.delete(`/Users/${user.id}`)).status).toBe(204);

      const history = await eventsAfter(admin, 0, `&resourceId=${user.id}`);
      expect(history.map((e) => [e.type, e.resource.id, e.member?.id])).toEqual([
        ['user.created', user.id, undefined],
        ['group.member_added', group.id, user.id],
        ['user.updated', user.id, undefined],
        ['group.member_removed', group.id, user.id],
        ['user.deleted', user.id, undefined],
      ]);
      // A group's history: the group's own events and every member event.
      const ofGroup = await eventsAfter(admin, 0, `&resourceId=${group.id}`);
      expect(ofGroup.map((e) => [e.type, e.member?.id])).toEqual([
        ['group.created', undefined], ['group.member_added', user.id], ['group.member_added', bystander.id], ['group.member_removed', user.id],
      ]);
      // Filters combine.
      expect((await eventsAfter(admin, 0, `&resourceId=${user.id}&type=group.member_removed`)).map((e) => e.resource.id)).toEqual([group.id]);
    });

    it('actor gives what one token did', async () => {
      const directory = await t.application.enter({ kind: 'operator', tokenId: 'setup', tokenName: 'setup' }, TEST_TENANT, 'setup');
      const { token: second, secret } = await directory.tokens.create('second');
      const other = adminClient(t, secret);
      const feed = await watchFeed(admin);
      await createUser();
      const mine = await request(t.app).post(`${BASE}/Users`).set('Authorization', `Bearer ${secret}`)
        .set('Content-Type', 'application/scim+json').send(JSON.stringify(userBody(uniqueName('second'))));
      expect(mine.status).toBe(201);
      await createUser();

      const byActor = await eventsAfter(other, feed.from, `&actor=${second.id}`);
      expect(byActor.map((e) => [e.type, e.resource.id])).toEqual([['user.created', mine.body.id]]);
      expect(byActor[0].actor).toEqual(await actorOf(t, secret));
      const byService = await eventsAfter(admin, feed.from, `&actor=${(await actorOf(t, t.token) as { tokenId: string }).tokenId}`);
      expect(byService.map((e) => e.type)).toEqual(['user.created', 'user.created']);
      expect(await eventsAfter(admin, feed.from, '&actor=no-such-token')).toEqual([]);
    });
  });

  describe('the page limits: 1000 events a page, 10,000 examined', () => {
    let from: number;
    let deactivated: User;

    beforeAll(async () => {
      from = await caughtUp(admin);
      // 10,001 events, then the one a filtered reader looks for.
      for (let i = 0; i < 10_001; i += 1000) {
        await Promise.all(Array.from({ length: Math.min(1000, 10_001 - i) }, (_, j) =>
          t.data.users.create({ data: { userName: `scan.${i + j}`, active: true } })));
      }
      deactivated = await createUser();
      expect((await t.patch(`/Users/${deactivated.id}`, patchBody({ op: 'replace', value: { active: false } }))).status).toBe(200);
    }, 120_000);

    it('serves a larger limit as 1000', async () => {
      const res = await page(`after=${from}&limit=5000`);
      expect(res.events).toHaveLength(1000);
      expect(res.next).toBe(res.events[999].id);
      expectOrdered(res.events);
    });

    it('with a filter, a page examines at most 10,000 events: it can be empty while more follow, and `next` moves past what it examined', async () => {
      const first = await page(`after=${from}&type=user.deactivated`);
      expect(first.events).toEqual([]);
      expect(first.next).toBeGreaterThan(from);
      const second = await page(`after=${first.next}&type=user.deactivated`);
      expect(second.events.map((e) => [e.type, e.resource.id])).toEqual([['user.deactivated', deactivated.id]]);
      expect(second.next).toBe(second.events[0].id);
    });
  });

  describe('bad parameters: 400 invalidValue, saying what to send', () => {
    it.each([
      ['after=-1', 'after=-1', /after must be a whole number/],
      ['after=abc', 'after=abc', /after must be a whole number/],
      ['after=1.5', 'after=1.5', /after must be a whole number/],
      ['limit=ten', 'limit=ten', /limit must be a whole number/],
      ['limit=-5', 'limit=-5', /limit must be a whole number/],
      ['type=nosuch.*', 'type=nosuch.*', /matches no event type.*user\./],
      ['type=user.create', 'type=user.create', /matches no event type.*user\.created/],
      ['type=user.*.x*', 'type=user.*.x*', /"\*" before its end/],
      ['type=', 'type=', /cannot be empty/],
      ['type=user.*,,group.*', 'type=user.*,,group.*', /cannot be empty/],
      ['resourceId=<257 characters>', `resourceId=${'x'.repeat(257)}`, /resourceId must be an id of 1 to 256 characters/],
      ['resourceId=', 'resourceId=', /resourceId must be an id of 1 to 256 characters/],
      ['actor=<257 characters>', `actor=${'y'.repeat(257)}`, /actor must be an id of 1 to 256 characters/],
      ['type given twice', 'type=user.*&type=group.*', /Give type once.*type=user\.\*,group\.\*/],
      ['after given twice', 'after=0&after=5', /^Give after once: a repeated parameter is ambiguous$/],
      ['limit=0', 'limit=0', /limit must be a whole number of at least 1/],
      ['an unknown parameter (the CLI flag name)', 'resource=abc', /takes after, before, order, limit, type, resourceId, actor; not resource/],
      ['order=latest', 'order=latest', /order is oldest \(the default\) or newest/],
      ['after with order=newest', 'order=newest&after=3', /newest first, continue with before/],
      ['before with order=oldest', 'order=oldest&before=3', /before pages newest first/],
      ['before=0', 'before=0', /before must be a whole number of at least 1/],
    ])('%s', async (_label, query, detail) => {
      const error = expectScimError(await admin.get(`/events?${query}`), 400, 'invalidValue');
      expect(error.detail).toMatch(detail);
    });
  });

  it.each(['post', 'patch', 'delete'] as const)('%s …/events is 405: the feed is read-only', async (method) => {
    const res = await admin[method]('/events');
    expectScimError(res, 405);
    expect(res.headers.allow).toBe('GET');
  });

  describe('GET …/events/{id}', () => {
    it('serves one event, as the list serves it', async () => {
      const feed = await watchFeed(admin);
      await createUser();
      const [event] = await feed.events();
      const res = await admin.get(`/events/${event.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(event);
    });

    it.each(['999999999', 'abc', '-1', '1.0', '0'])('is 404 for %s, saying no event has that id', async (id) => {
      const error = expectScimError(await admin.get(`/events/${id}`), 404);
      expect(error.detail).toContain(`No event has the id "${id}"`);
    });
  });

  describe('who may read', () => {
    let operator: string;
    let elsewhere: { id: string; token: string };

    beforeAll(async () => {
      operator = await operatorToken(t);
      const id = `feed-${Date.now().toString(36)}`;
      elsewhere = { id, token: await tenantWithToken(t, operator, id) };
    });

    const userToken = async () => {
      const user = await createUser();
      const res = await request(t.app).post(`${ADMIN_USERS}/${user.id}/tokens`).set('Authorization', `Bearer ${t.token}`).send({ name: 'mine' });
      expect(res.status).toBe(201);
      return res.body.token as string;
    };

    it('an operator token reads every tenant\'s events, each its own stream', async () => {
      const mine = await page('after=0&limit=1', adminClient(t, operator));
      expect(mine.events[0].tenant).toBe(TEST_TENANT);
      const theirs = await page('after=0', adminClient(t, operator, adminOf(elsewhere.id)));
      expect(theirs.events.map((e) => [e.tenant, e.type])).toEqual([[elsewhere.id, 'tenant.created'], [elsewhere.id, 'token.created']]);
    });

    it('a service token reads its own tenant\'s events', async () => {
      expect((await page('limit=1')).events[0].tenant).toBe(TEST_TENANT);
      expect((await page('limit=5', adminClient(t, elsewhere.token, adminOf(elsewhere.id)))).events.map((e) => e.tenant)).toEqual([elsewhere.id, elsewhere.id]);
    });

    it('a user-bound token is refused with 403, on the list and on one event', async () => {
      const client = adminClient(t, await userToken());
      expect(expectScimError(await client.get('/events'), 403).detail).toMatch(/user-bound token/);
      expectScimError(await client.get('/events/1'), 403);
    });

    it('another tenant\'s service token is refused with 401, both ways', async () => {
      expectScimError(await adminClient(t, elsewhere.token).get('/events'), 401);
      expectScimError(await adminClient(t, elsewhere.token).get('/events/1'), 401);
      expectScimError(await adminClient(t, t.token, adminOf(elsewhere.id)).get('/events'), 401);
    });

    it('an operator naming a tenant that does not exist is answered 404', async () => {
      expect(expectScimError(await adminClient(t, operator, adminOf('no-such-tenant')).get('/events'), 404).detail).toMatch(/no-such-tenant/);
    });

    it('a request without a token is refused with 401', async () => {
      expectScimError(await request(t.app).get(`${ADMIN}/events`), 401);
      expectScimError(await request(t.app).get(`${ADMIN}/events/1`), 401);
    });
  });
});
