import { createMetrics, type Metrics } from '../../../src/metrics';
import {
  createUser, createWebhook, dispatcher, drain, receiver, startClock, stopReceivers, webhookApp,
} from './dispatcher-support';

/**
 * What the dispatcher tells the metrics (DispatchObserver): each attempt's outcome and time, the
 * backlog of the webhooks it holds after each round, and each webhook it disables. Backoff as in
 * dispatcher-failures: attempts at 0, 5, 15 and 35 s of a 60 s window, the fourth failure final.
 */

const WINDOW = 60_000;

let t: Awaited<ReturnType<typeof webhookApp>>;
let metrics: Metrics;
beforeEach(async () => {
  t = await webhookApp();
  metrics = createMetrics({ processMetrics: false });
});
afterEach(async () => {
  await stopReceivers();
  await t.close();
});

/** The value of one sample of the exposition (`name{labels} value`, or `name value`). */
async function sample(name: string): Promise<number | undefined> {
  const line = (await metrics.exposition()).split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

/** Users named bad… are answered HTTP 500, the others accepted. */
const answerByName = () => receiver((a) => ((a.event.resource.userName ?? '').startsWith('bad') ? 'fail' : 'accept'));

it('counts delivered attempts, times each, and reports an empty backlog once all are delivered', async () => {
  const hook = await createWebhook(t, (await answerByName()).url(), ['user.*']);
  for (const name of ['ada', 'grace', 'linus']) await createUser(t, name);
  const time = startClock();
  await drain(t, hook.id, dispatcher(t.store, time, { observer: metrics.webhooks }), time);
  expect(await sample('roster_webhook_deliveries_total{outcome="delivered"}')).toBe(3);
  expect(await sample('roster_webhook_deliveries_total{outcome="retry"}')).toBe(0);
  expect(await sample('roster_webhook_deliveries_total{outcome="failed"}')).toBe(0);
  expect(await sample('roster_webhook_delivery_duration_seconds_count')).toBe(3);
  expect(await sample('roster_webhook_backlog')).toBe(0);
});

it('reports as backlog the deliveries left pending after a round, and counts their attempts as retries', async () => {
  const hook = await createWebhook(t, (await answerByName()).url(), ['user.*']);
  for (const name of ['bad-1', 'bad-2', 'ada']) await createUser(t, name);
  const time = startClock();
  const d = dispatcher(t.store, time, { observer: metrics.webhooks, retryWindowMs: WINDOW });

  await d.round();
  expect(await sample('roster_webhook_deliveries_total{outcome="delivered"}')).toBe(1);
  expect(await sample('roster_webhook_deliveries_total{outcome="retry"}')).toBe(2);
  expect(await sample('roster_webhook_backlog')).toBe(2);

  await drain(t, hook.id, d, time);
  // Three retries each (at 5, 15 and 35 s), then the fourth failure is final.
  expect(await sample('roster_webhook_deliveries_total{outcome="retry"}')).toBe(2 * 3);
  expect(await sample('roster_webhook_deliveries_total{outcome="failed"}')).toBe(2);
  expect(await sample('roster_webhook_backlog')).toBe(0);
  expect(await sample('roster_webhooks_disabled_total')).toBe(0);
});

it('counts a webhook disabled after WEBHOOK_DISABLE_AFTER events in a row failed, and forgets its backlog', async () => {
  const hook = await createWebhook(t, (await answerByName()).url(), ['user.*']);
  for (const name of ['bad-1', 'bad-2', 'bad-3']) await createUser(t, name);
  const time = startClock();
  const d = dispatcher(t.store, time, { observer: metrics.webhooks, retryWindowMs: WINDOW, disableAfter: 2 });
  await drain(t, hook.id, d, time).catch(() => undefined);
  expect((await t.admin.get(`/webhooks/${hook.id}`)).body).toMatchObject({ active: false });
  expect(await sample('roster_webhooks_disabled_total')).toBe(1);
  // A disabled webhook is leased no more: its pending delivery is no longer this instance's backlog.
  await d.round();
  expect(await sample('roster_webhook_backlog')).toBe(0);
});

it('reports no backlog once stopped (its leases given up)', async () => {
  await createWebhook(t, (await answerByName()).url(), ['user.*']);
  await createUser(t, 'bad-1');
  const time = startClock();
  const d = dispatcher(t.store, time, { observer: metrics.webhooks, retryWindowMs: WINDOW });
  await d.round();
  expect(await sample('roster_webhook_backlog')).toBe(1);
  await d.stop();
  expect(await sample('roster_webhook_backlog')).toBe(0);
});
