import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { Dispatcher, type DispatcherOptions } from '../../../src/app/webhooks/dispatcher';
import { createLogger } from '../../../src/logger';
import { DEFAULT_TENANT_ID, type ChangeEvent, type Delivery, type Store } from '../../../src/store/port';
import { clock } from '../../support/clock';
import { startTestApp, userBody, type TestApp } from '../../support/test-app';

/**
 * What the dispatcher specs share: the real application over a real SQLite file, receivers on
 * 127.0.0.1 that record every request, and dispatchers driven round by round on a clock the
 * spec moves. The clock starts at the real time and only moves forward: the store checks a
 * lease against its own clock, so a dispatcher's leases must not lie in the past.
 */

/** How a receiver answers one request: 204, an HTTP 500, the connection cut, or no answer at all. */
export type Answer = 'accept' | 'fail' | 'drop' | 'hang';

export interface Arrival {
  /** The receiver's path: one receiver can serve several webhooks. */
  readonly path: string;
  readonly eventId: number;
  readonly event: ChangeEvent;
  readonly body: string;
  readonly headers: IncomingHttpHeaders;
  /** The how-manyth request for this path and event, from 1. */
  readonly nth: number;
  answer?: Answer;
}

/** A webhook receiver: records every request and TCP connection; `answer` decides each reply. */
export class Receiver {
  readonly arrivals: Arrival[] = [];
  connections = 0;
  /** The most requests for one path and event that were ever open at the same moment. */
  maxInFlight = 0;
  private readonly inFlight = new Map<string, number>();
  private readonly server: Server;

  constructor(private readonly answer: (arrival: Arrival) => Answer | Promise<Answer> = () => 'accept') {
    this.server = createServer((req, res) => this.receive(req, res));
    this.server.on('connection', () => this.connections++);
  }

  async start(): Promise<this> {
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    return this;
  }

  url(path = '/hooks/roster'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** The events the receiver accepted (answered 2xx), in the order they came. */
  accepted(path?: string): Arrival[] {
    return this.arrivals.filter((a) => a.answer === 'accept' && (path === undefined || a.path === path));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((done) => this.server.close(done));
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const event = JSON.parse(body) as ChangeEvent;
      const path = req.url ?? '';
      const key = `${path} ${event.id}`;
      const open = (this.inFlight.get(key) ?? 0) + 1;
      this.inFlight.set(key, open);
      this.maxInFlight = Math.max(this.maxInFlight, open);
      res.on('close', () => this.inFlight.set(key, (this.inFlight.get(key) ?? 1) - 1));
      const nth = this.arrivals.filter((a) => a.path === path && a.eventId === event.id).length + 1;
      const arrival: Arrival = { path, eventId: event.id, event, body, headers: req.headers, nth };
      this.arrivals.push(arrival);
      arrival.answer = await this.answer(arrival);
      if (arrival.answer === 'accept') res.writeHead(204).end();
      else if (arrival.answer === 'fail') res.writeHead(500).end('not now');
      else if (arrival.answer === 'drop') req.socket.destroy();
      // 'hang': never answered; the dispatcher's timeout ends it (and stop() cuts what is left).
    });
  }
}

export const receivers: Receiver[] = [];
/** A started receiver, stopped after the test (register `afterEach(stopReceivers)`). */
export const receiver = async (answer?: (arrival: Arrival) => Answer | Promise<Answer>): Promise<Receiver> => {
  const started = await new Receiver(answer).start();
  receivers.push(started);
  return started;
};
export const stopReceivers = async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
};

/** The application with webhooks allowed to reach 127.0.0.1, an admin client, and writes that record real events. */
export async function webhookApp(): Promise<TestApp & { admin: ReturnType<typeof adminOf> }> {
  const t = await startTestApp({ webhookAllowPrivate: true });
  return Object.assign(t, { admin: adminOf(t) });
}

/** JSON requests to the test tenant's admin routes with its service token. */
function adminOf(t: TestApp) {
  const base = t.tenantId === DEFAULT_TENANT_ID ? '/admin' : `/admin/tenants/${t.tenantId}`;
  const auth = (test: request.Test) => test.set('Authorization', `Bearer ${t.token}`);
  return {
    get: (path: string) => auth(request(t.app).get(base + path)),
    post: (path: string, body?: object) => auth(request(t.app).post(base + path)).send(body),
    patch: (path: string, body: object) => auth(request(t.app).patch(base + path)).send(body),
  };
}

