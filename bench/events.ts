/**
 * `npm run bench` (after run.ts): what change events cost, and how fast webhooks deliver.
 *
 * (a) POST /Users over loopback HTTP, BENCH_EVENT_REQUESTS requests (default 500) per pass at
 *     concurrency 8, seven passes per variant, interleaved, after a warm-up: as shipped (each
 *     write records its event in its transaction); a baseline, the same application over a store
 *     whose journal drafts no event (so nothing is recorded); and as shipped while a dispatcher
 *     delivers every new event to a local receiver in the same process (its passes end when
 *     their events have all been delivered: the throughput of writing and delivering).
 * (b) Delivery: BENCH_DELIVERIES events (default 5,000, one user each) committed before one
 *     webhook's dispatcher starts (real Dispatcher, concurrency 8, a new connection per attempt),
 *     timed from start() until the receiver has accepted them all; then one group created with
 *     1,000 members: 1,001 events of one resource, delivered one at a time, in order.
 * Nothing here is a test: figures vary with the machine; they go in the README with the machine.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYSTEM_JOURNAL } from '../src/app/journals';
import { Tokens } from '../src/app/tokens';
import { Dispatcher } from '../src/app/webhooks/dispatcher';
import { loadConfig } from '../src/config/config';
import { newWebhookSecret } from '../src/domain/webhooks/signature';
import { createLogger } from '../src/logger';
import { assemble } from '../src/main';
import { loadSchemaRegistry } from '../src/scim/schema/registry';
import type { Journal, Store } from '../src/store/port';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store';
import { request, type Send } from './scim-client';

const REQUESTS = Number(process.env.BENCH_EVENT_REQUESTS ?? 500);
const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 5_000);
const PASSES = 7;
const CONCURRENCY = 8;
const logger = createLogger('silent');
const registry = loadSchemaRegistry(join(__dirname, '..', '..', 'schemas'));
const dirs: string[] = [];

/** The baseline's store: the same store, but every tenant's journal drafts nothing, so no event is recorded. */
const NO_EVENTS: Journal = { origin: SYSTEM_JOURNAL.origin, draft: () => [] };
const withoutEvents = (store: Store): Store => ({ ...store, tenant: (id) => store.tenant(id, NO_EVENTS) });

/** A fresh SQLite store in its own temporary directory. */
function freshStore(): Store {
  const dir = mkdtempSync(join(tmpdir(), 'roster-bench-events-'));
  dirs.push(dir);
  return openSqliteStore(join(dir, 'bench.db'));
}

/** A receiver that accepts every POST (204) and counts the distinct events, and the ones it saw before. */
async function startReceiver() {
  const seen = new Set<string>();
  const counts = { duplicates: 0 };
  const waiting: { count: number; done: () => void }[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = String(req.headers['roster-event-id']);
      if (seen.has(id)) counts.duplicates++;
      seen.add(id);
      res.writeHead(204).end();
      for (const w of waiting.filter((w) => seen.size >= w.count)) w.done();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    counts,
    /** Resolves once `count` distinct events have been accepted. */
    until: (count: number) => new Promise<void>((done) => (seen.size >= count ? done() : waiting.push({ count, done }))),
    close: () => new Promise<void>((done) => { server.closeAllConnections(); server.close(() => done()); }),
  };
}

const dispatcherFor = (store: Store) => new Dispatcher({ store, logger, timeoutMs: 10_000, allowPrivate: true, retryWindowMs: 86_400_000, disableAfter: 10 });

interface Variant {
  readonly name: string;
  readonly send: Send;
  readonly latencies: number[];
  /** Each measured pass's requests per second, and this process's CPU time per request (ms). */
  readonly passes: number[];
  readonly cpu: number[];
  next: number;
  /** Resolves once every event of the writes so far has been delivered (the delivering variant only). */
  readonly delivered?: () => Promise<void>;
}

