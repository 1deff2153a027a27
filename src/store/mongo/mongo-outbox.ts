import type { mongo } from 'mongoose';
import type { Lease, Outbox } from '../port';
import type { WebhookDocument } from './event-documents';
import type { Collections } from './models';
import { toWebhook } from './webhook-records';

/**
 * The dispatcher's leases, across tenants (on the raw collections, as the registry: a lease is
 * taken before anyone works in the tenant). Each webhook is claimed by one conditional update,
 * atomic on its own: of two instances claiming it at once, the second finds the condition no
 * longer true and leaves it. The longest unclaimed go first (a free lease, null, sorts first),
 * so no webhook waits behind the busy ones; webhooks of tenants being deleted are left alone.
 * Indexes: webhooks.claimable {active, leaseUntil} and webhooks.leaseOwner serve the two
 * sides of the condition.
 */
export function mongoOutbox(c: Collections): Outbox {
  return {
    async claim(owner, now, until, max) {
      if (max <= 0) return [];
      const deleting = (await c.tenants.find({ deleting: { $type: 'string' } }, { projection: { _id: 1 } }).toArray()).map((tenant) => tenant._id);
      const claimable: mongo.Filter<WebhookDocument> = {
        active: true,
        $or: [{ leaseUntil: null }, { leaseUntil: { $lte: now } }, { leaseOwner: owner }],
        ...(deleting.length ? { tenantId: { $nin: deleting } } : {}),
      };
      const candidates = await c.webhooks.find(claimable, { sort: { leaseUntil: 1 }, limit: max, projection: { _id: 1 } }).toArray();
      const leases: Lease[] = [];
      for (const { _id } of candidates) {
        const claimed = await c.webhooks.findOneAndUpdate({ ...claimable, _id }, { $set: { leaseOwner: owner, leaseUntil: until } }, { returnDocument: 'after' });
        if (claimed) leases.push({ tenantId: claimed.tenantId, owner, webhook: toWebhook(claimed) });
      }
      return leases;
    },

    async release(owner, webhookIds) {
      if (webhookIds.length === 0) return;
      await c.webhooks.updateMany({ _id: { $in: [...webhookIds] }, leaseOwner: owner }, { $set: { leaseOwner: null, leaseUntil: null } });
    },
  };
}
