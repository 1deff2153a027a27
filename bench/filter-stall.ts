/**
 * `tsc -p tsconfig.bench.json && node dist-bench/bench/filter-stall.js`, from the project root:
 * the longest event-loop block of list requests with costly filters and sorts, over HTTP on loopback. The
 * store holds FILTER_USERS users (default 100,000) with two emails each, in groups of 1,000,
 * plus one group of everyone; every tenth user has roles. FILTER_DB names a file to keep the
 * seeded store in between runs (it is copied, never written). Each request runs alone; its
 * stall is perf_hooks' monitorEventLoopDelay maximum while it ran. Nothing here is a test.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../src/config/config';
import { Tokens } from '../src/domain/tokens';
import { createApp } from '../src/http/app';
import { createLogger } from '../src/logger';
import { loadSchemaRegistry } from '../src/scim/schema/registry';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store';

const USERS = Number(process.env.FILTER_USERS ?? 100_000);
const KEEP = process.env.FILTER_DB;
/** A regular expression: only the probes whose name it matches run. */
const ONLY = process.env.FILTER_ONLY ? new RegExp(process.env.FILTER_ONLY) : undefined;
const ACCOUNT = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Account';

interface Probe {
  readonly name: string;
  readonly path: string;
  readonly body?: object;
}

const terms = (n: number, term: (i: number) => string, join = ' or ') => Array.from({ length: n }, (_, i) => term(i)).join(join);
const q = encodeURIComponent;
const search = (name: string, path: string, body: object): Probe => ({ name, path, body });

