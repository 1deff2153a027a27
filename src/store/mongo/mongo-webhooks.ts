import type { WebhookRecord, WebhookStore } from '../port';
import { eraseAll, eraseSome } from './erase-batches';
import type { RecordChanges } from './event-append';
import type { WebhookDocument } from './event-documents';
import { mongoDeliveries } from './mongo-deliveries';
import type { ScopedCollections } from './scoped-collection';
import { toDelivery, toWebhook, webhookChanges } from './webhook-records';

/**
 * One tenant's webhooks in `webhooks`, their deliveries in `deliveries`; the dispatcher's side
 * is mongo-deliveries.ts. Each write is one transaction with its event (webhook.created,
 * .updated, .disabled, .deleted), as every write of the tenant.
 */
export function mongoWebhooks(c: ScopedCollections, record: RecordChanges): WebhookStore {
  return {
    /** The cursor is the latest event id read in the transaction: the webhook's own webhook.created comes after it. */
    async create(draft) {
      return c.transaction(async (t) => {
        const at = c.now();
        const cursor = (await t.eventSequences.findOne({ _id: c.tenantId }, { projection: { _id: 0, seq: 1 } }))?.seq ?? 0;
        const document: WebhookDocument = {
          _id: draft.id, tenantId: c.tenantId, url: draft.url, events: [...draft.events], secret: draft.secret, description: draft.description ?? null,
          active: true, created: at, lastModified: at, cursor, consecutiveFailures: 0, disabledAt: null, disabledReason: null,
          leaseOwner: null, leaseUntil: null, fence: 0,
        };
        await t.webhooks.insertOne(document);
        const webhook = toWebhook(document);
        await record(t, [{ of: 'webhook', kind: 'created', webhook }], at);
        return webhook;
      });
    },

    async list() {
      return (await c.webhooks.find({}, { sort: { created: 1, _id: 1 } }).toArray()).map(toWebhook);
    },

    async get(id) {
      const document = await c.webhooks.findOne({ _id: id });
      return document ? toWebhook(document) : undefined;
    },

    async update(id, change) {
      return c.transaction(async (t): Promise<WebhookRecord | undefined> => {
        const current = await t.webhooks.findOne({ _id: id });
        if (!current) return undefined;
        const at = c.now();
        const updated = await t.webhooks.findOneAndUpdate({ _id: id }, { $set: webhookChanges(current, change, at) }, { returnDocument: 'after' });
        const [before, after] = [toWebhook(current), toWebhook(updated!)];
        // The dispatcher disables with a reason: its own event, for the alert an operator wants.
        const disabledForFailures = change.disabledReason !== undefined && before.active && !after.active;
        await record(t, [disabledForFailures ? { of: 'webhook', kind: 'disabled', webhook: after } : { of: 'webhook', kind: 'updated', before, after }], at);
        return after;
      });
    },

    /**
     * The webhook, its event and its first thousand deliveries in one transaction; the rest a
     * thousand at a time after it (deliveries of a webhook that is gone are never read).
     */
    async delete(id) {
      const deleted = await c.transaction(async (t) => {
        const current = await t.webhooks.findOne({ _id: id });
        if (!current) return false;
        await t.webhooks.deleteOne({ _id: id });
        await eraseSome(t.deliveries, { webhookId: id });
        await record(t, [{ of: 'webhook', kind: 'deleted', webhook: toWebhook(current) }], c.now());
        return true;
      });
      if (deleted) await eraseAll(c.deliveries, { webhookId: id });
      return deleted;
    },

    async deliveries(webhookId, { before, limit, state }) {
      const documents = await c.deliveries.find(
        { webhookId, ...(state === undefined ? {} : { state }), ...(before === undefined ? {} : { eventId: { $lt: before } }) },
        { sort: { eventId: -1 }, limit },
      ).toArray();
      return documents.map(toDelivery);
    },

    /** Queued again, or for the first time: an upsert of the (webhook, event) delivery, the webhook and the event read in its transaction. */
    async retry(webhookId, eventId, at) {
      return c.transaction(async (t) => {
        const event = await t.events.findOne({ seq: eventId }, { projection: { _id: 0, type: 1, resourceId: 1 } });
        if (!event || !(await t.webhooks.findOne({ _id: webhookId }, { projection: { _id: 1 } }))) return undefined;
        const queued = await t.deliveries.findOneAndUpdate({ webhookId, eventId },
          { $set: { state: 'pending', queuedAt: at, nextAttemptAt: at }, $setOnInsert: { eventType: event.type, resourceId: event.resourceId, attempts: [] } },
          { upsert: true, returnDocument: 'after' });
        return toDelivery(queued!);
      });
    },

    ...mongoDeliveries(c),
  };
}
