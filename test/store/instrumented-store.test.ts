import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMetrics } from '../../src/metrics';
import { measuredStore } from '../../src/main';
import { instrumentStore } from '../../src/store/instrumented-store';
import { DEFAULT_TENANT_ID, UniquenessViolation, type Store } from '../../src/store/port';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import { journal } from '../support/journal';
import { inMemoryMongoStore } from './contract/mingo-collections';
import { storeContract } from './contract/store-contract';
import { userData } from './contract/contract-support';

interface Observation {
  readonly operation: string;
  readonly seconds: number;
}

/** A fresh SQLite file, instrumented into `seen`. */
function sqliteStore(seen: Observation[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'roster-instrumented-'));
  const inner = openSqliteStore(join(dir, 'roster.db'));
  const store = instrumentStore(inner, (operation, seconds) => seen.push({ operation, seconds }));
  return { store, inner, seen, close: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
}

/**
 * The decorator changes nothing a caller can see: the whole Store contract holds through it
 * (on the embedded adapter; it is the same code whatever the adapter, and the adapter-specific
 * tests below run on the MongoDB adapter's code too).
 */
storeContract('SQLite, instrumented', async () => sqliteStore());

describe('instrumentStore: every operation of the port, timed', () => {
  const adapters: [string, (seen: Observation[]) => { store: Store; close(): Promise<void> }][] = [
    ['SQLite', (seen) => sqliteStore(seen)],
    ['MongoDB adapter (in-memory collections)', (seen) => ({
      store: instrumentStore(inMemoryMongoStore(), (operation, seconds) => seen.push({ operation, seconds })),
      close: async () => undefined,
    })],
  ];

  describe.each(adapters)('%s', (_name, open) => {
    let seen: Observation[];
    let opened: { store: Store; close(): Promise<void> };
    beforeEach(() => {
      seen = [];
      opened = open(seen);
    });
    afterEach(() => opened.close());

    it('names each operation by its part and method, with its duration in seconds', async () => {
      const { store } = opened;
      const port = store.tenant(DEFAULT_TENANT_ID, journal);
      const ada = await port.users.create({ data: userData('ada') });
      await port.users.list({ offset: 0, limit: 10 });
      await port.groups.create({ displayName: 'Sales' }, [ada.id]);
      await port.events.latest();
      await store.tenants.get(DEFAULT_TENANT_ID);
      await store.credentials.findByHash('0'.repeat(64));
      await store.outbox.claim('owner', new Date().toISOString(), new Date(Date.now() + 60_000).toISOString(), 10);
      expect(seen.map((o) => o.operation)).toEqual([
        'users.create', 'users.list', 'groups.create', 'events.latest', 'tenants.get', 'credentials.findByHash', 'outbox.claim',
      ]);
      for (const { seconds } of seen) {
        expect(seconds).toBeGreaterThanOrEqual(0);
        expect(seconds).toBeLessThan(10);
      }
    });

    it('observes a failed operation too, and passes its error on unchanged', async () => {
      const { users } = opened.store.tenant(DEFAULT_TENANT_ID, journal);
      await users.create({ data: userData('ada') });
      const error = await users.create({ data: userData('ADA') }).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(UniquenessViolation);
      expect(seen.map((o) => o.operation)).toEqual(['users.create', 'users.create']);
    });

    it('passes through what is not an operation: the tenant id, the description, readiness', () => {
      const { store } = opened;
      expect(store.tenant('acme', journal).tenantId).toBe('acme');
      expect(store.description).toMatch(/^(sqlite:|mongodb:)/);
      expect(store.ready?.()).toBe(true);
      expect(seen).toEqual([]);
    });
  });

  it('reaches a method replaced on the part after instrumenting (a spy sees the calls)', async () => {
    const seen: Observation[] = [];
    const { store, inner, close } = sqliteStore(seen);
    try {
      await store.tenants.get('acme');
      const spy = jest.spyOn(inner.tenants, 'get');
      await store.tenants.get('acme');
      expect(spy).toHaveBeenCalledTimes(1);
      expect(seen.map((o) => o.operation)).toEqual(['tenants.get', 'tenants.get']);
    } finally {
      await close();
    }
  });
});

describe('measuredStore: store operations as roster_store_operation_duration_seconds', () => {
  it('counts each operation under the adapter that ran it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-measured-'));
    const metrics = createMetrics({ processMetrics: false });
    const store = measuredStore(openSqliteStore(join(dir, 'roster.db')), { mongodbUri: undefined }, metrics);
    try {
      const { users } = store.tenant(DEFAULT_TENANT_ID, journal);
      await users.create({ data: userData('ada') });
      await users.list({ offset: 0, limit: 10 });
      await users.list({ offset: 0, limit: 10 });
      const text = await metrics.exposition();
      expect(text).toContain('roster_store_operation_duration_seconds_count{adapter="sqlite",operation="users.create"} 1');
      expect(text).toContain('roster_store_operation_duration_seconds_count{adapter="sqlite",operation="users.list"} 2');
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
