import type { Db } from './open-database';
import { perDatabase } from './per-database';

/**
 * The most rows one batch deletes: one short write transaction, so a tenant of 100,000 users
 * never holds the (synchronous) server or the database's write lock for long.
 */
export const ERASE_BATCH = 500;

/**
 * Deletes a tenant's rows table by table, children first: tokens (its credentials die first,
 * OAuth access tokens among them), then its OAuth clients' secrets and the clients, memberships,
 * group permissions and user entitlements (effectivePermissions' index tables), emails, users,
 * groups, then its deliveries, webhooks, events and event counter, and last its failed requests
 * and hourly activity counts. Each statement deletes up to a batch of rows found by an index
 * that leads with tenant_id, so a batch costs the same however far the erase has come (users,
 * groups and clients have no children left by their turn: nothing cascades).
 */
const batchesOf = perDatabase((db: Db) => [
  db.prepare('DELETE FROM tokens WHERE id IN (SELECT id FROM tokens WHERE tenant_id = @tenant LIMIT @batch)'),
  db.prepare('DELETE FROM client_secrets WHERE id IN (SELECT id FROM client_secrets WHERE tenant_id = @tenant LIMIT @batch)'),
  db.prepare('DELETE FROM clients WHERE tenant_id = @tenant AND id IN (SELECT id FROM clients WHERE tenant_id = @tenant LIMIT @batch)'),
  db.prepare(`DELETE FROM memberships WHERE tenant_id = @tenant AND (group_seq, user_seq) IN
    (SELECT group_seq, user_seq FROM memberships WHERE tenant_id = @tenant LIMIT @batch)`),
  db.prepare(`DELETE FROM group_permissions WHERE tenant_id = @tenant AND (permission, group_seq) IN
    (SELECT permission, group_seq FROM group_permissions WHERE tenant_id = @tenant LIMIT @batch)`),
  db.prepare(`DELETE FROM user_entitlements WHERE tenant_id = @tenant AND (value, user_seq) IN
    (SELECT value, user_seq FROM user_entitlements WHERE tenant_id = @tenant LIMIT @batch)`),
  db.prepare('DELETE FROM user_emails WHERE rowid IN (SELECT rowid FROM user_emails WHERE tenant_id = @tenant LIMIT @batch)'),
  db.prepare('DELETE FROM users WHERE seq IN (SELECT seq FROM users WHERE tenant_id = @tenant LIMIT @batch)'),
  db.prepare('DELETE FROM groups WHERE seq IN (SELECT seq FROM groups WHERE tenant_id = @tenant LIMIT @batch)'),
  db.prepare(`DELETE FROM deliveries WHERE (webhook_id, event_id) IN
    (SELECT webhook_id, event_id FROM deliveries WHERE tenant_id = @tenant LIMIT @batch)`),
  db.prepare('DELETE FROM webhooks WHERE id IN (SELECT id FROM webhooks WHERE tenant_id = @tenant LIMIT @batch)'),
  db.prepare('DELETE FROM events WHERE tenant_id = @tenant AND id IN (SELECT id FROM events WHERE tenant_id = @tenant LIMIT @batch)'),
  db.prepare('DELETE FROM event_sequences WHERE tenant_id = @tenant'),
  db.prepare('DELETE FROM request_failures WHERE tenant_id = @tenant AND id IN (SELECT id FROM request_failures WHERE tenant_id = @tenant LIMIT @batch)'),
  db.prepare(`DELETE FROM activity_hours WHERE tenant_id = @tenant AND (hour, type) IN
    (SELECT hour, type FROM activity_hours WHERE tenant_id = @tenant LIMIT @batch)`),
]);

/**
 * Erases every row of the tenant, one batch per transaction, yielding to the event loop between
 * batches so requests to other tenants are served meanwhile. Each batch commits on its own: an
 * erase cut short (a crash, a restart) has left whole batches deleted and is finished by running
 * it again.
 */
export async function eraseTenantData(db: Db, tenant: string, batch = ERASE_BATCH): Promise<void> {
  for (const statement of batchesOf(db)) {
    const eraseBatch = db.transaction(() => statement.run({ tenant, batch }).changes);
    while (eraseBatch.immediate() > 0) await new Promise(setImmediate);
  }
}
