import type { WebhookRecord, WebhookStore, WebhookUpdate } from '../port';
import type { Db } from './open-database';
import { perDatabase } from './per-database';
import type { RecordChange } from './event-append';
import { sqliteDeliveries } from './sqlite-deliveries';
import { toDelivery, toWebhook, type DeliveryRow, type WebhookRow } from './webhook-rows';

const statementsOf = perDatabase((db: Db) => ({
  insert: db.prepare(`INSERT INTO webhooks (id, tenant_id, url, events, secret, description, active, created, last_modified, cursor)
    VALUES (@id, @tenant, @url, @events, @secret, @description, 1, @now, @now,
      COALESCE((SELECT last_id FROM event_sequences WHERE tenant_id = @tenant), 0)) RETURNING *`),
  list: db.prepare('SELECT * FROM webhooks WHERE tenant_id = ? ORDER BY created, id'),
  byId: db.prepare('SELECT * FROM webhooks WHERE tenant_id = @tenant AND id = @id'),
  update: db.prepare(`UPDATE webhooks SET url = @url, events = @events, description = @description, active = @active,
    consecutive_failures = @failures, disabled_at = @disabledAt, disabled_reason = @disabledReason, last_modified = @now
    WHERE tenant_id = @tenant AND id = @id RETURNING *`),
  delete: db.prepare('DELETE FROM webhooks WHERE tenant_id = @tenant AND id = @id'),
  deliveries: db.prepare(`SELECT * FROM deliveries WHERE webhook_id = @webhook AND tenant_id = @tenant
    AND (@state IS NULL OR state = @state) AND event_id < @before ORDER BY event_id DESC LIMIT @limit`),
  eventType: db.prepare('SELECT type, resource_id FROM events WHERE tenant_id = @tenant AND id = @id'),
  requeue: db.prepare(`INSERT INTO deliveries (webhook_id, event_id, tenant_id, event_type, resource_id, state, queued_at, next_attempt_at)
    VALUES (@webhook, @id, @tenant, @type, @resource, 'pending', @at, @at)
    ON CONFLICT (webhook_id, event_id) DO UPDATE SET state = 'pending', queued_at = @at, next_attempt_at = @at RETURNING *`),
}));

/** The columns of a webhook after `change`: re-enabling clears its failures; disabling records when and why. */
function changed(row: WebhookRow, change: WebhookUpdate, now: string) {
  const active = change.active ?? row.active === 1;
  const enabling = active && row.active === 0;
  const disabling = !active && row.active === 1;
  return {
    url: change.url ?? row.url,
    events: change.events === undefined ? row.events : JSON.stringify(change.events),
    description: change.description === undefined ? row.description : change.description,
    active: active ? 1 : 0,
    failures: enabling ? 0 : row.consecutive_failures,
    disabledAt: active ? null : disabling ? now : row.disabled_at,
    disabledReason: active ? null : disabling ? change.disabledReason ?? 'disabled by an administrator' : row.disabled_reason,
  };
}

/** One tenant's webhooks; their deliveries' dispatcher side is sqlite-deliveries.ts. */
export function sqliteWebhooks(db: Db, tenant: string, record: RecordChange): WebhookStore {
  const s = statementsOf(db);
  const byId = (id: string) => s.byId.get({ tenant, id }) as WebhookRow | undefined;
  return {
    async create(draft) {
      return db.transaction(() => {
        const now = new Date().toISOString();
        const row = s.insert.get({ ...draft, tenant, now, events: JSON.stringify(draft.events), description: draft.description ?? null }) as WebhookRow;
        const webhook = toWebhook(row);
        record({ of: 'webhook', kind: 'created', webhook }, now);
        return webhook;
      }).immediate();
    },

    async list() {
      return (s.list.all(tenant) as WebhookRow[]).map(toWebhook);
    },

    async get(id) {
      const row = byId(id);
      return row ? toWebhook(row) : undefined;
    },

    async update(id, change) {
      return db.transaction((): WebhookRecord | undefined => {
        const row = byId(id);
        if (!row) return undefined;
        const now = new Date().toISOString();
        const after = toWebhook(s.update.get({ tenant, id, now, ...changed(row, change, now) }) as WebhookRow);
        // The dispatcher disables with a reason: its own event, for the alert an operator wants.
        const disabledForFailures = change.disabledReason !== undefined && row.active === 1 && !after.active;
        record(disabledForFailures ? { of: 'webhook', kind: 'disabled', webhook: after } : { of: 'webhook', kind: 'updated', before: toWebhook(row), after }, now);
        return after;
      }).immediate();
    },

    async delete(id) {
      return db.transaction(() => {
        const row = byId(id);
        if (!row) return false;
        s.delete.run({ tenant, id });
        record({ of: 'webhook', kind: 'deleted', webhook: toWebhook(row) }, new Date().toISOString());
        return true;
      }).immediate();
    },

    async deliveries(webhookId, { before, limit, state }) {
      const rows = s.deliveries.all({ webhook: webhookId, tenant, state: state ?? null, before: before ?? Number.MAX_SAFE_INTEGER, limit }) as DeliveryRow[];
      return rows.map(toDelivery);
    },

    async retry(webhookId, eventId, at) {
      return db.transaction(() => {
        const event = s.eventType.get({ tenant, id: eventId }) as { type: string; resource_id: string } | undefined;
        if (!byId(webhookId) || !event) return undefined;
        return toDelivery(s.requeue.get({ webhook: webhookId, id: eventId, tenant, type: event.type, resource: event.resource_id, at }) as DeliveryRow);
      }).immediate();
    },

    ...sqliteDeliveries(db, tenant),
  };
}
