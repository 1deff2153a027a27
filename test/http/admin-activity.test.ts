import request from 'supertest';
import type { ActivityReport } from '../../src/app/activity';
import { operatorToken, tenantWithToken } from '../support/tenants';
import { ADMIN_USERS, expectScimError, startTestApp, userBody, type TestApp } from '../support/test-app';
import { adminClient, adminOf } from './events/event-support';

const HOUR = 3_600_000;

/** The counts of one type over every hour of a report. */
const total = (report: ActivityReport, type: string) => report.hours.reduce((sum, hour) => sum + (hour.counts[type] ?? 0), 0);

/**
 * GET …/events/activity: a tenant's events and failed requests per hour, by type, every hour of
 * the range present (the console's chart shows silence as silence), read from the counts the
 * writes keep.
 */
describe('the activity per hour', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const activity = async (query = '') => {
    const res = await adminClient(t).get(`/events/activity${query}`);
    expect(res.status).toBe(200);
    return res.body as ActivityReport;
  };

  it('lists the last 168 hours, oldest first, each with its counts of user.created and request.failed (silent hours empty)', async () => {
    const before = await activity();
    for (const name of ['chart.one', 'chart.two', 'chart.three']) expect((await t.post('/Users', userBody(name))).status).toBe(201);
    expectScimError(await t.post('/Users', userBody('CHART.ONE')), 409);
    const started = Date.now();
    const report = await activity();

    expect(report.hours).toHaveLength(168);
    const starts = report.hours.map((h) => Date.parse(h.hour));
    expect(starts.every((start, i) => i === 0 || start - starts[i - 1] === HOUR)).toBe(true);
    expect(report.hours.every((h) => /^\d{4}-\d\d-\d\dT\d\d:00:00Z$/.test(h.hour))).toBe(true);
    expect(report.from).toBe(report.hours[0].hour);
    expect(Date.parse(report.to)).toBe(starts[167] + HOUR);
    // The current hour is the last: `to` is the start of the next.
    expect(Date.parse(report.to) > started && Date.parse(report.to) - started <= HOUR).toBe(true);

    expect(total(report, 'user.created') - total(before, 'user.created')).toBe(3);
    expect(total(report, 'request.failed') - total(before, 'request.failed')).toBe(1);
    // This spec's writes are in the current hour (or the one before, should the hour have turned meanwhile).
    const busy = report.hours.map((h, i) => (h.counts['user.created'] ? i : -1)).filter((i) => i >= 0);
    expect(busy.every((i) => i >= 166)).toBe(true);
    expect(report.hours.slice(0, 166).every((h) => Object.keys(h.counts).length === 0)).toBe(true);
  });

  it('serves 1 to 744 hours; refuses 0, 745, a non-number and an unknown parameter with 400 invalidValue', async () => {
    expect((await activity('?hours=1')).hours).toHaveLength(1);
    expect((await activity('?hours=744')).hours).toHaveLength(744);
    for (const hours of ['0', '745', 'abc', '-3', '1.5', '']) {
      expect(expectScimError(await adminClient(t).get(`/events/activity?hours=${hours}`), 400, 'invalidValue').detail).toMatch(/hours/);
    }
    expect(expectScimError(await adminClient(t).get('/events/activity?days=7'), 400, 'invalidValue').detail).toMatch(/takes hours; not days/);
    expectScimError(await adminClient(t).post('/events/activity', {}), 405);
  });

  it('is not taken for an event id: GET …/events/{id} still serves one event', async () => {
    expect((await adminClient(t).get('/events/1')).body).toMatchObject({ id: 1 });
  });

  it('may be read by whoever may read the events: not a user-bound token, and each tenant its own', async () => {
    const user = (await t.post('/Users', userBody('chart.viewer'))).body;
    const token = (await request(t.app).post(`${ADMIN_USERS}/${user.id}/tokens`).set('Authorization', `Bearer ${t.token}`).send({ name: 'mine' })).body.token as string;
    expect(expectScimError(await adminClient(t, token).get('/events/activity'), 403).detail).toMatch(/user-bound token/);

    const operator = await operatorToken(t);
    const id = `chart-${Date.now().toString(36)}`;
    const theirs = adminClient(t, await tenantWithToken(t, operator, id), adminOf(id));
    const report = (await theirs.get('/events/activity?hours=2')).body as ActivityReport;
    // A new tenant's own events only: its creation and its token's.
    expect(total(report, 'tenant.created')).toBe(1);
    expect(total(report, 'token.created')).toBe(1);
    expect(total(report, 'user.created')).toBe(0);
    expect((await adminClient(t, operator, adminOf(id)).get('/events/activity?hours=2')).body).toEqual(report);
    expectScimError(await adminClient(t, t.token, adminOf(id)).get('/events/activity'), 401);
  });
});
