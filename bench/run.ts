/**
 * `npm run bench`: Roster's hot paths at scale, each beside a baseline in the same run, against
 * the issue's targets. Nothing here is a test: figures vary with the machine; they go in the
 * README with the machine, date and method they came from (all in the JSON result).
 *
 * Environment:
 *   BENCH_USERS     users seeded (default 100,000; 1,000,000 supported: seeding prints progress,
 *                   and the seeded file is cached under <tmpdir>/roster-bench-cache, so a second
 *                   run skips it; BENCH_CACHE=off seeds afresh)
 *   BENCH_REQUESTS  measured requests per scenario and server (default 400), after 20 unmeasured
 *   BENCH_SECONDS   most seconds one scenario may run on one server (default 15), whichever ends first
 *   BENCH_IMPORT    users imported through POST /Bulk, 1,000 a request (default 100,000; 0: skip)
 *
 * Method: the store is seeded through UserStore.createMany (see seed.ts); Roster then runs as its
 * own process (dist/main.js, as `npm start` runs it: `npm run bench` builds it first; per-token
 * rate limit off), as do the baselines (baseline-server.ts): a minimal Express handler over the same store
 * file, and at 10,000 users or fewer one over the same users in memory. This process is the load
 * generator (loopback HTTP, keep-alive, closed loop). Each scenario runs on Roster, then on each
 * baseline. Start-up is spawn → first 200 from GET /healthz; RSS is Roster's after every run.
 * Writes bench/results/<date>-<users>.json; `npm run bench:chart` draws docs/bench.svg from them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYSTEM_JOURNAL } from '../src/app/journals';
import { Tokens } from '../src/app/tokens';
import { loadConfig } from '../src/config/config';
import { loadSchemaRegistry } from '../src/scim/schema/registry';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store';
import { bulkImport } from './bulk-import';
import { limiterCost } from './limiter-cost';
import { measure, type Figures } from './load';
import { printTable, saveResult, thisMachine, type BenchResult, type Comparison, type ScenarioResult } from './results';
import { coOperand, scenarios, type BaselineKind } from './scenarios';
import { request, requestJson, type Send } from './scim-client';
import { seededStore } from './seed';
import { startServer, type ServerProcess } from './server-process';

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const MAX_SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const IMPORT = Number(process.env.BENCH_IMPORT ?? 100_000);
const WARM_UP = 20;
const MEMORY_BASELINE_MAX_USERS = 10_000;
const ROOT = join(__dirname, '..', '..');

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'roster-bench-'));
  const path = join(dir, 'bench.db');
  const config = loadConfig({ SQLITE_PATH: path, LOG_LEVEL: 'silent', RATE_LIMIT_PER_TOKEN: 'off' });
  const seeded = await seededStore(path, USERS, config, loadSchemaRegistry(join(ROOT, 'schemas')));
  const token = await createToken(path);

  const roster = await startServer(join(ROOT, 'dist', 'main.js'), { SQLITE_PATH: path, LOG_LEVEL: 'warn', RATE_LIMIT_PER_TOKEN: 'off' });
  const baselines = new Map<BaselineKind, ServerProcess>([['store', await startServer(join(__dirname, 'baseline-server.js'), { SQLITE_PATH: path, BASELINE: 'store' })]]);
  if (USERS <= MEMORY_BASELINE_MAX_USERS) baselines.set('memory', await startServer(join(__dirname, 'baseline-server.js'), { SQLITE_PATH: path, BASELINE: 'memory' }));
  console.log(`Roster started in ${roster.startupMs.toFixed(0)} ms; baselines: ${[...baselines.keys()].join(', ')}`);

  const agents: http.Agent[] = [];
  const sender = (server: ServerProcess, concurrency: number): Send => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    agents.push(agent);
    return request(agent, server.port, token, config.basePath);
  };
  const limits = (concurrency: number) => ({ requests: REQUESTS, concurrency, maxSeconds: MAX_SECONDS, warmUp: WARM_UP });

  console.log(`Roster benchmark: ${USERS.toLocaleString('en')} users, ${REQUESTS} requests per scenario and server (at most ${MAX_SECONDS} s), loopback HTTP`);
  const deepCursor = await cursorAtDepth(roster.port, token, config.basePath, Math.floor(USERS / 2));
  const coSearch = { operand: coOperand(USERS), matches: await matching(roster.port, token, `${config.basePath}/Users?count=0&filter=${encodeURIComponent(`name.familyName co "${coOperand(USERS)}"`)}`) };
  console.log(`co searches: "${coSearch.operand}" matches ${coSearch.matches} users`);
  const results: ScenarioResult[] = [];
  const planned = scenarios(seeded, deepCursor);
  for (const scenario of planned) {
    const own = await measure(sender(roster, scenario.concurrency), scenario, limits(scenario.concurrency));
    const comparisons: Comparison[] = [];
    for (const { kind, minRatio } of scenario.baselines) {
      const server = baselines.get(kind);
      if (server) comparisons.push(compare(kind, own, await measure(sender(server, scenario.concurrency), scenario, limits(scenario.concurrency)), minRatio));
    }
    const other = scenario.comparedWith && results.find((r) => r.id === scenario.comparedWith!.id);
    if (other) comparisons.push(compare(other.id, own, other.roster, scenario.comparedWith!.minRatio));
    // A scenario whose requests failed meets no target, however fast its errors were.
    const p99Pass = scenario.p99Ms === undefined ? undefined : own.failures === 0 && own.p99 < scenario.p99Ms;
    results.push({ id: scenario.id, name: scenario.name, concurrency: scenario.concurrency, roster: own, p99TargetMs: scenario.p99Ms, p99Pass, comparisons });
    console.log(`  ${scenario.name}: ${own.rps} req/s, p50 ${own.p50} ms, p99 ${own.p99} ms${own.failures ? `, ${own.failures} FAILED` : ''}${comparisons.map((c) => `; ${(c.ratio * 100).toFixed(0)} % of ${c.against}`).join('')}`);
  }
  const limited = await limiterCost(ROOT, path, planned.find((s) => s.id === 'get-id')!, limits(8));
  const unlimited = results.find((r) => r.id === 'get-id')!.roster;
  results.push({ id: 'get-id-limited', name: `GET /Users/{id}, per-token limit on (${limited.perSecond}/s; ${limited.tokens} token${limited.tokens === 1 ? '' : 's'})`, concurrency: 8, roster: limited.figures, comparisons: [compare('get-id', limited.figures, unlimited)] });
  const imported = IMPORT > 0 ? await bulkImport(roster.port, token, config.basePath, IMPORT, 1_000, USERS * 2) : undefined;
  const memory = roster.memory();

  for (const agent of agents) agent.destroy();
  await Promise.all([roster, ...baselines.values()].map((server) => server.stop()));
  rmSync(dir, { recursive: true, force: true });

  const result: BenchResult = {
    date: new Date().toISOString(),
    machine: thisMachine(),
    users: USERS,
    method: `npm run bench: Roster (SQLite, its own process, rate limit off) and baselines in separate processes; load generated over loopback by one Node process, keep-alive, closed loop; ${REQUESTS} requests per scenario and server (at most ${MAX_SECONDS} s) after ${WARM_UP} unmeasured`,
    settings: { requests: REQUESTS, maxSeconds: MAX_SECONDS, warmUp: WARM_UP },
    seeding: { seconds: seeded.seconds, cached: seeded.cached },
    coSearch,
    startup: { ms: Math.round(roster.startupMs), targetMs: 3_000, pass: roster.startupMs < 3_000 },
    memory: { rssMb: round(memory.rssMb), peakMb: round(memory.peakMb), targetMb: 300, pass: memory.rssMb === undefined ? undefined : memory.rssMb < 300 },
    scenarios: results,
    ...(imported ? { bulkImport: { ...imported, targetUsersPerSecond: 5_000, pass: imported.usersPerSecond >= 5_000 && imported.failures === 0 } } : {}),
  };
  printTable(result);
  console.log(`\nResults written to ${saveResult(result, ROOT)}`);
}

const round = (n: number | undefined) => (n === undefined ? undefined : Math.round(n));

function compare(against: string, own: Figures, baseline: Figures, minRatio?: number): Comparison {
  const ratio = Math.round((own.rps / baseline.rps) * 1000) / 1000;
  return { against, figures: baseline, ratio, ...(minRatio === undefined ? {} : { minRatio, pass: own.failures === 0 && ratio >= minRatio }) };
}

/** A service token for the default tenant, written into the store file before Roster starts. */
async function createToken(path: string): Promise<string> {
  const store = openSqliteStore(path);
  const { secret } = await new Tokens(store.tenant('default', SYSTEM_JOURNAL).tokens).create('bench');
  await store.close();
  return secret;
}

async function matching(port: number, token: string, path: string): Promise<number> {
  const agent = new http.Agent({ keepAlive: false });
  const { status, body } = await requestJson(agent, port, token, path);
  if (status !== 200) throw new Error(`${path}: ${status} ${JSON.stringify(body)}`);
  return Number(body.totalResults);
}

/** Walks cursor pages of 1,000 (sorted by userName) to the cursor that starts at `depth`. */
async function cursorAtDepth(port: number, token: string, basePath: string, depth: number): Promise<string> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let cursor = '';
  for (let seen = 0; seen < depth; seen += 1000) {
    const { status, body } = await requestJson(agent, port, token, `${basePath}/Users?sortBy=userName&count=${Math.min(1000, depth - seen)}&attributes=id&cursor=${encodeURIComponent(cursor)}`);
    if (status !== 200) throw new Error(`cursor walk: ${status} ${JSON.stringify(body)}`);
    cursor = String(body.nextCursor);
  }
  agent.destroy();
  return cursor;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