function probes(): Probe[] {
  return [
    { name: 'userName eq (Okta)', path: `/Users?filter=${q('userName eq "user777"')}` },
    { name: 'externalId eq', path: `/Users?filter=${q('externalId eq "ext-777"')}` },
    { name: 'emails[type eq "work"].value eq (Entra)', path: `/Users?filter=${q('emails[type eq "work"].value eq "user777@example.com"')}` },
    { name: 'displayName eq', path: `/Users?filter=${q('displayName eq "User Number 777"')}` },
    { name: 'GET /Users?count=100 (no filter)', path: '/Users?count=100' },
    { name: '1 displayName co', path: `/Users?count=100&filter=${q('displayName co "zz"')}` },
    { name: '1 emails.value co', path: `/Users?count=100&filter=${q('emails.value co "zz"')}` },
    { name: '1 name.givenName co (JSON document)', path: `/Users?count=100&filter=${q('name.givenName co "zz"')}` },
    { name: '1 groups.display co', path: `/Users?count=100&filter=${q('groups.display co "zz"')}` },
    { name: '1 members.display co', path: `/Groups?count=100&excludedAttributes=members&filter=${q('members.display co "zz"')}` },
    { name: '1 not (emails.value co)', path: `/Users?count=100&filter=${q('not (emails.value co "zz")')}` },
    search('100 displayName co', '/Users/.search', { count: 100, filter: terms(100, (i) => `displayName co "zz${i}"`) }),
    search('100 emails.value co', '/Users/.search', { count: 100, filter: terms(100, (i) => `emails.value co "zz${i}"`) }),
    search('100 emails co (the issue: 450)', '/Users/.search', { count: 100, filter: terms(100, (i) => `emails co "zz${i}"`) }),
    search('100 name.givenName co', '/Users/.search', { count: 100, filter: terms(100, (i) => `name.givenName co "zz${i}"`) }),
    search('100 groups.display co', '/Users/.search', { count: 100, filter: terms(100, (i) => `groups.display co "zz${i}"`) }),
    search('100 members.display co, /Groups', '/Groups/.search', { count: 100, excludedAttributes: 'members', filter: terms(100, (i) => `members.display co "zz${i}"`) }),
    search('100 members.display co, /.search (the issue: 300)', '/.search', { count: 100, excludedAttributes: 'members', filter: terms(100, (i) => `members.display co "zz${i}"`) }),
    search('100 not (members.display co), and', '/Groups/.search', { count: 1, excludedAttributes: 'members', filter: terms(100, (i) => `not (members.display co "zz${i}")`, ' and ') }),
    search('50 members[display co or value co] value paths', '/Groups/.search', { count: 1, excludedAttributes: 'members', filter: terms(50, (i) => `members[display co "zz${i}" or value co "zz"]`) }),
    search('100 not (emails ew), and, sortBy emails', '/Users/.search', { count: 1, sortBy: 'emails', filter: terms(100, (i) => `not (emails.value ew "zz${i}")`, ' and ') }),
    { name: 'sortBy emails, startIndex 99,000', path: `/Users?sortBy=emails&startIndex=${USERS - 1000}&count=10` },
    { name: 'sortBy groups.display', path: '/Users?sortBy=groups.display&count=10' },
    { name: 'sortBy name.givenName', path: '/Users?sortBy=name.givenName&count=10' },
    { name: 'sortBy roles', path: `/Users?sortBy=${q(`${ACCOUNT}:roles`)}&count=10` },
    { name: 'sortBy members.display (Groups)', path: '/Groups?sortBy=members.display&count=10&excludedAttributes=members' },
  ].filter((probe) => !ONLY || ONLY.test(probe.name));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'roster-filter-stall-'));
  const file = join(dir, 'stall.db');
  if (KEEP && existsSync(KEEP)) copyFileSync(KEEP, file);
  const config = loadConfig({ SQLITE_PATH: file, LOG_LEVEL: 'silent', RATE_LIMIT_PER_TOKEN: 'off' });
  const store = openSqliteStore(config.sqlitePath);
  if (!(KEEP && existsSync(KEEP))) {
    await seed(store);
    if (KEEP) {
      await store.close();
      copyFileSync(file, KEEP);
      return main();
    }
  }
  const { secret } = await new Tokens(store.tokens).create('stall');
  const server = createApp({ config, store, registry: loadSchemaRegistry(join(process.cwd(), 'schemas')), logger: createLogger('silent') }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  console.log(`filter stalls: ${USERS} users (2 emails each), groups of 1,000 and one of ${USERS}; default limits`);
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  for (const probe of probes()) {
    const stalls: number[] = [];
    let status = 0;
    // Three runs, or one when the first blocks for seconds.
    for (let run = 0; run < 3 && (run === 0 || stalls[0] < 2000); run++) {
      await pause(20);
      histogram.reset();
      status = await send(agent, port, secret, config.basePath + probe.path, probe.body);
      // The delay of a block is recorded by the first timer tick after it: let that tick run.
      await pause(10);
      stalls.push(histogram.max / 1e6);
    }
    const sorted = [...stalls].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    console.log(`${probe.name.padEnd(52)} ${String(status).padStart(3)}  stall median ${median.toFixed(0).padStart(6)} ms  max ${sorted[sorted.length - 1].toFixed(0).padStart(6)} ms`);
  }
  histogram.disable();
  server.close();
  agent.destroy();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

async function seed(store: ReturnType<typeof openSqliteStore>): Promise<void> {
  const started = Date.now();
  const userIds: string[] = [];
  for (let i = 0; i < USERS; i++) {
    const user = await store.users.create({ data: {
      userName: `user${i}`, externalId: `ext-${i}`, displayName: `User Number ${i}`, name: { givenName: `Given${i}`, familyName: `Family${i % 1000}` },
      emails: [{ value: `user${i}@example.com`, type: 'work', primary: true }, { value: `u${i}@home.example`, type: 'home' }], active: true,
      ...(i % 10 === 0 ? { [ACCOUNT]: { status: 'Active', accountType: 'ConfigAdmin', roles: [`role${i % 7}`, 'reader'] } } : {}),
    } });
    userIds.push(user.id);
  }
  for (let g = 0; g * 1000 < USERS; g++) await store.groups.create({ displayName: `team-${g}` }, userIds.slice(g * 1000, (g + 1) * 1000));
  await store.groups.create({ displayName: 'everyone' }, userIds);
  console.log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function send(agent: http.Agent, port: number, token: string, path: string, body?: object): Promise<number> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, host: '127.0.0.1', port, method: body ? 'POST' : 'GET', path, headers: {
      Authorization: `Bearer ${token}`, ...(payload ? { 'Content-Type': 'application/scim+json', 'Content-Length': payload.length } : {}),
    } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
