import { resolve } from 'node:path';
import type { ClientStore, EventLog, FailureLog, GroupStore, Journal, Store, TenantStore, TokenStore, UserStore, WebhookStore } from '../port';
import { eventRecorder, type RecordChange } from './event-append';
import { sqliteClients } from './sqlite-clients';
import { openDatabase, type Db } from './open-database';
import { sqliteEvents } from './sqlite-events';
import { sqliteFailures } from './sqlite-failures';
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
 * Each part is built when first used (a GET /Users/{id} needs the users only): building all seven
 * for every request was the largest allocation of an authenticated request.
 */
export function sqliteTenantStore(db: Db, tenantId: string, journal: Journal, { listBudgetMs }: SqliteStoreOptions = {}): TenantStore {
  let record: RecordChange | undefined;
  const recorder = () => (record ??= eventRecorder(db, tenantId, journal));
  let users: UserStore | undefined;
  let groups: GroupStore | undefined;
  let tokens: TokenStore | undefined;
  let events: EventLog | undefined;
  let webhooks: WebhookStore | undefined;
  let clients: ClientStore | undefined;
  let failures: FailureLog | undefined;
  return {
    tenantId,
    get users() { return (users ??= sqliteUsers(db, tenantId, recorder(), listBudgetMs)); },
    get groups() { return (groups ??= sqliteGroups(db, tenantId, recorder(), listBudgetMs)); },
    get tokens() { return (tokens ??= sqliteTokens(db, tenantId, recorder())); },
    get events() { return (events ??= sqliteEvents(db, tenantId)); },
    get webhooks() { return (webhooks ??= sqliteWebhooks(db, tenantId, recorder())); },
    get clients() { return (clients ??= sqliteClients(db, tenantId, recorder())); },
    get failures() { return (failures ??= sqliteFailures(db, tenantId)); },
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
