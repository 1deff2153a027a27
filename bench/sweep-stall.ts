/**
 * `STALL_SWEEP=1 npm run bench:stall`: the longest event-loop block while the daily retention
 * sweep runs (issue 13: "no sweep holds the event loop more than ~50 ms at a time"). Seeds
 * STALL_USERS users in a temporary SQLite store, all Inactive for two years, then runs the
 * sweep as the server does (RetentionSweep.run) four times: with an inactivity period nobody
 * has reached (the filter judged over every user, nothing deleted), with 90 days (every user
 * soft-deleted), two days later with deletedDays 1 (every user erased), then with event
 * retention 0 (every change event erased). Prints, per run, the longest block and the total time.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYSTEM_JOURNAL } from '../src/app/journals';
import { RetentionSweep } from '../src/app/retention';
import type { PolicyDefaults } from '../src/domain/tenancy';
import { loadSchemaRegistry } from '../src/scim/schema/registry';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store';
import { blockMeter } from './stall';

const ACCOUNT_URN = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Account';
const DAY = 86_400_000;
const POLICY = { maxRoles: 25, usernameImmutable: false, requiredUserAttributes: [], usernameFormat: 'any' } as const;

/**
 * Seeds by copying the template user's row `count` times in SQL (each with its own id and
 * userName; no emails rows), on a second connection: a store create per user took 10 ms each on
 * a busy machine, and the seeding is not what is measured.
 */
function copies(path: string, templateId: string, count: number): void {
  const db = new Database(path);
  const columns = (db.prepare("SELECT name FROM pragma_table_info('users')").all() as { name: string }[]).map((c) => c.name).filter((c) => c !== 'seq');
  const value = (c: string) => (c === 'id' || c === 'user_name' || c === 'user_name_key' ? `${c} || '.' || n` : c);
  const copy = db.prepare(`WITH RECURSIVE k(n) AS (SELECT ? UNION ALL SELECT n + 1 FROM k WHERE n < ?)
    INSERT INTO users (${columns.join(', ')}) SELECT ${columns.map(value).join(', ')} FROM users, k WHERE users.id = ?`);
  for (let from = 1; from <= count; from += 10_000) copy.run(from, Math.min(count, from + 9_999), templateId);
  db.close();
}

export async function sweepStalls(users: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'roster-sweep-stall-'));
  const store = openSqliteStore(join(dir, 'sweep.db'));
  const registry = loadSchemaRegistry(join(__dirname, '..', '..', 'schemas'));
  const tenant = store.tenant('default', SYSTEM_JOURNAL);
  const started = Date.now();
  const deactivatedAt = new Date(started - 730 * DAY).toISOString();
  const template = await tenant.users.create({ data: {
    userName: 'idle', name: { givenName: 'Given', familyName: 'Family' }, emails: [{ value: 'idle@example.com', primary: true }],
    active: false, [ACCOUNT_URN]: { status: 'Inactive', deactivatedAt },
  } });
  copies(join(dir, 'sweep.db'), template.id, users - 1);
  console.log(`Roster retention sweep stalls: ${users} users, all Inactive for two years; seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  let now = Date.now();
  const sweep = async (name: string, defaults: Partial<PolicyDefaults>, eventsRetentionDays?: number) => {
    const blocks = blockMeter();
    const begun = process.hrtime.bigint();
    const [report] = await new RetentionSweep(store, registry.user, { ...POLICY, ...defaults } as PolicyDefaults, () => new Date(now), eventsRetentionDays).run();
    const totalMs = Number(process.hrtime.bigint() - begun) / 1e6;
    await new Promise((resolve) => setTimeout(resolve, 10));
    const stallMs = blocks.longestMs();
    blocks.stop();
    const what = `soft-deleted ${report.deletedCount}, erased ${report.erasedCount}, events erased ${report.eventsErased}`;
    console.log(`${name.padEnd(58)} longest stall ${stallMs.toFixed(0).padStart(5)} ms  total ${(totalMs / 1000).toFixed(1).padStart(6)} s  (${what})`);
  };
  await sweep('inactivity sweep, nobody due (filter judged on every user)', { retentionInactiveDays: 1000 });
  await sweep('inactivity sweep, everyone due (every user soft-deleted)', { retentionInactiveDays: 90 });
  now += 2 * DAY;
  await sweep('purge of the soft-deleted users', { retentionDeletedDays: 1 });
  await sweep('event retention 0 (every change event erased)', {}, 0);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
