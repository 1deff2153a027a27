import { sendDelivery } from '../../../src/app/webhooks/send-delivery';
import { clock } from '../../support/clock';
import {
  createUser, createWebhook, deliveriesOf, dispatcher, drain, expectEachOnceInOrder, receiver, recordedEvents, startClock, stopReceivers, webhookApp,
  type Arrival,
} from './dispatcher-support';

/**
 * Durable delivery (docs/events.md): the outbox lives in the store, so what one instance did
 * not deliver before it crashed, another delivers, once the crashed one's lease (60 s) has
 * expired and not before; events committed while no instance runs wait in the store.
 * A crash is an instance dropped without stop(), in the middle of a round.
 */

let t: Awaited<ReturnType<typeof webhookApp>>;
beforeEach(async () => {
  t = await webhookApp();
});
afterEach(async () => {
  await stopReceivers();
  await t.close();
});

/**
 * A send that delivers `delivered` events, then dies: the next send never returns. With
 * `afterSending`, it dies after that last request reached the receiver but before its answer
 * was recorded. `dead` resolves when it has died.
 */
function dyingAfter(delivered: number, afterSending = false) {
  let calls = 0;
  let died: () => void = () => undefined;
  const dead = new Promise<void>((resolve) => (died = resolve));
  const send: typeof sendDelivery = async (target, event, options) => {
    if (++calls <= delivered) return sendDelivery(target, event, options);
    if (calls === delivered + 1) {
      if (afterSending) await sendDelivery(target, event, options);
      died();
    }
    return new Promise<never>(() => undefined);
  };
  return { send, dead };
}

async function tenUsers(): Promise<void> {
  for (let i = 0; i < 10; i++) await createUser(t, `user${i}`);
}

const ids = (arrivals: readonly Arrival[]) => arrivals.map((a) => a.eventId);

describe('an instance that crashes in the middle of a round', () => {
  it('leaves its undelivered events to another instance, which takes over once the lease has expired, not before', async () => {
    const r = await receiver();
    const hook = await createWebhook(t, r.url());
    await tenUsers();
    const expected = await recordedEvents(t);
    const start = Date.now();
    const crash = dyingAfter(3);
    void dispatcher(t.store, clock(start), { owner: 'instance-a', concurrency: 1, send: crash.send }).round();
    await crash.dead;
    expect(ids(r.accepted())).toEqual(expected.slice(0, 3).map((e) => e.id));

    const later = clock(start + 59_999);
    const b = dispatcher(t.store, later, { owner: 'instance-b' });
    expect(await b.round()).toBe(0); // instance-a's lease runs until start + 60 s
    expect(r.arrivals).toHaveLength(3);

    later.advance(1);
    await drain(t, hook.id, b, later);
    expectEachOnceInOrder(r.accepted(), expected);
  });

  it('has the event it was sending when it died delivered again: at least once, and every other event once', async () => {
    const r = await receiver();
    const hook = await createWebhook(t, r.url());
    await tenUsers();
    const expected = await recordedEvents(t);
    const start = Date.now();
    const crash = dyingAfter(3, true);
    void dispatcher(t.store, clock(start), { owner: 'instance-a', concurrency: 1, send: crash.send }).round();
    await crash.dead;
    expect(ids(r.accepted())).toEqual(expected.slice(0, 4).map((e) => e.id));

    const later = clock(start + 60_000);
    await drain(t, hook.id, dispatcher(t.store, later, { owner: 'instance-b' }), later);

    const received = ids(r.accepted());
    expect(received.filter((id, i) => received.indexOf(id) !== i)).toEqual([expected[3].id]);
    expect([...new Set(received)].sort((a, b) => a - b)).toEqual(expected.map((e) => e.id));
    expect((await deliveriesOf(t, hook.id)).every((d) => d.state === 'delivered')).toBe(true);
  });

  it('leaves its retries to the next instance, which continues them on the same schedule', async () => {
    let down = true;
    const r = await receiver(() => (down ? 'fail' : 'accept'));
    const hook = await createWebhook(t, r.url());
    await tenUsers();
    const expected = await recordedEvents(t);
    const time = startClock();
    await dispatcher(t.store, time, { owner: 'instance-a' }).round(); // every first attempt fails; then the instance is gone
    const retries = await deliveriesOf(t, hook.id, 'pending');
    expect(retries.map((d) => d.attempts.length)).toEqual(expected.map(() => 1));

    down = false;
    time.advance(60_000);
    await drain(t, hook.id, dispatcher(t.store, time, { owner: 'instance-b' }), time);

    expectEachOnceInOrder(r.accepted(), expected);
    const delivered = await deliveriesOf(t, hook.id);
    for (const d of delivered) expect(d.attempts.map((a) => a.statusCode)).toEqual([500, 204]);
  });
});

describe('events committed while no instance runs', () => {
  it('are delivered once one starts; a stopped instance gives up its leases, so the next need not wait', async () => {
    let expecting = 1;
    let allCame: () => void = () => undefined;
    const r = await receiver(() => {
      if (r.arrivals.length === expecting) allCame();
      return 'accept';
    });
    const hook = await createWebhook(t, r.url());
    const time = startClock();
    await createUser(t, 'first');
    const first = dispatcher(t.store, time, { owner: 'instance-a' });
    await drain(t, hook.id, first, time);
    await first.stop();

    await tenUsers(); // no instance runs
    expecting = 11;
    const everything = new Promise<void>((resolve) => (allCame = resolve));
    const next = dispatcher(t.store, time, { owner: 'instance-b' }); // same moment: instance-a's lease would still run
    next.start();
    await everything;
    await next.stop();

    expectEachOnceInOrder(r.accepted(), await recordedEvents(t));
    expect(await deliveriesOf(t, hook.id, 'pending')).toEqual([]);
  });
});
