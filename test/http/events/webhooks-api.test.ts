import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { operatorToken, tenantWithToken } from '../../support/tenants';
import { ADMIN_USERS, expectScimError, startTestApp, userBody, type TestApp } from '../../support/test-app';
import { ADMIN, adminClient, adminOf, caughtUp, eventsAfter, type AdminClient } from './event-support';

/**
 * docs/events.md, "Webhooks": the admin API of a tenant's webhooks. A webhook's secret is shown
 * once, in the 201, and nowhere after; a URL is checked before it is saved; a tenant has at most
 * 20; deliveries can be listed and retried; and only the tenant's administrators may do any of it.
 */
const SECRET = /^whsec_[A-Za-z0-9_-]{43}$/;
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const RECEIVER = 'http://127.0.0.1:9/hooks/roster';

describe('…/webhooks', () => {
  let t: TestApp;
  let admin: AdminClient;

  beforeAll(async () => {
    t = await startTestApp({ webhookAllowPrivate: true });
    admin = adminClient(t);
  });
  afterAll(() => t.close());

  const create = async (body: object = {}, client = admin) => {
    const res = await client.post('/webhooks', { url: RECEIVER, events: ['user.*'], ...body });
    expect(res.status).toBe(201);
    return res.body as Record<string, any> & { id: string; secret: string };
  };
  const deleteAll = async () => {
    for (const { id } of (await admin.get('/webhooks')).body.webhooks as { id: string }[]) expect((await admin.delete(`/webhooks/${id}`)).status).toBe(204);
  };

  describe('POST', () => {
    it('answers 201 with the webhook, where it lives, and its signing secret: whsec_ and 32 random bytes', async () => {
      const res = await admin.post('/webhooks', { url: RECEIVER, events: ['user.*', 'group.member_*'], description: 'sessions and roles' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        url: RECEIVER,
        events: ['user.*', 'group.member_*'],
        description: 'sessions and roles',
        active: true,
        created: expect.stringMatching(ISO_TIME),
        lastModified: res.body.created,
        consecutiveFailures: 0,
        secret: expect.stringMatching(SECRET),
      });
      expect(res.headers.location).toMatch(new RegExp(`${ADMIN}/webhooks/${res.body.id}$`));
      expect((await create()).secret).not.toBe(res.body.secret);
    });

    it('keeps the patterns trimmed, in lower case, each once; without a description, shows none', async () => {
      const webhook = await create({ events: [' User.* ', 'user.*', 'GROUP.DELETED'] });
      expect(webhook.events).toEqual(['user.*', 'group.deleted']);
      expect(webhook).not.toHaveProperty('description');
    });

    it('never shows the secret again: not in GET, the list, a PATCH, or the events', async () => {
      const from = await caughtUp(admin);
      const webhook = await create({ description: 'once' });
      const shown = [
        await admin.get(`/webhooks/${webhook.id}`),
        await admin.get('/webhooks'),
        await admin.patch(`/webhooks/${webhook.id}`, { description: 'twice' }),
        await admin.get(`/webhooks/${webhook.id}/deliveries`),
      ];
      for (const res of shown) {
        expect(res.status).toBe(200);
        expect(res.text).not.toContain(webhook.secret);
        expect(res.text).not.toContain('"secret"');
      }
      const events = await eventsAfter(admin, from);
      expect(events.map((e) => e.type)).toEqual(['webhook.created', 'webhook.updated']);
      expect(JSON.stringify(events)).not.toContain(webhook.secret);
    });

    it.each([
      ['an unknown key', { url: RECEIVER, events: ['*'], secret: 'whsec_mine' }, /takes url, events, description; not secret/],
      ['no events', { url: RECEIVER }, /Name the events/],
      ['an empty list of events', { url: RECEIVER, events: [] }, /at least one event type pattern/],
      ['events that are not a list', { url: RECEIVER, events: 'user.*' }, /as a list of patterns/],
      ['a pattern that matches no type', { url: RECEIVER, events: ['user.*', 'usr.created'] }, /"usr.created" matches no event type/],
      ['a "*" inside a pattern', { url: RECEIVER, events: ['user.*d'] }, /"\*" before its end/],
      ['no url', { events: ['*'] }, /URL must be a string/],
      ['a url that is not absolute', { url: '/hooks/roster', events: ['*'] }, /not an absolute URL/],
      ['a url of another scheme', { url: 'ftp://127.0.0.1/hooks', events: ['*'] }, /must use https, not ftp/],
      ['a url with a user name and password', { url: 'http://roster:secret@127.0.0.1/hooks', events: ['*'] }, /user name or password/],
      ['a url over 2048 characters', { url: `http://127.0.0.1/${'x'.repeat(2048)}`, events: ['*'] }, /at most 2048/],
      ['a description over 256 characters', { url: RECEIVER, events: ['*'], description: 'd'.repeat(257) }, /description must be a string of at most 256/],
    ])('refuses %s with 400 invalidValue, and creates nothing', async (_label, body, detail) => {
      const before = (await admin.get('/webhooks')).body.webhooks;
      const error = expectScimError(await admin.post('/webhooks', body), 400, 'invalidValue');
      expect(error.detail).toMatch(detail);
      expect((await admin.get('/webhooks')).body.webhooks).toEqual(before);
    });

    it('refuses a 21st webhook with 409: a tenant has at most 20', async () => {
      await deleteAll();
      for (let i = 0; i < 20; i++) await create({ description: `hook ${i}` });
      const error = expectScimError(await admin.post('/webhooks', { url: RECEIVER, events: ['*'] }), 409);
      expect(error.detail).toMatch(/at most 20 webhooks/);
      expect((await admin.get('/webhooks')).body.webhooks).toHaveLength(20);
      // One deleted, one may be created again.
      const [first] = (await admin.get('/webhooks')).body.webhooks as { id: string }[];
      expect((await admin.delete(`/webhooks/${first.id}`)).status).toBe(204);
      await create();
      await deleteAll();
    });
  });

  describe('without WEBHOOK_ALLOW_PRIVATE', () => {
    let strict: TestApp;
    let strictAdmin: AdminClient;
    beforeAll(async () => {
      strict = await startTestApp({ webhookAllowPrivate: false });
      strictAdmin = adminClient(strict);
    });
    afterAll(() => strict.close());

    it('accepts an https URL of a public address', async () => {
      const res = await strictAdmin.post('/webhooks', { url: 'https://93.184.216.34/hooks/roster', events: ['*'] });
      expect(res.status).toBe(201);
      expect(res.body.url).toBe('https://93.184.216.34/hooks/roster');
    });

    it.each([
      ['plain http', 'http://93.184.216.34/hooks', /must use https: plain http is allowed only when WEBHOOK_ALLOW_PRIVATE=true/],
      ['loopback', 'https://127.0.0.1/hooks', /127\.0\.0\.1.*WEBHOOK_ALLOW_PRIVATE/],
      ['loopback written in hex', 'https://0x7f.1/hooks', /127\.0\.0\.1/],
      ['IPv6 loopback', 'https://[::1]/hooks', /::1/],
      ['a private address', 'https://10.1.2.3/hooks', /10\.1\.2\.3/],
      ['a private address (192.168/16)', 'https://192.168.0.10/hooks', /192\.168\.0\.10/],
      ['the cloud metadata address', 'https://169.254.169.254/latest/meta-data', /169\.254\.169\.254/],
      ['CGNAT', 'https://100.64.0.1/hooks', /100\.64\.0\.1/],
      ['an IPv4-mapped IPv6 loopback', 'https://[::ffff:127.0.0.1]/hooks', /::ffff:7f00:1/],
      ['a name that resolves to loopback', 'https://localhost/hooks', /localhost resolves to/],
    ])('refuses %s with 400 invalidValue, naming the rule', async (_label, url, detail) => {
      const error = expectScimError(await strictAdmin.post('/webhooks', { url, events: ['*'] }), 400, 'invalidValue');
      expect(error.detail).toMatch(detail);
    });

    it('checks a changed URL as well', async () => {
      const created = await strictAdmin.post('/webhooks', { url: 'https://93.184.216.34/a', events: ['*'] });
      expect(created.status).toBe(201);
      expectScimError(await strictAdmin.patch(`/webhooks/${created.body.id}`, { url: 'https://10.0.0.1/b' }), 400, 'invalidValue');
      expect((await strictAdmin.get(`/webhooks/${created.body.id}`)).body.url).toBe('https://93.184.216.34/a');
    });
  });

  describe('GET, PATCH, DELETE', () => {
    it('GET …/webhooks lists them, each as GET …/webhooks/{id} shows it', async () => {
      await deleteAll();
      const [a, b] = [await create({ description: 'a' }), await create({ events: ['*'] })];
      const list = await admin.get('/webhooks');
      expect(list.status).toBe(200);
      const { secret: _a, ...shownA } = a;
      const { secret: _b, ...shownB } = b;
      expect(list.body).toEqual({ webhooks: expect.arrayContaining([shownA, shownB]) });
      expect(list.body.webhooks).toHaveLength(2);
      expect((await admin.get(`/webhooks/${a.id}`)).body).toEqual(shownA);
    });

    it('PATCH changes url, events and description (null removes it), and moves lastModified', async () => {
      const webhook = await create({ description: 'old' });
      const res = await admin.patch(`/webhooks/${webhook.id}`, { url: 'http://127.0.0.1:8/other', events: ['*'], description: null });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: webhook.id, url: 'http://127.0.0.1:8/other', events: ['*'], active: true,
        created: webhook.created, lastModified: expect.stringMatching(ISO_TIME), consecutiveFailures: 0,
      });
      expect((await admin.get(`/webhooks/${webhook.id}`)).body).toEqual(res.body);
    });

    it('PATCH active false pauses it; active true resumes it with no failures counted', async () => {
      const webhook = await create();
      const paused = await admin.patch(`/webhooks/${webhook.id}`, { active: false });
      expect(paused.status).toBe(200);
      expect(paused.body.active).toBe(false);
      const resumed = await admin.patch(`/webhooks/${webhook.id}`, { active: true });
      expect(resumed.status).toBe(200);
      expect(resumed.body).toMatchObject({ active: true, consecutiveFailures: 0 });
      expect(resumed.body).not.toHaveProperty('disabledAt');
      expect(resumed.body).not.toHaveProperty('disabledReason');
    });

    it.each([
      ['an unknown key', { secret: 'x' }, /not secret/],
      ['active that is not a boolean', { active: 'yes' }, /active must be true or false/],
      ['a pattern that matches no type', { events: ['nothing.*'] }, /matches no event type/],
      ['an empty url', { url: '' }, /URL must be a string/],
    ])('PATCH refuses %s with 400 invalidValue and changes nothing', async (_label, body, detail) => {
      const webhook = await create();
      const { secret: _secret, ...shown } = webhook;
      expect(expectScimError(await admin.patch(`/webhooks/${webhook.id}`, body), 400, 'invalidValue').detail).toMatch(detail);
      expect((await admin.get(`/webhooks/${webhook.id}`)).body).toEqual(shown);
    });

    it('DELETE answers 204; the webhook is gone', async () => {
      const webhook = await create();
      const res = await admin.delete(`/webhooks/${webhook.id}`);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expectScimError(await admin.get(`/webhooks/${webhook.id}`), 404);
      expect((await admin.get('/webhooks')).body.webhooks.map((w: { id: string }) => w.id)).not.toContain(webhook.id);
    });
  });

  describe('404 for a webhook that is not the tenant\'s', () => {
    let theirs: string;
    beforeAll(async () => {
      const operator = await operatorToken(t);
      const id = `hooks-${Date.now().toString(36)}`;
      const token = await tenantWithToken(t, operator, id);
      theirs = (await create({}, adminClient(t, token, adminOf(id)))).id;
    });

    it.each([
      ['an unknown id', () => randomUUID()],
      ['another tenant\'s webhook', () => theirs],
    ])('%s: GET, PATCH, DELETE, deliveries and retry are all 404', async (_label, idOf) => {
      const id = idOf();
      const responses = [
        await admin.get(`/webhooks/${id}`),
        await admin.patch(`/webhooks/${id}`, { active: false }),
        await admin.delete(`/webhooks/${id}`),
        await admin.get(`/webhooks/${id}/deliveries`),
        await admin.post(`/webhooks/${id}/deliveries/1/retry`),
      ];
      for (const res of responses) expect(expectScimError(res, 404).detail).toContain(`No webhook has the id "${id}"`);
    });
  });

  describe('deliveries and retry', () => {
    let webhook: { id: string };
    let eventIds: number[];

    beforeAll(async () => {
      webhook = await create({ events: ['user.*'] });
      // Events to retry: a new webhook is not sent the events from before it existed, but they can be retried.
      const from = await caughtUp(admin);
      for (let i = 0; i < 3; i++) expect((await t.post('/Users', userBody(`delivery.${i}`))).status).toBe(201);
      eventIds = (await eventsAfter(admin, from)).map((e) => e.id);
    });

    it('lists none before any was queued (no dispatcher runs in these specs)', async () => {
      const res = await admin.get(`/webhooks/${webhook.id}/deliveries`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ deliveries: [] });
    });

    it('POST …/deliveries/{eventId}/retry answers 202 with the delivery, pending and due now', async () => {
      const [eventId] = eventIds;
      const event = (await admin.get(`/events/${eventId}`)).body;
      const before = Date.now();
      const res = await admin.post(`/webhooks/${webhook.id}/deliveries/${eventId}/retry`);
      expect(res.status).toBe(202);
      expect(res.body).toEqual({
        webhookId: webhook.id, eventId, eventType: 'user.created', resourceId: event.resource.id,
        state: 'pending', queuedAt: expect.stringMatching(ISO_TIME), nextAttemptAt: res.body.queuedAt, attempts: [],
      });
      expect(Date.parse(res.body.queuedAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(res.body.queuedAt)).toBeLessThanOrEqual(Date.now());
      expect((await admin.get(`/webhooks/${webhook.id}/deliveries`)).body).toEqual({ deliveries: [res.body] });
    });

    it('lists deliveries newest first, filtered by state, a page at a time (`next` when the page is full)', async () => {
      for (const eventId of eventIds.slice(1)) expect((await admin.post(`/webhooks/${webhook.id}/deliveries/${eventId}/retry`)).status).toBe(202);
      const all = await admin.get(`/webhooks/${webhook.id}/deliveries`);
      expect(all.body.deliveries.map((d: { eventId: number }) => d.eventId)).toEqual([...eventIds].reverse());
      expect(all.body).not.toHaveProperty('next');

      const first = await admin.get(`/webhooks/${webhook.id}/deliveries?limit=2`);
      expect(first.body.deliveries.map((d: { eventId: number }) => d.eventId)).toEqual([eventIds[2], eventIds[1]]);
      expect(first.body.next).toBe(eventIds[1]);
      const second = await admin.get(`/webhooks/${webhook.id}/deliveries?limit=2&before=${first.body.next}`);
      expect(second.body.deliveries.map((d: { eventId: number }) => d.eventId)).toEqual([eventIds[0]]);

      expect((await admin.get(`/webhooks/${webhook.id}/deliveries?state=pending`)).body.deliveries).toHaveLength(3);
      expect((await admin.get(`/webhooks/${webhook.id}/deliveries?state=delivered`)).body.deliveries).toEqual([]);
      expect((await admin.get(`/webhooks/${webhook.id}/deliveries?state=failed`)).body.deliveries).toEqual([]);
    });

    it('retry of an event this tenant does not have is 404', async () => {
      const latest = await caughtUp(admin);
      const error = expectScimError(await admin.post(`/webhooks/${webhook.id}/deliveries/${latest + 1000}/retry`), 404);
      expect(error.detail).toMatch(/No event has the id/);
    });

    it.each([
      ['state=sent', /state must be one of pending, delivered, failed/],
      ['limit=0', /limit must be a whole number of at least 1/],
      ['before=abc', /before must be a whole number of at least 1/],
      ['state=pending&state=failed', /Give state once/],
    ])('refuses deliveries?%s with 400 invalidValue', async (query, detail) => {
      expect(expectScimError(await admin.get(`/webhooks/${webhook.id}/deliveries?${query}`), 400, 'invalidValue').detail).toMatch(detail);
    });

    it('refuses a retry of an event id that is not a number with 400 invalidValue', async () => {
      expectScimError(await admin.post(`/webhooks/${webhook.id}/deliveries/abc/retry`), 400, 'invalidValue');
    });
  });

  describe('who may manage webhooks', () => {
    let operator: string;
    let elsewhere: { id: string; token: string };
    let webhook: { id: string };

    beforeAll(async () => {
      operator = await operatorToken(t);
      const id = `hook-auth-${Date.now().toString(36)}`;
      elsewhere = { id, token: await tenantWithToken(t, operator, id) };
      webhook = await create();
    });

    const userToken = async () => {
      const user = await t.post('/Users', userBody(`hook.user.${Date.now()}`));
      expect(user.status).toBe(201);
      const res = await request(t.app).post(`${ADMIN_USERS}/${user.body.id}/tokens`).set('Authorization', `Bearer ${t.token}`).send({ name: 'mine' });
      expect(res.status).toBe(201);
      return res.body.token as string;
    };
    const everyRoute = (client: AdminClient) => [
      client.get('/webhooks'),
      client.post('/webhooks', { url: RECEIVER, events: ['*'] }),
      client.get(`/webhooks/${webhook.id}`),
      client.patch(`/webhooks/${webhook.id}`, { description: 'x' }),
      client.delete(`/webhooks/${webhook.id}`),
      client.get(`/webhooks/${webhook.id}/deliveries`),
      client.post(`/webhooks/${webhook.id}/deliveries/1/retry`),
    ];

    it('an operator token manages any tenant\'s webhooks', async () => {
      const mine = adminClient(t, operator);
      expect((await mine.get(`/webhooks/${webhook.id}`)).status).toBe(200);
      const theirs = adminClient(t, operator, adminOf(elsewhere.id));
      const created = await theirs.post('/webhooks', { url: RECEIVER, events: ['*'] });
      expect(created.status).toBe(201);
      expect((await theirs.get('/webhooks')).body.webhooks.map((w: { id: string }) => w.id)).toEqual([created.body.id]);
    });

    it('a tenant\'s service token manages its own', async () => {
      expect((await adminClient(t, elsewhere.token, adminOf(elsewhere.id)).get('/webhooks')).status).toBe(200);
    });

    it('a user-bound token is refused with 403 on every route', async () => {
      for (const res of await Promise.all(everyRoute(adminClient(t, await userToken())))) {
        expect(expectScimError(res, 403).detail).toMatch(/manage webhooks/);
      }
      expect((await admin.get(`/webhooks/${webhook.id}`)).body.description).toBeUndefined();
    });

    it('another tenant\'s service token is refused with 401 on every route', async () => {
      for (const res of await Promise.all(everyRoute(adminClient(t, elsewhere.token)))) expectScimError(res, 401);
    });

    it('a request without a token is refused with 401', async () => {
      expectScimError(await request(t.app).get(`${ADMIN}/webhooks`), 401);
      expectScimError(await request(t.app).post(`${ADMIN}/webhooks`).send({ url: RECEIVER, events: ['*'] }), 401);
    });
  });
});
