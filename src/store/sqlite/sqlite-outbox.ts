import type { Outbox } from '../port';
import type { Db } from './open-database';
import { perDatabase } from './per-database';
import { toWebhook, type WebhookRow } from './webhook-rows';

const statementsOf = perDatabase((db: Db) => ({
  // The longest unclaimed first (NULL sorts first), so no webhook waits behind the busy ones.
  claimable: db.prepare(`SELECT w.id FROM webhooks w JOIN tenants t ON t.id = w.tenant_id AND t.deleting IS NULL
    WHERE w.active = 1 AND (w.lease_until IS NULL OR w.lease_until <= @now OR w.lease_owner = @owner) ORDER BY w.lease_until LIMIT @max`).pluck(),
  claim: db.prepare('UPDATE webhooks SET lease_owner = @owner, lease_until = @until WHERE id = @id RETURNING *'),
  release: db.prepare('UPDATE webhooks SET lease_owner = NULL, lease_until = NULL WHERE id = @id AND lease_owner = @owner'),
}));

/**
 * Leases across tenants. Claiming is one IMMEDIATE transaction: two processes sharing the file
 * take the write lock in turn, so a webhook is never leased to both.
 */
export function sqliteOutbox(db: Db): Outbox {
  const s = statementsOf(db);
  return {
    async claim(owner, now, until, max) {
      return db.transaction(() => (s.claimable.all({ owner, now, max }) as string[]).map((id) => {
        const row = s.claim.get({ id, owner, until }) as WebhookRow;
        return { tenantId: row.tenant_id, owner, webhook: toWebhook(row) };
      })).immediate();
    },

    async release(owner, webhookIds) {
      db.transaction(() => webhookIds.forEach((id) => s.release.run({ id, owner }))).immediate();
    },
  };
}