/** POST /admin/webhooks: the webhook's id and its signing secret. */
export async function createWebhook(t: Awaited<ReturnType<typeof webhookApp>>, url: string, events = ['user.*', 'group.*']): Promise<{ id: string; secret: string }> {
  const res = await t.admin.post('/webhooks', { url, events });
  if (res.status !== 201) throw new Error(`POST /admin/webhooks answered ${res.status}: ${JSON.stringify(res.body)}`);
  return { id: res.body.id as string, secret: res.body.secret as string };
}

/** POST /Users: the new user's id. */
export async function createUser(t: TestApp, userName: string): Promise<string> {
  const res = await t.post('/Users', userBody(userName));
  if (res.status !== 201) throw new Error(`POST /Users answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** PATCH a user's title: one user.updated event. */
export async function retitle(t: TestApp, id: string, title: string): Promise<void> {
  const res = await t.patch(`/Users/${id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'title', value: title }] });
  if (res.status !== 200) throw new Error(`PATCH /Users answered ${res.status}: ${JSON.stringify(res.body)}`);
}

/** Every event of the test tenant the webhook subscribes to (by type prefix), oldest first. */
export async function recordedEvents(t: TestApp, after = 0, prefixes = ['user.', 'group.']): Promise<ChangeEvent[]> {
  const page = await t.data.events.read({ after, limit: 1000, scan: 100_000 });
  return page.events.filter((e) => prefixes.some((p) => e.type.startsWith(p)));
}

export type Clock = ReturnType<typeof clock>;
/** A clock starting at the real time (see above); only ever moved forward. */
export const startClock = (): Clock => clock(Date.now());

/** A dispatcher over `store` on `time`, quiet, with the settings the specs change most. */
export function dispatcher(store: Store, time: Clock, options: Partial<DispatcherOptions> = {}): Dispatcher {
  return new Dispatcher({
    store, logger: createLogger('silent'), timeoutMs: 10_000, allowPrivate: true, retryWindowMs: 86_400_000, disableAfter: 10,
    now: time.now, random: () => 0.5, ...options,
  });
}

/** The webhook's deliveries, newest first (the store's own listing). */
export const deliveriesOf = (t: TestApp, webhookId: string, state?: Delivery['state']) =>
  t.data.webhooks.deliveries(webhookId, { limit: 10_000, ...(state ? { state } : {}) });

/**
 * Rounds until nothing is pending; between rounds the clock moves to the earliest retry still
 * ahead, so each round sends at least one. Returns how many rounds it took.
 */
export async function drain(t: TestApp, webhookId: string, d: Dispatcher, time: Clock, maxRounds = 500): Promise<number> {
  for (let rounds = 1; rounds <= maxRounds; rounds++) {
    const sent = await d.round();
    const pending = await deliveriesOf(t, webhookId, 'pending');
    if (pending.length === 0 && sent === 0) return rounds;
    const ahead = pending.map((p) => Date.parse(p.nextAttemptAt!)).filter((at) => at > time.now().getTime());
    if (ahead.length > 0) time.advance(Math.min(...ahead) - time.now().getTime());
  }
  throw new Error(`still pending after ${maxRounds} rounds`);
}

/** For each resource, the ids of the events received about it, in the order they came. */
export function byResource(arrivals: readonly Arrival[]): Map<string, number[]> {
  const sequences = new Map<string, number[]>();
  for (const { event } of arrivals) sequences.set(event.resource.id, [...(sequences.get(event.resource.id) ?? []), event.id]);
  return sequences;
}

/** Asserts each event of `expected` was accepted exactly once, no other, and each resource's in id order. */
export function expectEachOnceInOrder(accepted: readonly Arrival[], expected: readonly ChangeEvent[]): void {
  const ids = accepted.map((a) => a.eventId);
  const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
  const gaps = expected.map((e) => e.id).filter((id) => !ids.includes(id));
  expect({ duplicates, gaps }).toEqual({ duplicates: [], gaps: [] });
  expect([...ids].sort((a, b) => a - b)).toEqual(expected.map((e) => e.id));
  for (const [, sequence] of byResource(accepted)) expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
}
