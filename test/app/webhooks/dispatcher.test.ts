import type { TestApp } from '../../support/test-app';
import {
  byResource, createUser, createWebhook, deliveriesOf, dispatcher, drain, expectEachOnceInOrder, receiver, recordedEvents, retitle,
  startClock, stopReceivers, webhookApp, type Answer,
} from './dispatcher-support';

/**
 * The dispatcher's promise to a receiver (docs/events.md, Delivery semantics): every event it
 * subscribes to arrives, after as many retries as it takes, and the events of one resource
 * arrive in order: the next waits until the previous is delivered or has failed for good.
 * Real application, real SQLite file, real HTTP; rounds driven by hand on a clock the spec moves.
 */

let t: Awaited<ReturnType<typeof webhookApp>>;
beforeEach(async () => {
  t = await webhookApp();
});
afterEach(async () => {
  await stopReceivers();
  await t.close();
});

/** Four users and a group, written through SCIM: every resource has several events, interleaved. */
async function provision(app: TestApp): Promise<void> {
  const users = [];
  for (const name of ['ada', 'grace', 'alan', 'edsger']) users.push(await createUser(app, name));
  for (const id of users) await retitle(app, id, 'Engineer');
  const group = await app.post('/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Admins', members: [{ value: users[0] }, { value: users[1] }] });
  expect(group.status).toBe(201);
  const patched = await app.patch(`/Groups/${group.body.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [
    { op: 'remove', path: `members[value eq "${users[0]}"]` }, { op: 'add', path: 'members', value: [{ value: users[2] }] },
  ] });
  expect(patched.status).toBe(204);
  for (const id of users) await retitle(app, id, 'Principal engineer');
  expect((await app.patch(`/Users/${users[3]}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] })).status).toBe(200);
}

describe('a receiver that fails the first attempts of every event', () => {
  const MODES: readonly Answer[] = ['fail', 'drop', 'hang'];

  it('gets every event exactly once after retries (500, cut connections, no answer), each resource in order', async () => {
    // Attempts 1 and 2 of each event fail, each in one of three ways, rotating; attempt 3 is accepted.
    const r = await receiver((a) => (a.nth <= 2 ? MODES[(a.eventId + a.nth) % 3] : 'accept'));
    const hook = await createWebhook(t, r.url());
    await provision(t);
    const expected = await recordedEvents(t);
    expect(expected.map((e) => e.type)).toEqual(expect.arrayContaining(['user.created', 'user.updated', 'user.deactivated', 'group.created', 'group.member_added', 'group.member_removed']));

    const time = startClock();
    await drain(t, hook.id, dispatcher(t.store, time, { timeoutMs: 1_000 }), time);

    expectEachOnceInOrder(r.accepted(), expected);
    // Every attempt, failed or not, follows resource order too: a later event is never tried before an earlier one settled.
    for (const [, sequence] of byResource(r.arrivals)) expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
    expect(r.arrivals).toHaveLength(3 * expected.length);
    const deliveries = await deliveriesOf(t, hook.id);
    expect(deliveries).toHaveLength(expected.length);
    for (const delivery of deliveries) {
      expect(delivery.state).toBe('delivered');
      expect(delivery.attempts.map((a) => a.error === undefined)).toEqual([false, false, true]);
    }
    const errors = deliveries.flatMap((d) => d.attempts.slice(0, 2).map((a) => a.error));
    expect(errors).toEqual(expect.arrayContaining([
      'The receiver answered with HTTP status 500.',
      expect.stringMatching(/^The connection to 127\.0\.0\.1:\d+ was closed before an answer came\.$/),
      expect.stringMatching(/^No answer from 127\.0\.0\.1:\d+ within 1000 ms\.$/),
    ]));
  }, 30_000);

  it('gets every event exactly once when many resources fail at once, eight deliveries at a time', async () => {
    const r = await receiver((a) => (a.nth <= 3 ? 'fail' : 'accept'));
    const hook = await createWebhook(t, r.url());
    const users = [];
    for (let i = 0; i < 40; i++) users.push(await createUser(t, `user${i}`));
    for (const id of users) await retitle(t, id, 'Engineer');
    const expected = await recordedEvents(t);
    expect(expected).toHaveLength(80);

    const time = startClock();
    await drain(t, hook.id, dispatcher(t.store, time), time);

    expectEachOnceInOrder(r.accepted(), expected);
    expect(r.arrivals).toHaveLength(4 * 80);
  });
});

describe('order per resource', () => {
  it('holds back the later events of a resource whose earliest delivery keeps failing, and no other resource\'s', async () => {
    let failing = true;
    let stuck = '';
    const r = await receiver((a) => (failing && a.event.resource.id === stuck ? 'fail' : 'accept'));
    const hook = await createWebhook(t, r.url());
    stuck = await createUser(t, 'stuck');
    const other = await createUser(t, 'other');
    for (const title of ['One', 'Two']) {
      await retitle(t, stuck, title);
      await retitle(t, other, title);
    }
    const [stuckCreated, ...stuckLater] = (await recordedEvents(t)).filter((e) => e.resource.id === stuck);
    const time = startClock();
    const d = dispatcher(t.store, time);

    for (let round = 0; round < 5; round++) {
      await d.round();
      time.advance(3_600_000); // past any retry of a 24-hour window's first attempts
    }

    expect(r.accepted().map((a) => a.event.resource.id)).toEqual([other, other, other]);
    const aboutStuck = r.arrivals.filter((a) => a.event.resource.id === stuck);
    expect(aboutStuck.map((a) => a.eventId)).toEqual([stuckCreated.id, stuckCreated.id, stuckCreated.id, stuckCreated.id, stuckCreated.id]);
    const pending = await deliveriesOf(t, hook.id, 'pending');
    expect(pending.map((p) => [p.eventId, p.attempts.length])).toEqual([[stuckLater[1].id, 0], [stuckLater[0].id, 0], [stuckCreated.id, 5]]);

    failing = false;
    await drain(t, hook.id, d, time);
    expect(r.accepted().filter((a) => a.event.resource.id === stuck).map((a) => a.eventId)).toEqual([stuckCreated.id, ...stuckLater.map((e) => e.id)]);
  });

  it('lets the next event of a resource go ahead once the earliest has failed for good', async () => {
    let first = 0;
    const r = await receiver((a) => (a.eventId === first ? 'fail' : 'accept'));
    const hook = await createWebhook(t, r.url());
    const id = await createUser(t, 'unlucky');
    await retitle(t, id, 'Later');
    const [created, updated] = await recordedEvents(t);
    first = created.id;
    const time = startClock();

    await drain(t, hook.id, dispatcher(t.store, time, { retryWindowMs: 60_000 }), time);

    expect(r.arrivals.map((a) => a.eventId)).toEqual([created.id, created.id, created.id, created.id, updated.id]);
    const [later, failed] = await deliveriesOf(t, hook.id);
    expect([later.state, failed.state]).toEqual(['delivered', 'failed']);
  });
});

describe('the longest WEBHOOK_TIMEOUT', () => {
  it('still delivers: the lease outlasts a round of sends however long an attempt may take (60 s)', async () => {
    const r = await receiver();
    const hook = await createWebhook(t, r.url());
    await createUser(t, 'patient');
    const time = startClock();

    await drain(t, hook.id, dispatcher(t.store, time, { timeoutMs: 60_000 }), time);

    expectEachOnceInOrder(r.accepted(), await recordedEvents(t));
  });
});
