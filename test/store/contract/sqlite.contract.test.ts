import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../../src/store/sqlite/sqlite-store';
import { storeContract } from './store-contract';

/** The Store contract on the embedded adapter: a fresh SQLite file in a temp directory per test. */
storeContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-contract-'));
  const store = openSqliteStore(join(dir, 'roster.db'));
  return {
    store,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
