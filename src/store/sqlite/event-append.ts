import type { Change, Journal } from '../port';
import { actorTokenIdOf, changeEvent } from '../change-event';
import type { Db } from './open-database';
import { perDatabase } from './per-database';

const statementsOf = perDatabase((db: Db) => ({
  // A counter per tenant, not max(id): ids never repeat, even after retention erased the newest.
  allocate: db.prepare(`INSERT INTO event_sequences (tenant_id, last_id) VALUES (@tenant, @count)
    ON CONFLICT (tenant_id) DO UPDATE SET last_id = last_id + @count RETURNING last_id`).pluck(),
  insert: db.prepare(`INSERT INTO events (tenant_id, id, type, occurred_at, resource_id, member_id, actor_token_id, event)
    VALUES (@tenant, @id, @type, @occurredAt, @resourceId, @memberId, @actorTokenId, @event)`),
}));

/** Records a change's events at `at`; called inside the change's own transaction, so both commit or neither. */
export type RecordChange = (change: Change, at: string) => void;

/**
 * The recorder of one tenant's changes. SQLite has one writer at a time, so ids are taken and
 * committed in the same order: a reader never sees id n before every id below it.
 */
export function eventRecorder(db: Db, tenant: string, journal: Journal): RecordChange {
  const s = statementsOf(db);
  return (change, at) => {
    const drafts = journal.draft(change);
    if (drafts.length === 0) return;
    let id = (s.allocate.get({ tenant, count: drafts.length }) as number) - drafts.length;
    for (const draft of drafts) {
      const event = changeEvent(++id, tenant, at, journal.origin, draft);
      s.insert.run({
        tenant,
        id,
        type: event.type,
        occurredAt: at,
        resourceId: event.resource.id,
        memberId: event.member?.id ?? null,
        actorTokenId: actorTokenIdOf(event) ?? null,
        event: JSON.stringify(event),
      });
    }
  };
}
