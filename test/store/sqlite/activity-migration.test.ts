import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TENANT_ID, REQUEST_FAILED } from '../../../src/store/port';
import { migrations } from '../../../src/store/sqlite/migrations';
import { openDatabase } from '../../../src/store/sqlite/open-database';
import { sqliteTenantStore } from '../../../src/store/sqlite/sqlite-store';
import { journal } from '../../support/journal';

/**
 * Migration 11 (activity-migration.ts) on a database file written by the schema before it (10):
 * the events already there are counted in their hours, and from then on every insert of an
 * event or a failure counts itself.
 */
const BEFORE_ACTIVITY = 10;

function writeVersionTen(file: string): void {
  const db = new Database(file);
  db.pragma('foreign_keys = OFF');
  for (const migration of migrations.slice(0, BEFORE_ACTIVITY)) db.exec(migration);
  db.pragma(`user_version = ${BEFORE_ACTIVITY}`);
  db.prepare(`INSERT INTO tenants (id, name, created, last_modified, settings) VALUES ('acme', 'Acme', '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z', '{}')`).run();
  const event = db.prepare(`INSERT INTO events (tenant_id, id, type, occurred_at, resource_id, event) VALUES (?, ?, ?, ?, 'r', '{}')`);
  event.run(DEFAULT_TENANT_ID, 1, 'user.created', '2026-11-23T05:00:00.000Z');
  event.run(DEFAULT_TENANT_ID, 2, 'user.created', '2026-11-23T05:59:59.999Z');
  event.run(DEFAULT_TENANT_ID, 3, 'user.deactivated', '2026-11-23T05:10:00.000Z');
  event.run(DEFAULT_TENANT_ID, 4, 'user.created', '2026-11-23T06:00:00.000Z');
  event.run('acme', 1, 'group.created', '2026-11-23T05:00:00.000Z');
  db.prepare(`INSERT INTO event_sequences (tenant_id, last_id) VALUES ('${DEFAULT_TENANT_ID}', 4), ('acme', 1)`).run();
  db.close();
}

describe('the activity migration, on a database written by the previous version', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'roster-migrate-activity-'));
    file = join(dir, 'roster.db');
    writeVersionTen(file);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('counts the events already there by tenant, hour and type, then counts every new event and failure', async () => {
    const db = openDatabase(file);
    try {
      const of = (tenant: string) => sqliteTenantStore(db, tenant, journal);
      expect(await of(DEFAULT_TENANT_ID).events.activity('2026-11-23T00', '2026-11-24T00')).toEqual([
        { hour: '2026-11-23T05', type: 'user.created', n: 2 },
        { hour: '2026-11-23T05', type: 'user.deactivated', n: 1 },
        { hour: '2026-11-23T06', type: 'user.created', n: 1 },
      ]);
      expect(await of('acme').events.activity('2026-11-23T00', '2026-11-24T00')).toEqual([{ hour: '2026-11-23T05', type: 'group.created', n: 1 }]);

      const before = new Date().toISOString();
      await of(DEFAULT_TENANT_ID).users.create({ data: { userName: 'after.migration' } });
      await of(DEFAULT_TENANT_ID).failures.record({ occurredAt: '2026-11-23T06:30:00.000Z', requestId: 'r', actor: { kind: 'system' }, method: 'POST', path: '/Users', status: 409, detail: 'taken' });
      expect(await of(DEFAULT_TENANT_ID).events.activity('2026-11-23T06', '2026-11-23T07')).toEqual([
        { hour: '2026-11-23T06', type: REQUEST_FAILED, n: 1 },
        { hour: '2026-11-23T06', type: 'user.created', n: 1 },
      ]);
      const now = await of(DEFAULT_TENANT_ID).events.activity(before.slice(0, 13), '9999-01-01T00');
      expect(now.filter((c) => c.type === 'user.created').reduce((sum, c) => sum + c.n, 0)).toBe(1);
    } finally {
      db.close();
    }
  });
});
