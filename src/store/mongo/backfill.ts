import type { mongo } from 'mongoose';
import { DELETED } from './documents';
import type { EventSequenceDocument } from './event-documents';
import { countedTotals } from './resource-counts';
import { batches, type Collections } from './models';
import type { Transactions } from './transactions';

/**
 * `live` on users written before it existed: true unless soft-deleted (deletedAt holds the time
 * of the deletion), false while soft-deleted. Only users without the field are touched, so a
 * second run changes nothing.
 */
export async function backfillLive(c: Collections): Promise<{ live: number; deleted: number }> {
  const missing = { live: { $exists: false } } as const;
  const deleted = (await c.users.updateMany({ ...missing, deletedAt: DELETED }, { $set: { live: false } })).modifiedCount;
  const live = (await c.users.updateMany({ ...missing, deletedAt: null }, { $set: { live: true } })).modifiedCount;
  return { live, deleted };
}

/** Users without `groupIds` get an empty list; the memberships then fill it (linkMemberships). */
export async function backfillGroupIds(c: Collections): Promise<number> {
  return (await c.users.updateMany({ groupIds: { $exists: false } }, { $set: { groupIds: [] } })).modifiedCount;
}

type MembershipLink = { _id: mongo.ObjectId; tenantId: string; group: string; member: string };

/**
 * Copies every membership into its member's `groupIds` (`$addToSet`: a second run, or two runs at
 * once, add nothing), 1,000 memberships per transaction. Each transaction reads its memberships
 * again before writing: a membership removed meanwhile by a running instance (which pulls the
 * group from `groupIds` in its own transaction) is either seen as gone, or its removal conflicts
 * with this write and one of the two runs again, so no group id outlives its membership.
 * Returns how many memberships were copied.
 */
export async function linkMemberships(c: Collections, transactions: Transactions): Promise<number> {
  let linked = 0;
  for await (const batch of batches(c.memberships.find({}, { projection: { _id: 1 } }))) {
    const ids = batch.map((membership) => (membership as { _id: mongo.ObjectId })._id);
    linked += await transactions.run(async (session) => {
      const memberships = await c.memberships.find({ _id: { $in: ids } } as mongo.Filter<unknown>, { session, projection: { tenantId: 1, group: 1, member: 1 } }).toArray() as unknown as MembershipLink[];
      const groupsOf = new Map<string, { tenantId: string; member: string; groups: string[] }>();
      for (const { tenantId, group, member } of memberships) {
        const key = JSON.stringify([tenantId, member]);
        const entry = groupsOf.get(key) ?? { tenantId, member, groups: [] };
        entry.groups.push(group);
        groupsOf.set(key, entry);
      }
      if (groupsOf.size) {
        await c.users.bulkWrite([...groupsOf.values()].map(({ tenantId, member, groups }) => ({
          updateOne: { filter: { _id: member, tenantId }, update: { $addToSet: { groupIds: { $each: groups } } } },
        })), { session, ordered: false });
      }
      return memberships.length;
    });
  }
  return linked;
}

/**
 * Schema 4: the exact totals on each tenant's event counter (resource-counts.ts), counted from
 * the documents for every tenant whose counter does not hold them yet. One transaction per
 * tenant: the counts and the write see one snapshot, and a write of the tenant committed
 * meanwhile (which moves the same document) conflicts, so the counting runs again. A tenant
 * with nothing to count and no counter is left without one (all its totals are 0). Returns how
 * many tenants it counted.
 */
export async function backfillTotals(c: Collections, transactions: Transactions): Promise<number> {
  const counted = { liveUsers: { $type: 'number' }, deletedUsers: { $type: 'number' }, groups: { $type: 'number' } };
  let backfilled = 0;
  for await (const batch of batches(c.tenants.find({}, { projection: { _id: 1 } }))) {
    for (const { _id: tenantId } of batch) {
      backfilled += await transactions.run(async (session) => {
        const sequence = await c.eventSequences.findOne({ _id: tenantId }, { session, projection: { _id: 1, liveUsers: 1, deletedUsers: 1, groups: 1 } });
        if (sequence && Object.keys(counted).every((field) => typeof (sequence as Record<string, unknown>)[field] === 'number')) return 0;
        const totals = await countedTotals(c.users as unknown as mongo.Collection, c.groups as unknown as mongo.Collection, tenantId, session);
        if (!sequence && Object.values(totals).every((n) => n === 0)) return 0;
        await c.eventSequences.updateOne({ _id: tenantId }, { $set: totals, $setOnInsert: { tenantId, seq: 0 } } as mongo.UpdateFilter<EventSequenceDocument>, { session, upsert: true });
        return 1;
      });
    }
  }
  return backfilled;
}

type HourGroup = { _id: { hour: string; type: string }; n: number };

/**
 * Schema 5: each tenant's hourly activity counts (mongo-activity.ts), counted from its events
 * with one $group per tenant and written with $set, a thousand hours and types per bulk write:
 * a second run (after an interrupted one) sets the same counts again. Run before the marker, so
 * no instance of this version writes (and counts) events meanwhile. Returns how many hours and
 * types it wrote.
 */
export async function backfillActivity(c: Collections): Promise<number> {
  let written = 0;
  for await (const batch of batches(c.tenants.find({}, { projection: { _id: 1 } }))) {
    for (const { _id: tenantId } of batch) {
      const counted = c.events.aggregate<HourGroup>([
        { $match: { tenantId } },
        { $group: { _id: { hour: { $substrBytes: ['$occurredAt', 0, 13] }, type: '$type' }, n: { $sum: 1 } } },
      ], { allowDiskUse: true });
      for await (const hours of batches(counted)) {
        await c.activityHours.bulkWrite(hours.map(({ _id: { hour, type }, n }) => ({
          updateOne: { filter: { tenantId, hour, type }, update: { $set: { n } }, upsert: true },
        })), { ordered: false });
        written += hours.length;
      }
    }
  }
  return written;
}
