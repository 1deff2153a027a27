import type { mongo } from 'mongoose';
import { LeaseLost, MAX_KEPT_ATTEMPTS, type ChangeEvent, type DeliveryAttempt, type Lease, type WebhookStore } from '../port';
import type { WebhookDocument } from './event-documents';
import type { ScopedCollections } from './scoped-collection';
import { toDelivery, toWebhook } from './webhook-records';

type LeasedMethods = Pick<WebhookStore, 'enqueueLeased' | 'dueLeased' | 'pendingLeased' | 'settleLeased'>;

/** An attempt as stored: no undefined field (the driver would store it as null). */
const storedAttempt = (attempt: DeliveryAttempt): DeliveryAttempt => JSON.parse(JSON.stringify(attempt)) as DeliveryAttempt;

/**
 * The dispatcher's side of one tenant's webhooks. Each method first checks that the lease is
 * still `lease.owner`'s, by the store's clock (the primary's): {_id, tenantId, leaseOwner,
 * leaseUntil > now}, else LeaseLost, so an instance whose lease expired (a long pause) stops
 * instead of working beside the new holder. The writing ones run in a transaction whose write
 * of the webhook is conditional on the lease and raises its `fence`: a claim by another
 * instance committed meanwhile conflicts with it, and the transaction runs again and finds the
 * lease gone, so its writes never land after the webhook changed hands.
 */
export function mongoDeliveries(c: ScopedCollections): LeasedMethods {
  const held = (lease: Lease): mongo.Filter<WebhookDocument> => {
    if (lease.tenantId !== c.tenantId) throw new LeaseLost(lease.webhook.id);
    return { _id: lease.webhook.id, leaseOwner: lease.owner, leaseUntil: { $gt: c.now() } };
  };
  const holding = async (t: ScopedCollections, lease: Lease, update: mongo.UpdateFilter<WebhookDocument> = {}): Promise<WebhookDocument> => {
    const webhook = await t.webhooks.findOneAndUpdate(held(lease), { ...update, $inc: { fence: 1, ...(update.$inc as object | undefined) } }, { returnDocument: 'after' });
    if (!webhook) throw new LeaseLost(lease.webhook.id);
    return webhook;
  };
  const checkHeld = async (lease: Lease): Promise<void> => {
    if (!(await c.webhooks.findOne(held(lease), { projection: { _id: 1 } }))) throw new LeaseLost(lease.webhook.id);
  };

  return {
    async enqueueLeased(lease, subscribed, scan, at) {
      return c.transaction(async (t) => {
        const webhook = await holding(t, lease);
        const events = await t.events.find({ seq: { $gt: webhook.cursor } }, { sort: { seq: 1 }, limit: scan, projection: { _id: 0, seq: 1, type: 1, resourceId: 1 } }).toArray();
        if (events.length === 0) return 0;
        const queue = events.filter((event) => subscribed(event.type)).map((event) => ({
          filter: { webhookId: webhook._id, eventId: event.seq },
          // An upsert: a retry may have queued an event beyond the cursor already.
          update: { $setOnInsert: { eventType: event.type, resourceId: event.resourceId, state: 'pending' as const, queuedAt: at, nextAttemptAt: at, attempts: [] } },
        }));
        const queued = queue.length ? (await t.deliveries.upsertMany(queue)).upsertedCount : 0;
        await t.webhooks.updateOne({ _id: webhook._id }, { $set: { cursor: events[events.length - 1].seq } });
        return queued;
      });
    },

    /** The first `window` pending deliveries in event order (tenant_webhookId_state_eventId); the earliest of each resource holds back the later ones. */
    async dueLeased(lease, at, window) {
      await checkHeld(lease);
      const pending = await c.deliveries.find({ webhookId: lease.webhook.id, state: 'pending' }, { sort: { eventId: 1 }, limit: window }).toArray();
      const heads = new Map<string, (typeof pending)[number]>();
      for (const delivery of pending) if (!heads.has(delivery.resourceId)) heads.set(delivery.resourceId, delivery);
      const due = [...heads.values()].filter((d) => d.nextAttemptAt === null || d.nextAttemptAt <= at);
      if (due.length === 0) return [];
      const events = new Map<number, ChangeEvent>();
      for await (const found of c.events.find({ seq: { $in: due.map((d) => d.eventId) } }, { projection: { _id: 0, seq: 1, event: 1 } })) events.set(found.seq, found.event);
      // An event erased by retention meanwhile has nothing left to deliver.
      return due.filter((d) => events.has(d.eventId)).map((d) => ({ delivery: toDelivery(d), event: events.get(d.eventId)! }));
    },

    async pendingLeased(lease) {
      await checkHeld(lease);
      return c.deliveries.countDocuments({ webhookId: lease.webhook.id, state: 'pending' });
    },

    /** The attempt pushed (the oldest beyond MAX_KEPT_ATTEMPTS dropped), the state set, the webhook's failures counted. */
    async settleLeased(lease, outcome) {
      return c.transaction(async (t) => {
        const settled = await t.deliveries.updateOne({ webhookId: lease.webhook.id, eventId: outcome.eventId }, {
          $set: { state: outcome.state, nextAttemptAt: outcome.state === 'pending' ? outcome.nextAttemptAt ?? null : null },
          $push: { attempts: { $each: [storedAttempt(outcome.attempt)], $slice: -MAX_KEPT_ATTEMPTS } },
        });
        if (settled.matchedCount === 0) throw new LeaseLost(lease.webhook.id);
        const failures = outcome.state === 'delivered' ? { $set: { consecutiveFailures: 0 } } : outcome.state === 'failed' ? { $inc: { consecutiveFailures: 1 } } : {};
        return toWebhook(await holding(t, lease, failures));
      });
    },
  };
}
