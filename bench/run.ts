/**
 * `npm run bench`: measures Roster's hot paths over HTTP on loopback, against a temporary
 * SQLite store seeded with BENCH_USERS users (default 100,000) and one group holding all of
 * them. Each scenario runs a bounded number of requests (BENCH_REQUESTS, default 400) with a
 * fixed concurrency and prints throughput and latency percentiles. Nothing here is a test:
 * figures vary with the machine; they go in the README with the machine they came from.
 * The per-token rate limit is off (it would cap every scenario at its own rate); one last
 * scenario measures its cost with the default limit on, for tokens that stay under it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../src/config/config';
import { SYSTEM_JOURNAL } from '../src/app/journals';
import { Tokens } from '../src/app/tokens';
import { assemble } from '../src/main';
import { BURST_FACTOR } from '../src/http/rate-limit';
import { createLogger } from '../src/logger';
import { loadSchemaRegistry } from '../src/scim/schema/registry';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store';
import { request, type Send } from './scim-client';

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const CONCURRENCY = 8;

interface Scenario {
  readonly name: string;
  readonly method: string;
  readonly path: (i: number) => string;
  readonly body?: (i: number) => object;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'roster-bench-'));
  const config = loadConfig({ SQLITE_PATH: join(dir, 'bench.db'), LOG_LEVEL: 'silent', RATE_LIMIT_PER_TOKEN: 'off' });
  const store = openSqliteStore(config.sqlitePath);
  const seeded = await seed(store);
  const { secret } = await new Tokens(store.tenant('default', SYSTEM_JOURNAL).tokens).create('bench');
  const server = await listen(config, store);
  const port = (server.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const send = request(agent, port, secret, config.basePath);
  const patchOp = (value: object) => ({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [value] });
  const q = encodeURIComponent;

  const deepCursor = await cursorAtDepth(agent, port, secret, config.basePath, Math.floor(USERS / 2));
  const scenarios: Scenario[] = [
    { name: 'GET /Users page of 100 (startIndex 1)', method: 'GET', path: () => '/Users?startIndex=1&count=100' },
    { name: `GET /Users page of 100 at startIndex ${Math.floor(USERS / 2) + 1}, sortBy userName`, method: 'GET', path: () => `/Users?sortBy=userName&startIndex=${Math.floor(USERS / 2) + 1}&count=100` },
    { name: `GET /Users page of 100 by cursor at depth ${Math.floor(USERS / 2)}, sortBy userName`, method: 'GET', path: () => `/Users?sortBy=userName&count=100&cursor=${q(deepCursor)}` },
    { name: 'GET /Users?filter=userName eq (Okta lookup)', method: 'GET', path: (i) => `/Users?filter=${q(`userName eq "User${(i * 7919) % USERS}"`)}&startIndex=1&count=100` },
    { name: 'GET /Users?filter=emails[type eq "work"].value eq (Entra lookup)', method: 'GET', path: (i) => `/Users?filter=${q(`emails[type eq "work"].value eq "user${(i * 7919) % USERS}@example.com"`)}` },
    { name: 'GET /Users?filter=externalId eq', method: 'GET', path: (i) => `/Users?filter=${q(`externalId eq "ext-${(i * 7919) % USERS}"`)}` },
    { name: 'GET /Users/{id}', method: 'GET', path: (i) => `/Users/${seeded.userIds[(i * 7919) % USERS]}` },
    { name: `GET /Groups?excludedAttributes=members&filter=displayName eq (group of ${USERS})`, method: 'GET', path: () => `/Groups?excludedAttributes=members&filter=${q('displayName eq "everyone"')}` },
    { name: `PATCH add+remove one member of a ${USERS}-member group`, method: 'PATCH', path: () => `/Groups/${seeded.bigGroupId}?excludedAttributes=members`, body: (i) => patchOp(i % 2 ? { op: 'add', path: 'members', value: [{ value: seeded.userIds[0] }] } : { op: 'remove', path: `members[value eq "${seeded.userIds[0]}"]` }) },
    { name: 'POST /Users', method: 'POST', path: () => '/Users', body: (i) => ({ userName: `bench-new-${i}`, name: { givenName: 'B', familyName: 'N' }, emails: [{ value: `bn${i}@example.com` }] }) },
  ];

  console.log(`Roster benchmark: ${USERS} users, one group of ${USERS} members, ${REQUESTS} requests per scenario, concurrency ${CONCURRENCY}, loopback HTTP`);
  console.log('Per-token rate limit (RATE_LIMIT_PER_TOKEN): off, except in the last scenario');
  for (const scenario of scenarios) await run(scenario, send);
  await limiterCost(store, seeded.userIds, agent);
  server.close();
  agent.destroy();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

async function listen(config: Config, store: ReturnType<typeof openSqliteStore>): Promise<http.Server> {
  const server = assemble({ config, store, registry: loadSchemaRegistry(join(__dirname, '..', '..', 'schemas')), logger: createLogger('silent') }).app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return server;
}

/**
 * GET /Users/{id} again, on a second server with the default per-token limit on, after one
 * unmeasured warm-up pass. Requests go round-robin over enough tokens that each stays within its
 * per-second rate, as an identity provider's does, so none is refused: the difference from the
 * GET /Users/{id} line above is roughly what the limiter costs (a second server, so only roughly).
 */
