import { LeaseLost, MAX_KEPT_ATTEMPTS, type ChangeEvent, type DeliveryAttempt, type Lease, type WebhookStore } from '../port';
import type { Db } from './open-database';
import { perDatabase } from './per-database';
import { toDelivery, toWebhook, type DeliveryRow, type WebhookRow } from './webhook-rows';

const statementsOf = perDatabase((db: Db) => ({
  leased: db.prepare(`SELECT * FROM webhooks WHERE tenant_id = @tenant AND id = @id AND lease_owner = @owner AND lease_until > @now`),
  next: db.prepare('SELECT id, type, resource_id FROM events WHERE tenant_id = @tenant AND id > @cursor ORDER BY id LIMIT @scan'),
  queue: db.prepare(`INSERT OR IGNORE INTO deliveries (webhook_id, event_id, tenant_id, event_type, resource_id, state, queued_at, next_attempt_at)
    VALUES (@webhook, @id, @tenant, @type, @resource, 'pending', @at, @at)`),
  moveCursor: db.prepare('UPDATE webhooks SET cursor = @cursor WHERE id = @id'),
  pending: db.prepare(`SELECT * FROM deliveries WHERE webhook_id = @webhook AND state = 'pending' ORDER BY event_id LIMIT @window`),
  pendingCount: db.prepare(`SELECT count(*) FROM deliveries WHERE webhook_id = ? AND state = 'pending'`).pluck(),
  event: db.prepare('SELECT event FROM events WHERE tenant_id = @tenant AND id = @id').pluck(),
  delivery: db.prepare('SELECT * FROM deliveries WHERE webhook_id = @webhook AND event_id = @id'),
  settle: db.prepare('UPDATE deliveries SET state = @state, next_attempt_at = @next, attempts = @attempts WHERE webhook_id = @webhook AND event_id = @id'),
  failures: db.prepare(`UPDATE webhooks SET consecutive_failures = CASE WHEN @state = 'delivered' THEN 0
    WHEN @state = 'failed' THEN consecutive_failures + 1 ELSE consecutive_failures END WHERE id = @id RETURNING *`),
}));

type LeasedMethods = Pick<WebhookStore, 'enqueueLeased' | 'dueLeased' | 'pendingLeased' | 'settleLeased'>;

/**
 * The dispatcher's side of one tenant's webhooks. Each method runs in one IMMEDIATE transaction
 * that first checks the lease is still this owner's: an instance whose lease expired (a long
 * pause, a lost clock) learns it from LeaseLost instead of working beside the new holder.
 */
export function sqliteDeliveries(db: Db, tenant: string): LeasedMethods {
  const s = statementsOf(db);
  const holding = (lease: Lease): WebhookRow => {
    const row = s.leased.get({ tenant, id: lease.webhook.id, owner: lease.owner, now: new Date().toISOString() }) as WebhookRow | undefined;
    if (!row) throw new LeaseLost(lease.webhook.id);
    return row;
  };

  return {
    async enqueueLeased(lease, subscribed, scan, at) {
      return db.transaction(() => {
        const webhook = holding(lease);
        const events = s.next.all({ tenant, cursor: webhook.cursor, scan }) as { id: number; type: string; resource_id: string }[];
        let queued = 0;
        for (const event of events) {
          if (!subscribed(event.type)) continue;
          queued += s.queue.run({ webhook: webhook.id, id: event.id, tenant, type: event.type, resource: event.resource_id, at }).changes;
        }
        if (events.length) s.moveCursor.run({ id: webhook.id, cursor: events[events.length - 1].id });
        return queued;
      }).immediate();
    },

    async dueLeased(lease, at, window) {
      return db.transaction(() => {
        holding(lease);
        const heads = new Map<string, DeliveryRow>();
        // The earliest pending delivery of each resource holds back the later ones.
        for (const row of s.pending.all({ webhook: lease.webhook.id, window }) as DeliveryRow[]) if (!heads.has(row.resource_id)) heads.set(row.resource_id, row);
        // A delivery whose event retention has just erased (its own erase comes in a later batch) is skipped.
        return [...heads.values()]
          .filter((row) => row.next_attempt_at === null || row.next_attempt_at <= at)
          .flatMap((row) => {
            const body = s.event.get({ tenant, id: row.event_id }) as string | undefined;
            return body === undefined ? [] : [{ delivery: toDelivery(row), event: JSON.parse(body) as ChangeEvent }];
          });
      }).deferred();
    },

    async pendingLeased(lease) {
      holding(lease);
      return s.pendingCount.get(lease.webhook.id) as number;
    },

    async settleLeased(lease, outcome) {
      return db.transaction(() => {
        holding(lease);
        const row = s.delivery.get({ webhook: lease.webhook.id, id: outcome.eventId }) as DeliveryRow | undefined;
        if (!row) throw new LeaseLost(lease.webhook.id);
        const attempts = [...(JSON.parse(row.attempts) as DeliveryAttempt[]), outcome.attempt].slice(-MAX_KEPT_ATTEMPTS);
        s.settle.run({ webhook: row.webhook_id, id: row.event_id, state: outcome.state, next: outcome.state === 'pending' ? outcome.nextAttemptAt ?? null : null, attempts: JSON.stringify(attempts) });
        return toWebhook(s.failures.get({ id: row.webhook_id, state: outcome.state }) as WebhookRow);
      }).immediate();
    },
  };
}
