import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TENANT_ID, type StoredUser, type TenantStore } from '../../../src/store/port';
import { openDatabase, type Db } from '../../../src/store/sqlite/open-database';
import { sqliteTenantStore } from '../../../src/store/sqlite/sqlite-store';
import { sqliteTenants } from '../../../src/store/sqlite/sqlite-tenants';
import { journal } from '../../support/journal';
import { statementRecorder } from '../../support/sqlite-plans';

/**
 * Offset pages in the default order start from the block of 1,024 seqs that holds their first
 * user (user_blocks, kept by triggers; offset-start.ts): every page is exactly the slice of the
 * full listing at its offset, through creates, soft deletes, restores, purges and another
 * tenant's users interleaved, and a deep page skips at most one block's index entries.
 */
describe('SQLite offset pages in the default order (user_blocks)', () => {
  const USERS = 3_500;
  const recorder = statementRecorder();
  let dir: string;
  let db: Db;
  let tenant: TenantStore;
  let other: TenantStore;

  const ids = (users: readonly StoredUser[]) => users.map((u) => u.id);
  const everyone = async () => {
    const all: StoredUser[] = [];
    for (let after: readonly (string | number | boolean | null)[] | undefined = []; after;) {
      const page = await tenant.users.list({ offset: 0, limit: 1000, after });
      all.push(...page.items);
      after = page.next;
    }
    return all;
  };
  const create = async (store: TenantStore, prefix: string, count: number) => {
    const results = await store.users.createMany(Array.from({ length: count }, (_, i) => ({ data: { userName: `${prefix}.${i}` } })));
    return results.map((r) => ('created' in r ? r.created : Promise.reject(r.failed))) as StoredUser[];
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-offset-blocks-'));
    db = openDatabase(join(dir, 'roster.db'), { verbose: recorder.verbose });
    await sqliteTenants(db).create({ id: 'acme', name: 'Acme', settings: {} }, journal);
    tenant = sqliteTenantStore(db, DEFAULT_TENANT_ID, journal);
    other = sqliteTenantStore(db, 'acme', journal);
    // Two tenants' users interleaved in seq order, so blocks hold users of both.
    const mine: StoredUser[] = [];
    for (let round = 0; round < 7; round++) {
      mine.push(...(await create(tenant, `u${round}`, USERS / 7)));
      await create(other, `o${round}`, 300);
    }
    // Holes: soft-deleted users (a whole block's worth in one stretch, and scattered ones), some purged, some restored.
    for (const user of [...mine.slice(1000, 2100), ...mine.filter((_, i) => i % 7 === 3)]) await tenant.users.delete(user.id, undefined);
    await tenant.users.purgeDeleted(new Date(Date.now() + 60_000).toISOString(), 200);
    for (const user of mine.slice(1500, 1600)) await tenant.users.restore({ id: user.id });
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves every offset as the slice of the full listing there, to the last user and past it', async () => {
    const all = ids(await everyone());
    expect(all.length).toBeGreaterThan(2048);
    for (const offset of [0, 1, 1023, 1024, 1025, 1500, 2047, 2048, 2049, all.length - 100, all.length - 1, all.length, all.length + 5]) {
      const page = await tenant.users.list({ offset, limit: 100 });
      expect({ offset, ids: ids(page.items), total: page.total }).toEqual({ offset, ids: all.slice(offset, offset + 100), total: all.length });
    }
  });

  it('keeps the block counts equal to the live users of each block', () => {
    const kept = db.prepare('SELECT tenant_id, block, n FROM user_blocks WHERE n > 0 ORDER BY 1, 2').all();
    const counted = db.prepare('SELECT tenant_id, seq >> 10 AS block, count(*) AS n FROM users WHERE deleted_at IS NULL GROUP BY 1, 2 ORDER BY 1, 2').all();
    expect(kept).toEqual(counted);
  });

  it('starts a deep page from its block: a range on the live-users index, never a walk from the first user', async () => {
    const { total } = await tenant.users.list({ offset: 0, limit: 0 });
    const plans = await recorder.plansOf(db, () => tenant.users.list({ offset: total - 50, limit: 100 }));
    expect(plans).toContain('SEARCH t USING INDEX users_tenant_live (tenant_id=? AND rowid>?)');
    expect(plans.some((p) => /^SCAN users\b/.test(p))).toBe(false);
  });

  it('forgets an erased tenant\'s blocks', async () => {
    const tenants = sqliteTenants(db);
    await tenants.create({ id: 'gone', name: 'Gone', settings: {} }, journal);
    await create(sqliteTenantStore(db, 'gone', journal), 'g', 10);
    await tenants.markDeleting('gone', new Date().toISOString());
    await tenants.eraseData('gone');
    await tenants.remove('gone');
    expect(db.prepare("SELECT count(*) FROM user_blocks WHERE tenant_id = 'gone'").pluck().get()).toBe(0);
  });
});
