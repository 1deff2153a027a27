/**
 * `npm run bench:stall`: the longest time one request holds the event loop. Roster is one Node
 * process, so a request that computes for 2 s freezes every other client for 2 s. This seeds a
 * temporary SQLite store (STALL_USERS users, default 100,000, two emails each, in groups of 1,000
 * plus one group of everyone), then sends hostile requests one at a time — each the worst of
 * its kind that the default limits let through, or that they must refuse — and prints, for
 * each, the status and the longest event-loop block while it ran: the longest gap between two
 * runs of a 1 ms interval timer. The client runs in the same process with its bodies
 * serialised beforehand, so a figure is an upper bound on the server's own block.
 *
 * `STALL_SWEEP=1 npm run bench:stall` measures the retention sweep instead (sweep-stall.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config';
import { SYSTEM_JOURNAL } from '../src/app/journals';
import { Tokens } from '../src/app/tokens';
import { assemble } from '../src/main';
import { createLogger } from '../src/logger';
import { loadSchemaRegistry } from '../src/scim/schema/registry';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store';
import { hostileRequests, type HostileRequest } from './hostile-requests';
import { sweepStalls } from './sweep-stall';

const USERS = Number(process.env.STALL_USERS ?? 100_000);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'roster-stall-'));
  // The per-token rate limit is off: these requests come from one token, one after another.
  const config = loadConfig({ SQLITE_PATH: join(dir, 'stall.db'), LOG_LEVEL: 'silent', RATE_LIMIT_PER_TOKEN: 'off' });
  const store = openSqliteStore(config.sqlitePath);
  const seeded = await seed(store);
  const { secret } = await new Tokens(store.tenant('default', SYSTEM_JOURNAL).tokens).create('stall');
  const server = assemble({ config, store, registry: loadSchemaRegistry(join(__dirname, '..', '..', 'schemas')), logger: createLogger('silent') }).app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  console.log(`Roster event-loop stalls: ${USERS} users (2 emails each), groups of 1,000 and one of ${USERS}; default limits; one request at a time`);
  const blocks = blockMeter();
  let worst = { name: '', ms: 0 };
  for (const hostile of hostileRequests(seeded, USERS)) {
    const payload = hostile.body === undefined ? undefined : Buffer.from(typeof hostile.body === 'string' ? hostile.body : JSON.stringify(hostile.body));
    await new Promise((resolve) => setTimeout(resolve, 20));
    blocks.reset();
    const started = process.hrtime.bigint();
    const status = await send(agent, port, secret, config.basePath, hostile, payload);
    const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
    // A block is seen when the timer next runs, which may be after the response arrived.
    await new Promise((resolve) => setTimeout(resolve, 10));
    const stallMs = blocks.longestMs();
    if (stallMs > worst.ms) worst = { name: hostile.name, ms: stallMs };
    console.log(`${hostile.name.padEnd(78)} ${String(status).padStart(3)}  stall ${stallMs.toFixed(0).padStart(5)} ms  total ${totalMs.toFixed(0).padStart(6)} ms`);
  }
  blocks.stop();
  console.log(`longest stall: ${worst.ms.toFixed(0)} ms (${worst.name})`);
  server.close();
  agent.destroy();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

/** The longest gap between runs of a 1 ms interval timer since the last reset. */
export function blockMeter() {
  let last = process.hrtime.bigint();
  let longest = 0n;
  const timer = setInterval(() => {
    const now = process.hrtime.bigint();
    if (now - last > longest) longest = now - last;
    last = now;
  }, 1);
  return {
    reset: () => { last = process.hrtime.bigint(); longest = 0n; },
    longestMs: () => Number(longest) / 1e6,
    stop: () => clearInterval(timer),
  };
}

export interface Seeded {
  readonly userIds: readonly string[];
  readonly everyoneGroupId: string;
  readonly smallGroupId: string;
}

async function seed(store: ReturnType<typeof openSqliteStore>): Promise<Seeded> {
  const started = Date.now();
  const userIds: string[] = [];
  for (let i = 0; i < USERS; i++) {
    const user = await store.tenant('default', SYSTEM_JOURNAL).users.create({ data: {
      userName: `user${i}`, externalId: `ext-${i}`, displayName: `User Number ${i}`, name: { givenName: `Given${i}`, familyName: `Family${i % 1000}` },
      emails: [{ value: `user${i}@example.com`, type: 'work', primary: true }, { value: `u${i}@home.example`, type: 'home' }], active: true,
    } });
    userIds.push(user.id);
  }
  let smallGroupId = '';
  for (let g = 0; g * 1000 < USERS; g++) {
    const group = await store.tenant('default', SYSTEM_JOURNAL).groups.create({ displayName: `team-${g}` }, userIds.slice(g * 1000, (g + 1) * 1000));
    if (g === 0) smallGroupId = group.id;
  }
  const everyone = await store.tenant('default', SYSTEM_JOURNAL).groups.create({ displayName: 'everyone' }, userIds);
  console.log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { userIds, everyoneGroupId: everyone.id, smallGroupId };
}

function send(agent: http.Agent, port: number, token: string, basePath: string, hostile: HostileRequest, payload: Buffer | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, host: '127.0.0.1', port, method: hostile.method, path: basePath + hostile.path, headers: {
      Authorization: `Bearer ${token}`, ...(payload ? { 'Content-Type': 'application/scim+json', 'Content-Length': payload.length } : {}),
    } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

(process.env.STALL_SWEEP ? sweepStalls(USERS) : main()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
