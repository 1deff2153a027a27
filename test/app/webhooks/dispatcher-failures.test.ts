import type { ChangeEvent } from '../../../src/store/port';
import {
  createUser, createWebhook, dispatcher, drain, receiver, recordedEvents, startClock, stopReceivers, webhookApp, type Clock,
} from './dispatcher-support';

/**
 * Retries, failures and disabling (docs/events.md): a delivery is retried with backoff until
 * its retry window ends, then it is `failed`; after WEBHOOK_DISABLE_AFTER events in a row failed
 * for good the webhook is disabled, with a webhook.disabled event; a delivered event resets the
 * count. Backoff with random() = 0.5 and a 60 s window: attempts at 0, 5, 15 and 35 s; the next
 * would be at 75 s, outside the window, so the fourth failure is final.
 */

const SECOND = 1_000;
const WINDOW = 60 * SECOND;

let t: Awaited<ReturnType<typeof webhookApp>>;
beforeEach(async () => {
  t = await webhookApp();
});
afterEach(async () => {
  await stopReceivers();
  await t.close();
});

/** Users named bad… get HTTP 500, cut… a cut connection; the others are accepted. */
const answerByName = async () => receiver((a) => {
  const name = a.event.resource.userName ?? '';
  return name.startsWith('bad') ? 'fail' : name.startsWith('cut') ? 'drop' : 'accept';
});

describe('the retry window', () => {
  it('marks a delivery failed once its next retry would fall outside the window, and lists every attempt', async () => {
    const hook = await createWebhook(t, (await answerByName()).url(), ['user.*']);
    await createUser(t, 'bad-answer');
    await createUser(t, 'cut-connection');
    const [refused, cut] = await recordedEvents(t);
    const time = startClock();
    const t0 = time.now().getTime();

    await drain(t, hook.id, dispatcher(t.store, time, { retryWindowMs: WINDOW }), time);

    const res = await t.admin.get(`/webhooks/${hook.id}/deliveries?state=failed`);
    expect(res.status).toBe(200);
    const at = [0, 5, 15, 35].map((s) => new Date(t0 + s * SECOND).toISOString());
    const durationMs = expect.any(Number);
    expect(res.body.deliveries).toEqual([
      { webhookId: hook.id, eventId: cut.id, eventType: 'user.created', resourceId: cut.resource.id, state: 'failed', queuedAt: at[0],
        attempts: at.map((when) => ({ at: when, durationMs, error: expect.stringMatching(/^The connection to 127\.0\.0\.1:\d+ was closed before an answer came\.$/) })) },
      { webhookId: hook.id, eventId: refused.id, eventType: 'user.created', resourceId: refused.resource.id, state: 'failed', queuedAt: at[0],
        attempts: at.map((when) => ({ at: when, statusCode: 500, durationMs, error: 'The receiver answered with HTTP status 500.' })) },
    ]);
    expect((await t.admin.get(`/webhooks/${hook.id}`)).body).toMatchObject({ active: true, consecutiveFailures: 2 });
  });
});

describe('disabling a webhook that keeps failing', () => {
  const DISABLE_AFTER = 3;
  let time: Clock;
  let hook: { id: string };
  let deliverAll: () => Promise<unknown>;
  const webhook = async () => (await t.admin.get(`/webhooks/${hook.id}`)).body as { active: boolean; consecutiveFailures: number; disabledAt?: string; disabledReason?: string };

  beforeEach(async () => {
    time = startClock();
    hook = await createWebhook(t, (await answerByName()).url(), ['user.*']);
    const d = dispatcher(t.store, time, { retryWindowMs: WINDOW, disableAfter: DISABLE_AFTER });
    deliverAll = () => drain(t, hook.id, d, time);
  });

  it(`counts events that failed for good; a delivered one resets the count; the ${DISABLE_AFTER}rd in a row disables it`, async () => {
    for (const name of ['bad-1', 'bad-2']) await createUser(t, name);
    await deliverAll();
    expect(await webhook()).toMatchObject({ active: true, consecutiveFailures: 2 });

    await createUser(t, 'good-1');
    await deliverAll();
    expect(await webhook()).toMatchObject({ active: true, consecutiveFailures: 0 });

    for (const name of ['bad-3', 'bad-4']) await createUser(t, name);
    await deliverAll();
    expect(await webhook()).toMatchObject({ active: true, consecutiveFailures: 2 });

    const before = await t.data.events.latest();
    await createUser(t, 'bad-5');
    await deliverAll();
    expect(await webhook()).toEqual(expect.objectContaining({
      active: false, consecutiveFailures: 3, disabledAt: expect.any(String),
      disabledReason: '3 events in a row failed to be delivered (the last: The receiver answered with HTTP status 500.)',
    }));
    const disabled = (await t.data.events.read({ after: before, limit: 100, scan: 1000 })).events.filter((e: ChangeEvent) => e.type.startsWith('webhook.'));
    expect(disabled).toEqual([expect.objectContaining({ type: 'webhook.disabled', actor: { kind: 'system' }, resource: expect.objectContaining({ type: 'Webhook', id: hook.id }) })]);
  });

  it('sends nothing while disabled, and once re-enabled delivers what was recorded meanwhile', async () => {
    for (const name of ['bad-1', 'bad-2', 'bad-3']) await createUser(t, name);
    await deliverAll();
    expect(await webhook()).toMatchObject({ active: false, consecutiveFailures: 3 });
    const r = await receiver();
    const moved = await t.admin.patch(`/webhooks/${hook.id}`, { url: r.url() });
    expect(moved.body).toMatchObject({ active: false });

    await createUser(t, 'good-1');
    const meanwhile = (await recordedEvents(t)).at(-1)!;
    const idle = dispatcher(t.store, time, { owner: 'another-instance' });
    expect(await idle.round()).toBe(0);
    expect(r.arrivals).toEqual([]);

    expect((await t.admin.patch(`/webhooks/${hook.id}`, { active: true })).body).toMatchObject({ active: true, consecutiveFailures: 0 });
    await deliverAll();
    expect(r.accepted().map((a) => a.eventId)).toEqual([meanwhile.id]);
  });
});
