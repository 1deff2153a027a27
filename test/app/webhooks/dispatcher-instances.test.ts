import type { Dispatcher } from '../../../src/app/webhooks/dispatcher';
import type { Store } from '../../../src/store/port';
import { openSqliteStore } from '../../../src/store/sqlite/sqlite-store';
import {
  createUser, createWebhook, deliveriesOf, dispatcher, expectEachOnceInOrder, receiver, recordedEvents, startClock, stopReceivers, webhookApp,
} from './dispatcher-support';

/**
 * Several instances (docs/events.md, Several instances): two dispatchers, each with its own
 * connection to one SQLite file, run rounds side by side on a shared clock, in an order a seeded
 * random schedule picks, while users are being written. Leases move between them whenever the
 * clock passes 60 s without a renewal. No event is ever sent by both at once, and together they
 * deliver every event to every webhook exactly once.
 */

let t: Awaited<ReturnType<typeof webhookApp>>;
let second: Store;
beforeEach(async () => {
  t = await webhookApp();
  second = openSqliteStore(t.config.sqlitePath);
});
afterEach(async () => {
  await stopReceivers();
  await second.close();
  await t.close();
});

/** A small seeded generator (mulberry32): the same schedule on every run. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('two instances never send one event at once, and together deliver every event to every webhook once, in order', async () => {
  const random = seeded(11);
  const delays = seeded(5); // its own: the receiver draws at moments that depend on timing, the schedule must not
  // Answers after a moment (so that sends overlap), and refuses the first attempt of about one event in four.
  const r = await receiver(async (a) => {
    await pause(Math.floor(delays() * 4));
    return a.nth === 1 && (a.eventId + a.path.length) % 4 === 0 ? 'fail' : 'accept';
  });
  const hooks = [];
  for (const path of ['/w1', '/w2', '/w3']) hooks.push({ path, ...(await createWebhook(t, r.url(path), ['user.*'])), after: 0 });
  const time = startClock();
  const instances: [string, Dispatcher][] = [['a', dispatcher(t.store, time, { owner: 'instance-a' })], ['b', dispatcher(second, time, { owner: 'instance-b' })]];
  const attempts = new Map<string, number>([['a', 0], ['b', 0]]);
  const round = async ([name, d]: [string, Dispatcher]) => attempts.set(name, attempts.get(name)! + (await d.round()));
  const made = () => attempts.get('a')! + attempts.get('b')!;

  for (let step = 0; step < 60; step++) {
    if (step === 20) {
      const path = '/w4';
      hooks.push({ path, ...(await createWebhook(t, r.url(path), ['user.*'])), after: await t.data.events.latest() });
    }
    const pick = random();
    const running = pick < 0.5 ? (random() < 0.5 ? instances : [...instances].reverse()) : [instances[pick < 0.75 ? 0 : 1]];
    const work: Promise<unknown>[] = [];
    for (const instance of running) {
      work.push(round(instance));
      await pause(Math.floor(random() * 3)); // the second instance starts while the first is busy, or not
    }
    if (random() < 0.6) work.push(createUser(t, `user${step}`));
    await Promise.all(work);
    time.advance([0, 2_000, 20_000, 61_000][Math.floor(random() * 4)]);
  }

  // Then both keep going until nothing is left.
  for (let rest = 0; ; rest++) {
    if (rest > 100) throw new Error('deliveries still pending');
    const before = made();
    await Promise.all(instances.map(round));
    const pending = await Promise.all(hooks.map((hook) => deliveriesOf(t, hook.id, 'pending')));
    if (made() === before && pending.every((p) => p.length === 0)) break;
    time.advance(61_000);
  }

  expect(r.maxInFlight).toBe(1);
  for (const hook of hooks) expectEachOnceInOrder(r.accepted(hook.path), await recordedEvents(t, hook.after, ['user.']));
  expect(r.arrivals.length).toBeGreaterThan(r.accepted().length); // some first attempts were refused, and retried
  expect(attempts.get('a')).toBeGreaterThan(0);
  expect(attempts.get('b')).toBeGreaterThan(0);
}, 60_000);