/** One application over a fresh store (wrapped by `wrap`), listening on loopback, with a service token. */
async function variant(name: string, wrap: (store: Store) => Store, deliver: boolean): Promise<Variant & { stop: () => Promise<void> }> {
  const store = freshStore();
  const config = loadConfig({ SQLITE_PATH: 'unused', LOG_LEVEL: 'silent', RATE_LIMIT_PER_TOKEN: 'off', WEBHOOK_ALLOW_PRIVATE: 'true' });
  const { secret } = await new Tokens(store.tenant('default', SYSTEM_JOURNAL).tokens).create('bench');
  const server = assemble({ config, store: wrap(store), registry, logger }).app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  // Its connections idle while the other variants run: kept open, so no pass meets a closing one.
  server.keepAliveTimeout = 600_000;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const receiver = deliver ? await startReceiver() : undefined;
  const dispatcher = deliver ? dispatcherFor(store) : undefined;
  if (receiver && dispatcher) {
    await store.tenant('default', SYSTEM_JOURNAL).webhooks.create({ id: randomUUID(), url: receiver.url, events: ['user.*'], secret: newWebhookSecret() });
    dispatcher.start();
  }
  const v: Variant & { stop: () => Promise<void> } = {
    name, latencies: [], passes: [], cpu: [], next: 0,
    ...(receiver ? { delivered: () => receiver.until(v.next) } : {}),
    send: request(agent, (server.address() as AddressInfo).port, secret, config.basePath),
    async stop() {
      await dispatcher?.stop();
      await receiver?.close();
      server.closeAllConnections();
      server.close();
      agent.destroy();
      await store.close();
    },
  };
  return v;
}

const userBody = (i: number) => ({ userName: `bench-new-${i}`, name: { givenName: 'B', familyName: 'N' }, emails: [{ value: `bn${i}@example.com` }] });

