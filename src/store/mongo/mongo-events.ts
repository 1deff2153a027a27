import type { mongo } from 'mongoose';
import type { ChangeEvent, EventLog, EventQuery } from '../port';
import { examineCount, pickEvents } from '../change-event';
import { eraseSome } from './erase-batches';
import type { EventDocument } from './event-documents';
import { BATCH } from './models';
import { eraseActivityBefore, readActivity } from './mongo-activity';
import type { ScopedCollections } from './scoped-collection';

type Examined = { id: number; type: string; event?: ChangeEvent };

/**
 * One tenant's events: the feed and the audit trail. A page walks one index in id order and
 * stops after the number it may examine (examineCount): all the tenant's events
 * (tenant_seq_unique), a token's (tenant_actorTokenId_seq), or a resource's, as the resource
 * and as a group's member: two index walks (tenant_resourceId_seq, tenant_memberId_seq) merged
 * here. The rule of the page and of `next` is the adapters' shared one (change-event.ts).
 * The hourly activity is read from the counts the writes keep (mongo-activity.ts).
 */
export function mongoEvents(c: ScopedCollections): EventLog {
  const latest = async () => (await c.eventSequences.findOne({ _id: c.tenantId }, { projection: { _id: 0, seq: 1 } }))?.seq ?? 0;

  const examine = async (query: EventQuery): Promise<Examined[]> => {
    const limit = examineCount(query);
    // Without a type filter every event examined is on the page: read it at once.
    const projection = query.type === undefined ? { _id: 0, seq: 1, type: 1, event: 1 } : { _id: 0, seq: 1, type: 1 };
    const actor = query.actorTokenId === undefined ? {} : { actorTokenId: query.actorTokenId };
    const examined = (d: EventDocument): Examined => ({ id: d.seq, type: d.type, ...(d.event === undefined ? {} : { event: d.event }) });
    const desc = query.before !== undefined;
    const order = desc ? -1 : 1;
    const walk = async (on: mongo.Filter<EventDocument>, seq: mongo.Filter<EventDocument>['seq']) =>
      (await c.events.find({ ...on, seq, ...actor }, { sort: { seq: order }, limit, projection }).toArray()).map(examined);
    if (query.resourceId === undefined) {
      // One walk, streamed: it stops once the page is full, however many it could still examine.
      const found: Examined[] = [];
      let kept = 0;
      const range = desc ? { $lt: query.before } : { $gt: query.after };
      for await (const d of c.events.find({ seq: range, ...actor }, { sort: { seq: order }, limit, projection, batchSize: Math.min(limit, BATCH) })) {
        found.push(examined(d));
        if ((query.type === undefined || query.type(d.type)) && ++kept === query.limit) break;
      }
      return found;
    }
    // Each walk reads its own snapshot: both stop at the latest id committed before either
    // starts, or an event committed between the two would be seen by the second walk alone,
    // beyond one of the first's that the page then skips for good.
    const upTo = desc ? { $lt: query.before } : { $gt: query.after, $lte: await latest() };
    const [asResource, asMember] = await Promise.all([walk({ resourceId: query.resourceId }, upTo), walk({ memberId: query.resourceId }, upTo)]);
    const merged = new Map([...asResource, ...asMember].map((event) => [event.id, event]));
    return [...merged.values()].sort((a, b) => order * (a.id - b.id)).slice(0, limit);
  };

  const bodies = async (ids: readonly number[]): Promise<ChangeEvent[]> => {
    if (ids.length === 0) return [];
    const found = await c.events.find({ seq: { $in: [...ids] } }, { sort: { seq: 1 }, projection: { _id: 0, event: 1 } }).toArray();
    return found.map((d) => d.event);
  };

  return {
    async read(query) {
      const examined = await examine(query);
      const { ids, next, more } = pickEvents(examined, query);
      const events = query.type === undefined ? examined.slice(0, ids.length).map((e) => e.event!) : await bodies(ids);
      return { events: query.before === undefined ? events : sortedLike(ids, events), next, ...(more === undefined ? {} : { more }) };
    },

    async get(id) {
      return (await c.events.findOne({ seq: id }, { projection: { _id: 0, event: 1 } }))?.event;
    },

    latest,

    /**
     * Ids grow with time, so the events before `before` are those up to the id of the last one
     * that occurred before it (found through tenant_occurredAt). Erased a batch of deliveries
     * and a batch of events per transaction, short writes whatever the backlog.
     */
    async eraseBefore(before, limit) {
      // (MongoDB reads a limit of 0 as none.)
      if (limit === 0) return 0;
      const last = await c.events.findOne({ occurredAt: { $lt: before } }, { sort: { occurredAt: -1 }, projection: { _id: 0, seq: 1 } });
      if (!last) return 0;
      if (limit !== undefined) {
        // The `limit` oldest events, by seq: their deliveries and they go in one transaction.
        const oldest = await c.events.find({ seq: { $lte: last.seq } }, { sort: { seq: 1 }, limit, projection: { _id: 0, seq: 1 } }).toArray();
        if (oldest.length === 0) return 0;
        const upTo = oldest[oldest.length - 1].seq;
        return c.transaction(async (t) => {
          await t.deliveries.deleteMany({ eventId: { $lte: upTo } });
          return (await t.events.deleteMany({ seq: { $lte: upTo } })).deletedCount;
        });
      }
      let erased = 0;
      for (;;) {
        const batch = await c.transaction(async (t) => {
          const deliveries = await eraseSome(t.deliveries, { eventId: { $lte: last.seq } });
          const events = await eraseSome(t.events, { seq: { $lte: last.seq } });
          return { deliveries, events };
        });
        erased += batch.events;
        if (batch.deliveries + batch.events === 0) return erased;
      }
    },

    activity: (from, to) => readActivity(c.activityHours, from, to),

    eraseActivityBefore: (before, limit) => eraseActivityBefore(c.activityHours, before, limit),
  };
}

/** Bodies fetched by $in come in index order: put them back in the page's (newest first). */
function sortedLike(ids: readonly number[], events: readonly ChangeEvent[]): ChangeEvent[] {
  const byId = new Map(events.map((event) => [event.id, event]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