async function limiterCost(store: ReturnType<typeof openSqliteStore>, userIds: readonly string[], agent: http.Agent): Promise<void> {
  const config = loadConfig({ SQLITE_PATH: 'unused', LOG_LEVEL: 'silent' });
  const perSecond = config.rateLimitPerToken!;
  const server = await listen(config, store);
  const port = (server.address() as AddressInfo).port;
  // Each token stays within its per-second rate, as an identity provider's does: the common path.
  const count = Math.ceil(REQUESTS / perSecond);
  // Fresh tokens for each pass, so that neither spends the other's burst allowance.
  const pass = async (name?: string) => {
    const tokens = await Promise.all(Array.from({ length: count }, (_, i) => new Tokens(store.tenant('default', SYSTEM_JOURNAL).tokens).create(`bench-limited-${name ? 'measured' : 'warm-up'}-${i}`)));
    const sends = tokens.map(({ secret }) => request(agent, port, secret, config.basePath));
    let turn = 0;
    await run({ name: name ?? '', method: 'GET', path: (i) => `/Users/${userIds[(i * 7919) % USERS]}` }, (method, path, body) => sends[turn++ % sends.length](method, path, body), name === undefined);
  };
  // A new server starts cold (JIT, prepared statements): one unmeasured pass first, as the line
  // it is compared with ran after warmer scenarios.
  await pass();
  await pass(`GET /Users/{id} with the per-token limit on (${perSecond}/s, bursts of ${BURST_FACTOR * perSecond}; ${count} token(s))`);
  server.close();
}

async function seed(store: ReturnType<typeof openSqliteStore>) {
  const started = Date.now();
  const userIds: string[] = [];
  for (let i = 0; i < USERS; i++) {
    const user = await store.tenant('default', SYSTEM_JOURNAL).users.create({ data: {
      userName: `User${i}`, externalId: `ext-${i}`, name: { givenName: `Given${i}`, familyName: `Family${i % 1000}` },
      emails: [{ value: `user${i}@example.com`, type: 'work', primary: true }], active: true,
    } });
    userIds.push(user.id);
  }
  const group = await store.tenant('default', SYSTEM_JOURNAL).groups.create({ displayName: 'everyone' }, userIds);
  console.log(`seeded ${USERS} users and a ${USERS}-member group in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { userIds, bigGroupId: group.id };
}

/** Walks cursor pages of 1,000 (sorted by userName) to the cursor that starts at `depth`. */
async function cursorAtDepth(agent: http.Agent, port: number, token: string, basePath: string, depth: number): Promise<string> {
  let cursor = '';
  for (let seen = 0; seen < depth; seen += 1000) {
    const page = await getJson(agent, port, token, `${basePath}/Users?sortBy=userName&count=1000&attributes=id&cursor=${encodeURIComponent(cursor)}`);
    cursor = String(page.nextCursor);
  }
  return cursor;
}

function getJson(agent: http.Agent, port: number, token: string, path: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    http.get({ agent, host: '127.0.0.1', port, path, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>));
    }).on('error', reject);
  });
}

async function run(scenario: Scenario, send: Send, quiet = false): Promise<void> {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < REQUESTS) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      const status = await send(scenario.method, scenario.path(i), scenario.body?.(i));
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (status >= 400) failures++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(2);
  if (quiet) return;
  console.log(`${scenario.name.padEnd(82)} ${(REQUESTS / seconds).toFixed(0).padStart(6)} req/s  p50 ${pct(50)} ms  p95 ${pct(95)} ms${failures ? `  FAILURES ${failures}` : ''}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
