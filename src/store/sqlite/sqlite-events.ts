import type { ChangeEvent, EventLog, EventQuery, HourCount } from '../port';
import { examineCount, pickEvents } from '../change-event';
import type { Db } from './open-database';
import { perDatabase } from './per-database';

type Examined = { id: number; type: string };

/**
 * How many events one retention transaction erases when the caller sets no limit: short write
 * transactions (about 10 ms for 2,000 events with their deliveries), whatever the backlog.
 */
const ERASE_BATCH = 2000;

/**
 * Each way a page is read walks one index in id order and stops after the number it may
 * examine: all events, a token's, a resource's (as the resource, or as a group's member: two
 * index walks merged by the compound SELECT).
 */
const statementsOf = perDatabase((db: Db) => ({
  all: db.prepare('SELECT id, type FROM events WHERE tenant_id = @tenant AND id > @after ORDER BY id LIMIT @examine'),
  byActor: db.prepare('SELECT id, type FROM events WHERE tenant_id = @tenant AND actor_token_id = @actor AND id > @after ORDER BY id LIMIT @examine'),
  byResource: db.prepare(`SELECT id, type FROM events WHERE tenant_id = @tenant AND resource_id = @resource AND id > @after
    UNION SELECT id, type FROM events WHERE tenant_id = @tenant AND member_id = @resource AND id > @after ORDER BY id LIMIT @examine`),
  byResourceAndActor: db.prepare(`SELECT id, type FROM events WHERE tenant_id = @tenant AND resource_id = @resource AND id > @after AND actor_token_id = @actor
    UNION SELECT id, type FROM events WHERE tenant_id = @tenant AND member_id = @resource AND id > @after AND actor_token_id = @actor ORDER BY id LIMIT @examine`),
  // Newest first (EventQuery.before): the same walks, backwards.
  allDesc: db.prepare('SELECT id, type FROM events WHERE tenant_id = @tenant AND id < @before ORDER BY id DESC LIMIT @examine'),
  byActorDesc: db.prepare('SELECT id, type FROM events WHERE tenant_id = @tenant AND actor_token_id = @actor AND id < @before ORDER BY id DESC LIMIT @examine'),
  byResourceDesc: db.prepare(`SELECT id, type FROM events WHERE tenant_id = @tenant AND resource_id = @resource AND id < @before
    UNION SELECT id, type FROM events WHERE tenant_id = @tenant AND member_id = @resource AND id < @before ORDER BY id DESC LIMIT @examine`),
  byResourceAndActorDesc: db.prepare(`SELECT id, type FROM events WHERE tenant_id = @tenant AND resource_id = @resource AND id < @before AND actor_token_id = @actor
    UNION SELECT id, type FROM events WHERE tenant_id = @tenant AND member_id = @resource AND id < @before AND actor_token_id = @actor ORDER BY id DESC LIMIT @examine`),
  body: db.prepare('SELECT event FROM events WHERE tenant_id = @tenant AND id = @id').pluck(),
  latest: db.prepare('SELECT last_id FROM event_sequences WHERE tenant_id = ?').pluck(),
  // Ids grow with time, so the events before a time are the ids up to the last one before it.
  lastBefore: db.prepare('SELECT id FROM events WHERE tenant_id = @tenant AND occurred_at < @before ORDER BY occurred_at DESC LIMIT 1').pluck(),
  // The last of the next `batch` events up to @upTo: a chunk is every event up to it.
  chunkEnd: db.prepare(`SELECT max(id) FROM (SELECT id FROM events WHERE tenant_id = @tenant AND id <= @upTo ORDER BY id LIMIT @batch)`).pluck(),
  // An event has a delivery per webhook at most: a chunk's deliveries are few.
  eraseDeliveries: db.prepare('DELETE FROM deliveries WHERE tenant_id = @tenant AND event_id <= @last'),
  eraseEvents: db.prepare('DELETE FROM events WHERE tenant_id = @tenant AND id <= @last'),
  // The hourly counts (activity-migration.ts): a range of their key, each way.
  activity: db.prepare('SELECT hour, type, n FROM activity_hours WHERE tenant_id = @tenant AND hour >= @from AND hour < @to ORDER BY hour, type'),
  eraseActivity: db.prepare(`DELETE FROM activity_hours WHERE tenant_id = @tenant AND (hour, type) IN
    (SELECT hour, type FROM activity_hours WHERE tenant_id = @tenant AND hour < @before ORDER BY hour LIMIT @limit)`),
}));

/** One tenant's events: the feed and the audit trail. */
export function sqliteEvents(db: Db, tenant: string): EventLog {
  const s = statementsOf(db);

  const examine = (query: EventQuery): Examined[] => {
    const desc = query.before !== undefined;
    const params = { tenant, ...(desc ? { before: query.before } : { after: query.after }), examine: examineCount(query), resource: query.resourceId, actor: query.actorTokenId };
    const statement = query.resourceId !== undefined
      ? query.actorTokenId !== undefined ? (desc ? s.byResourceAndActorDesc : s.byResourceAndActor) : (desc ? s.byResourceDesc : s.byResource)
      : query.actorTokenId !== undefined ? (desc ? s.byActorDesc : s.byActor) : (desc ? s.allDesc : s.all);
    return statement.all(params) as Examined[];
  };
  const get = (id: number): ChangeEvent | undefined => {
    const body = s.body.get({ tenant, id }) as string | undefined;
    return body === undefined ? undefined : (JSON.parse(body) as ChangeEvent);
  };

  return {
    async read(query) {
      const { ids, next, more } = pickEvents(examine(query), query);
      return { events: ids.map((id) => get(id)!), next, ...(more === undefined ? {} : { more }) };
    },

    async get(id) {
      return get(id);
    },

    async latest() {
      return (s.latest.get(tenant) as number | undefined) ?? 0;
    },

    async eraseBefore(before, limit) {
      const upTo = s.lastBefore.get({ tenant, before }) as number | undefined;
      if (upTo === undefined) return 0;
      // Deliveries first (they name the events), in the same transaction as their events.
      const chunk = (batch: number) => db.transaction(() => {
        const last = s.chunkEnd.get({ tenant, upTo, batch }) as number | null;
        if (last === null) return 0;
        s.eraseDeliveries.run({ tenant, last });
        return s.eraseEvents.run({ tenant, last }).changes;
      }).immediate();
      if (limit !== undefined) return chunk(limit);
      let erased = 0;
      for (;;) {
        const some = chunk(ERASE_BATCH);
        erased += some;
        if (some < ERASE_BATCH) return erased;
        await new Promise(setImmediate);
      }
    },

    async activity(from, to) {
      return s.activity.all({ tenant, from, to }) as HourCount[];
    },

    async eraseActivityBefore(before, limit) {
      return s.eraseActivity.run({ tenant, before, limit }).changes;
    },
  };
}
