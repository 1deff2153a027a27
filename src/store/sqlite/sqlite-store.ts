import { resolve } from 'node:path';
import type { Journal, Store, TenantStore } from '../port';
import { eventRecorder } from './event-append';
import { sqliteClients } from './sqlite-clients';
import { openDatabase, type Db } from './open-database';
import { sqliteEvents } from './sqlite-events';
import { sqliteOutbox } from './sqlite-outbox';
import { sqliteWebhooks } from './sqlite-webhooks';
import { sqliteGroups } from './sqlite-groups';
import { sqliteTenants } from './sqlite-tenants';
import { sqliteCredentials, sqliteTokens } from './sqlite-tokens';
import { sqliteUsers } from './sqlite-users';

export interface SqliteStoreOptions {
  /** How long a filtered or sorted list may run (LIST_BUDGET_MS; tests set 0 to make every scan run out). */
  readonly listBudgetMs?: number;
}

/**
 * One tenant's port, its writes recorded by `journal`. Its statements are prepared once per
 * database and bind the tenant (see per-database.ts), so building one is a handful of closures
 * (preparing its statements took 1 to 8 ms): it is built for each request, with its journal.
 */
export function sqliteTenantStore(db: Db, tenantId: string, journal: Journal, { listBudgetMs }: SqliteStoreOptions = {}): TenantStore {
  const record = eventRecorder(db, tenantId, journal);
  return {
    tenantId,
    users: sqliteUsers(db, tenantId, record, listBudgetMs),
    groups: sqliteGroups(db, tenantId, record, listBudgetMs),
    tokens: sqliteTokens(db, tenantId, record),
    events: sqliteEvents(db, tenantId),
    webhooks: sqliteWebhooks(db, tenantId, record),
    clients: sqliteClients(db, tenantId, record),
  };
}

/** The embedded store: one SQLite file, created with its schema on first use. */
export function openSqliteStore(file: string, options: SqliteStoreOptions = {}): Store {
  const path = file === ':memory:' ? file : resolve(file);
  const db = openDatabase(path);
  return {
    description: `sqlite:${path}`,
    tenant: (id, journal) => sqliteTenantStore(db, id, journal, options),
    tenants: sqliteTenants(db),
    operators: sqliteTokens(db, null),
    credentials: sqliteCredentials(db),
    outbox: sqliteOutbox(db),
    // The file is opened synchronously above: once this returns, the store is ready for good.
    ready: () => true,
    async close() {
      db.close();
    },
  };
}
