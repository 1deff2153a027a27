import crypto, { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import {
  createUser, createWebhook, deliveriesOf, dispatcher, drain, receiver, recordedEvents, retitle, startClock, stopReceivers, webhookApp,
} from './dispatcher-support';

/**
 * What a receiver can trust (docs/events.md): each delivery is signed so the documented
 * verification code accepts it, over the exact event JSON; and Roster never connects to a
 * non-public address unless WEBHOOK_ALLOW_PRIVATE says so, however the webhook got stored.
 */

let t: Awaited<ReturnType<typeof webhookApp>>;
beforeEach(async () => {
  t = await webhookApp();
});
afterEach(async () => {
  await stopReceivers();
  await t.close();
});

// docs/events.md, "Verifying the signature", verbatim.
function verifyRosterSignature(secret: string, rawBody: Buffer, header: unknown, toleranceSeconds = 300) {
  const { t, v1 } = Object.fromEntries(String(header).split(',').map((part) => part.split('=')));
  if (!(Math.abs(Date.now() / 1000 - Number(t)) <= toleranceSeconds)) return false; // missing or older than 5 min: a replay
  const expected = crypto.createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest();
  const given = Buffer.from(v1 ?? '', 'hex');
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

describe('the signature', () => {
  it('verifies with the documented code, over the exact event JSON the feed serves, with the event headers', async () => {
    const r = await receiver((a) => (a.nth === 1 ? 'fail' : 'accept'));
    const hook = await createWebhook(t, r.url());
    const id = await createUser(t, 'zoë');
    await retitle(t, id, 'Directrice');
    const time = startClock();
    await drain(t, hook.id, dispatcher(t.store, time), time);

    const events = await recordedEvents(t);
    expect(r.arrivals).toHaveLength(2 * events.length);
    for (const arrival of r.arrivals) {
      const raw = Buffer.from(arrival.body, 'utf8');
      expect(verifyRosterSignature(hook.secret, raw, arrival.headers['roster-signature'])).toBe(true);
      expect(verifyRosterSignature(`${hook.secret}x`, raw, arrival.headers['roster-signature'])).toBe(false);
      expect(verifyRosterSignature(hook.secret, Buffer.from(`${arrival.body} `), arrival.headers['roster-signature'])).toBe(false);
      const served = await t.admin.get(`/events/${arrival.eventId}`);
      expect(arrival.body).toBe(JSON.stringify(served.body));
      expect(arrival.headers).toMatchObject({
        'content-type': 'application/json',
        'user-agent': 'Roster-Webhooks/1',
        'roster-event-id': String(arrival.eventId),
        'roster-event-type': served.body.type,
      });
    }
    // Each attempt is signed anew, at its own time: a retry carries a later t.
    const signedAt = (nth: number) => r.arrivals.filter((a) => a.eventId === events[0].id && a.nth === nth).map((a) => String(a.headers['roster-signature']).split(',')[0]);
    expect(signedAt(1)).not.toEqual(signedAt(2));
  });
});

/** A TCP listener on every loopback address that counts the connections it gets (and closes them). */
async function listener(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server: Server = createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((done) => server.listen(0, '::', done));
  return { port: (server.address() as AddressInfo).port, connections: () => count, close: () => new Promise((done) => server.close(() => done())) };
}

describe('address safety at delivery', () => {
  const LOOPBACK = /^Refused to connect to (localhost at )?(127\.0\.0\.1|::1|\[?::ffff:7f00:1\]?): it is a loopback address, and webhooks may only reach public addresses \(unless WEBHOOK_ALLOW_PRIVATE=true\)\.$/;

  it.each([
    ['an IPv4 loopback literal', 'https://127.0.0.1:PORT/hook', LOOPBACK],
    ['the IPv6 loopback', 'https://[::1]:PORT/hook', LOOPBACK],
    ['IPv4-mapped IPv6', 'https://[::ffff:127.0.0.1]:PORT/hook', LOOPBACK],
    ['a name that resolves to loopback', 'https://localhost:PORT/hook', LOOPBACK],
    ['plain http', 'http://127.0.0.1:PORT/hook', /^The webhook URL must use https \(http: is not allowed\)\.$/],
  ])('never connects to %s stored behind the API\'s back, and records each refusal', async (_name, template, refusal) => {
    const target = await listener();
    try {
      // The API refuses such a URL: the store port is how one gets there (an older row, a name that resolved elsewhere then).
      const url = template.replace('PORT', String(target.port));
      const hook = await t.data.webhooks.create({ id: randomUUID(), url, events: ['user.*'], secret: 'whsec_test' });
      await createUser(t, 'ada');
      const time = startClock();
      const guarded = dispatcher(t.store, time, { allowPrivate: false });
      for (let round = 0; round < 3; round++) {
        await guarded.round();
        time.advance(3_600_000);
      }

      expect(target.connections()).toBe(0);
      const [delivery] = await deliveriesOf(t, hook.id);
      expect(delivery.state).toBe('pending');
      expect(delivery.attempts).toHaveLength(3);
      for (const attempt of delivery.attempts) {
        expect(attempt.statusCode).toBeUndefined();
        expect(attempt.error).toMatch(refusal);
      }

      // The control: with WEBHOOK_ALLOW_PRIVATE=true, an instance does connect there.
      await dispatcher(t.store, time, { allowPrivate: true, timeoutMs: 1_000 }).round();
      expect(target.connections()).toBeGreaterThan(0);
    } finally {
      await target.close();
    }
  });
});
