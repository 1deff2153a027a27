import type { mongo } from 'mongoose';
import { activityHourOf, type ActivityHour, type HourCount } from '../port';
import type { ScopedCollection } from './scoped-collection';

/**
 * How many events of one type a tenant committed in one UTC hour ('YYYY-MM-DDTHH'), and under
 * `request.failed` how many failed requests it recorded: the activity chart's counts. One
 * document per (tenant, hour, type), unique (activity_hours.tenant_hour_type_unique), moved by
 * an upsert with $inc in the transaction of the write it counts, so a chart reads a range of
 * that index, never the events.
 */
export interface ActivityHourDocument {
  tenantId: string;
  hour: ActivityHour;
  type: string;
  n: number;
}

/** What `items` add to each hour and type: a 1,000-member PATCH is one hour and one or two types. */
export function hourCounts(items: Iterable<{ readonly occurredAt: string; readonly type: string }>): HourCount[] {
  const counts = new Map<string, HourCount>();
  for (const { occurredAt, type } of items) {
    const hour = activityHourOf(occurredAt);
    const key = JSON.stringify([hour, type]);
    counts.set(key, { hour, type, n: (counts.get(key)?.n ?? 0) + 1 });
  }
  return [...counts.values()];
}

/** Adds the counts, one upsert per hour and type, in one round trip (inside the caller's transaction when `hours` is bound to one). */
export async function countActivity(hours: ScopedCollection<ActivityHourDocument>, counts: readonly HourCount[]): Promise<void> {
  if (counts.length === 0) return;
  await hours.upsertMany(counts.map(({ hour, type, n }) => ({ filter: { hour, type }, update: { $inc: { n } } })));
}

/** The counts of the hours from `from` up to `to` (excluded), oldest first. */
export async function readActivity(hours: ScopedCollection<ActivityHourDocument>, from: ActivityHour, to: ActivityHour): Promise<HourCount[]> {
  const found = await hours.find({ hour: { $gte: from, $lt: to } }, { sort: { hour: 1, type: 1 }, projection: { _id: 0, hour: 1, type: 1, n: 1 } }).toArray();
  return found.map(({ hour, type, n }) => ({ hour, type, n }));
}

/** Erases the counts of up to `limit` of the oldest hours and types before `before`: found first, deleted by _id (deleteMany takes no limit). */
export async function eraseActivityBefore(hours: ScopedCollection<ActivityHourDocument>, before: ActivityHour, limit: number): Promise<number> {
  // (MongoDB reads a limit of 0 as none.)
  if (limit <= 0) return 0;
  const ids = (await hours.find({ hour: { $lt: before } }, { sort: { hour: 1 }, limit, projection: { _id: 1 } }).toArray()).map((d) => d._id);
  if (ids.length === 0) return 0;
  return (await hours.deleteMany({ _id: { $in: ids } } as mongo.Filter<ActivityHourDocument>)).deletedCount;
}