/** `count` POST /Users at CONCURRENCY, each a new user; adds latencies and elapsed time unless a warm-up. */
async function pass(v: Variant, count: number, measured: boolean): Promise<void> {
  const end = v.next + count;
  let failures = 0;
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const worker = async () => {
    while (v.next < end) {
      const i = v.next++;
      const t0 = process.hrtime.bigint();
      if ((await v.send('POST', '/Users', userBody(i))) !== 201) failures++;
      if (measured) v.latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  // A pass of the delivering variant ends when its events are delivered too: none spills into the next pass.
  await v.delivered?.();
  if (failures) throw new Error(`${v.name}: ${failures} POST /Users failed`);
  if (!measured) return;
  v.passes.push(count / (Number(process.hrtime.bigint() - started) / 1e9));
  const used = process.cpuUsage(cpu);
  v.cpu.push((used.user + used.system) / 1000 / count);
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function writeCost(): Promise<void> {
  const variants = [
    await variant('POST /Users, events recorded (as shipped)', (s) => s, false),
    await variant('POST /Users, no events (baseline: a journal that drafts nothing)', withoutEvents, false),
    await variant('POST /Users, events recorded and delivered (pass ends when all are)', (s) => s, true),
  ];
  for (const v of variants) await pass(v, 300, false);
  // Passes interleaved, the order rotated each time: the machine's drift falls on every variant alike.
  for (let p = 0; p < PASSES; p++) for (let k = 0; k < variants.length; k++) await pass(variants[(p + k) % variants.length], REQUESTS, true);
  console.log(`\n(a) POST /Users: ${PASSES} passes of ${REQUESTS} requests per variant, interleaved, concurrency ${CONCURRENCY}, loopback HTTP, SQLite`);
  console.log(`${'Variant'.padEnd(70)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ${'CPU ms/req'.padStart(11)}`);
  const [events, baseline, delivering] = variants.map((v) => {
    const sorted = [...v.latencies].sort((a, b) => a - b);
    const row = { v, perSecond: median(v.passes), p50: percentile(sorted, 50), p95: percentile(sorted, 95), cpu: median(v.cpu) };
    console.log(`${v.name.padEnd(70)} ${row.perSecond.toFixed(0).padStart(7)} ${row.p50.toFixed(2).padStart(7)} ${row.p95.toFixed(2).padStart(7)} ${row.cpu.toFixed(3).padStart(11)}`);
    return row;
  });
  // Each pass compared with the baseline's pass of the same turn; the median of those ratios. CPU
  // time per request is the steadier figure on a shared machine; wall time includes SQLite's I/O.
  const cost = (row: typeof events) => {
    const percent = (mine: number[], theirs: number[]) => `${signed((median(mine.map((m, p) => m / theirs[p])) - 1) * 100, 1)}%`;
    const time = percent(baseline.v.passes, row.v.passes);
    return `${time} time per request, ${percent(row.v.cpu, baseline.v.cpu)} CPU per request (medians of ${PASSES} paired passes); p50 ${signed(row.p50 - baseline.p50)} ms, p95 ${signed(row.p95 - baseline.p95)} ms`;
  };
  console.log(`Cost of recording events: ${cost(events)}`);
  console.log(`Cost of recording and delivering them in the same process: ${cost(delivering)}`);
  for (const v of variants) await v.stop();
}

const signed = (n: number, digits = 2) => `${n >= 0 ? '+' : ''}${n.toFixed(digits)}`;

/** Commits `commit`'s events, then times one dispatcher from start() until all `expected` events were accepted. */
async function deliveryRun(name: string, expected: number, commit: (store: Store) => Promise<void>): Promise<void> {
  const store = freshStore();
  const receiver = await startReceiver();
  await store.tenant('default', SYSTEM_JOURNAL).webhooks.create({ id: randomUUID(), url: receiver.url, events: ['user.*', 'group.*'], secret: newWebhookSecret() });
  await commit(store);
  const dispatcher = dispatcherFor(store);
  const started = process.hrtime.bigint();
  dispatcher.start();
  await receiver.until(expected);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await dispatcher.stop();
  console.log(`${name.padEnd(70)} ${String(expected).padStart(7)} ${seconds.toFixed(2).padStart(7)} ${(expected / seconds).toFixed(0).padStart(9)}${receiver.counts.duplicates ? `  DUPLICATES ${receiver.counts.duplicates}` : ''}`);
  await receiver.close();
  await store.close();
}

async function deliveryThroughput(): Promise<void> {
  console.log(`\n(b) Webhook delivery to a local receiver (204 at once), one webhook, real dispatcher (concurrency ${CONCURRENCY}, a connection per attempt)`);
  console.log(`${'Scenario'.padEnd(70)} ${'events'.padStart(7)} ${'s'.padStart(7)} ${'events/s'.padStart(9)}`);
  await deliveryRun(`${DELIVERIES.toLocaleString('en-US')} events of as many users, committed before start`, DELIVERIES, async (store) => {
    const users = store.tenant('default', SYSTEM_JOURNAL).users;
    for (let i = 0; i < DELIVERIES; i++) await users.create({ data: { userName: `user${i}`, active: true } });
  });
  await deliveryRun('1,001 events of one group (created with 1,000 members): in order', 1_001, async (store) => {
    const tenant = store.tenant('default', NO_EVENTS); // the members' own events are not part of this run
    const ids: string[] = [];
    for (let i = 0; i < 1_000; i++) ids.push((await tenant.users.create({ data: { userName: `member${i}`, active: true } })).id);
    await store.tenant('default', SYSTEM_JOURNAL).groups.create({ displayName: 'everyone' }, ids);
  });
}

async function main(): Promise<void> {
  const started = Date.now();
  console.log('Roster events benchmark: the cost of recording events on a write, and webhook delivery throughput');
  await writeCost();
  await deliveryThroughput();
  console.log(`\n(events benchmark: ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
