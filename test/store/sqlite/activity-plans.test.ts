import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TENANT_ID, MAX_KEPT_FAILURES, type FailureDraft, type TenantStore } from '../../../src/store/port';
import { openDatabase, type Db } from '../../../src/store/sqlite/open-database';
import { sqliteTenantStore } from '../../../src/store/sqlite/sqlite-store';
import { sqliteTenants } from '../../../src/store/sqlite/sqlite-tenants';
import { journal } from '../../support/journal';
import { statementRecorder } from '../../support/sqlite-plans';

/**
 * The plans SQLite chooses for the failed-request log and the hourly activity counts: the chart
 * reads a range of activity_hours' key, the log pages through request_failures' key (or its
 * status index) newest first, and recording a failure erases those beyond the cap by a range of
 * the key: none of them scans a table or sorts, so each costs what it returns, whatever the
 * tenant (or the database) holds.
 */
const failure = (hour: number, status = 409): FailureDraft => ({
  occurredAt: new Date(Date.UTC(2026, 10, 1, hour)).toISOString(),
  requestId: 'r', actor: { kind: 'system' }, method: 'POST', path: '/scim/v2/Users', status, detail: 'taken',
});

describe('SQLite query plans of the failed-request log and the activity counts', () => {
  let dir: string;
  let db: Db;
  const recorder = statementRecorder();
  let acme: TenantStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-activity-plans-'));
    db = openDatabase(join(dir, 'roster.db'), { verbose: recorder.verbose });
    await sqliteTenants(db).create({ id: 'acme', name: 'Acme', settings: {} }, journal);
    // Two tenants of the same shape, each past the cap, so an index without tenant_id would be as good as any.
    for (const tenant of [DEFAULT_TENANT_ID, 'acme']) {
      const store = sqliteTenantStore(db, tenant, journal);
      for (let hour = 0; hour < 48; hour++) await store.failures.record(...Array.from({ length: 25 }, (_, i) => failure(hour, i % 5 === 0 ? 400 : 409)));
      for (let i = 0; i < 20; i++) await store.users.create({ data: { userName: `user${i}` } });
    }
    db.exec('ANALYZE');
    acme = sqliteTenantStore(db, 'acme', journal);
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const plansOf = (run: () => Promise<unknown>, which?: RegExp) => recorder.plansOf(db, run, which);
  /** Every step searches by a key that leads with tenant_id: no scan, no sort. */
  const expectKeyed = (plans: readonly string[], table: string) => {
    expect(plans.length).toBeGreaterThan(0);
    for (const step of plans) {
      expect(step).not.toMatch(/\bSCAN\b/);
      expect(step).not.toMatch(/TEMP B-TREE/);
    }
    expect(plans.some((step) => new RegExp(`SEARCH ${table} USING (PRIMARY KEY|(COVERING )?INDEX \\w+) \\(tenant_id=\\?`).test(step))).toBe(true);
  };

  it('the chart reads a range of the hours\' key', async () => {
    expect(await acme.events.activity('2026-11-01T10', '2026-11-02T10')).toHaveLength(24);
    expectKeyed(await plansOf(() => acme.events.activity('2026-11-01T10', '2026-11-02T10')), 'activity_hours');
  });

  it('the log reads newest first by its key, or by the status index', async () => {
    expect(await acme.failures.read({ limit: 50 })).toHaveLength(50);
    expectKeyed(await plansOf(() => acme.failures.read({ limit: 50 })), 'request_failures');
    expectKeyed(await plansOf(() => acme.failures.read({ limit: 50, before: 900, status: 400 })), 'request_failures');
    expect(await plansOf(() => acme.failures.read({ limit: 50, status: 400 }))).toContainEqual(expect.stringMatching(/USING (COVERING )?INDEX request_failures_status/));
  });

  it('recording a failure finds the newest id and erases those beyond the cap by a range of the key', async () => {
    const plans = await plansOf(() => acme.failures.record(failure(50)), /^\s*(SELECT|DELETE)/i);
    expectKeyed(plans, 'request_failures');
    expect(plans).toContainEqual(expect.stringMatching(/SEARCH request_failures USING PRIMARY KEY \(tenant_id=\? AND id<\?\)/));
    expect(await acme.failures.read({ limit: MAX_KEPT_FAILURES + 10 })).toHaveLength(MAX_KEPT_FAILURES);
  });

  it('the retention sweep erases old hours by the same key', async () => {
    expectKeyed(await plansOf(() => acme.events.eraseActivityBefore('2026-11-01T05', 2), /^\s*DELETE/i), 'activity_hours');
    expect(await acme.events.activity('2026-11-01T00', '2026-11-01T05')).toHaveLength(3);
  });
});
