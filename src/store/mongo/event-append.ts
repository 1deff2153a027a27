import type { Change, ChangeEvent, Journal } from '../port';
import { actorTokenIdOf, changeEvent } from '../change-event';
import type { mongo } from 'mongoose';
import type { EventDocument, EventSequenceDocument } from './event-documents';
import { countActivity, hourCounts } from './mongo-activity';
import { countMoves } from './resource-counts';
import type { ScopedCollections } from './scoped-collection';

/**
 * Records the events of changes made in the transaction `t`, at `at` (the time of the change).
 * Call it last in the transaction: it takes the ids, and so holds the tenant's counter until
 * the commit. Every write of users and groups passes here, so this is also where the tenant's
 * exact totals move (resource-counts.ts), even for a change the journal drafts no event of.
 */
export type RecordChanges = (t: ScopedCollections, changes: readonly Change[], at: string) => Promise<void>;

/** What the feed filters on beside the event itself, which is stored as JSON has it (the driver would store an undefined as null). */
function eventDocument(event: ChangeEvent): Omit<EventDocument, 'tenantId'> {
  const actorTokenId = actorTokenIdOf(event);
  return {
    seq: event.id,
    type: event.type,
    occurredAt: event.occurredAt,
    resourceId: event.resource.id,
    ...(event.member === undefined ? {} : { memberId: event.member.id }),
    ...(actorTokenId === undefined ? {} : { actorTokenId }),
    event: JSON.parse(JSON.stringify(event)) as ChangeEvent,
  };
}

/**
 * The recorder of the changes of a request (or of Roster's own work): `journal` drafts each
 * change's events, inside the transaction, so a transaction that withTransaction runs again
 * drafts again from what it read this time.
 *
 * Ids come from the tenant's counter in `event_sequences`, raised by the number of events with
 * one $inc. Two transactions of one tenant both write the counter, so the later one conflicts
 * and runs again once the first has committed (or waits for it, outside a transaction): ids are
 * taken in commit order, and a transaction that aborts gives its ids back. A reader that sees
 * id n therefore sees every id below n, committed before it. A tenant's first event inserts its
 * counter (the upsert): of two first transactions at once, the later conflicts on the counter's
 * _id the same way and runs again.
 *
 * The events also count in their hour (mongo-activity.ts, `activityHours` of the same tenant),
 * in the same transaction, just before the counter: grouped by hour and type first, so a PATCH
 * adding 1,000 members is one upsert, not 1,000.
 */
export function eventRecorder(journal: Journal): RecordChanges {
  return async (t, changes, at) => {
    if (t.session === undefined) throw new Error('events are recorded inside the transaction of their change');
    const drafts = changes.flatMap((change) => journal.draft(change));
    const moves = countMoves(changes);
    if (drafts.length === 0 && Object.keys(moves).length === 0) return;
    // Before the counter, which the transaction then holds to its commit: the counter and the events stay its last writes.
    await countActivity(t.activityHours, hourCounts(drafts.map(({ type }) => ({ occurredAt: at, type }))));
    // The tenant's totals move with the same $inc (resource-counts.ts), so they commit with the change.
    const update = { $inc: { seq: drafts.length, ...moves } } as mongo.UpdateFilter<EventSequenceDocument>;
    const counter = await t.eventSequences.findOneAndUpdate({ _id: t.tenantId }, update,
      { upsert: true, returnDocument: 'after', projection: { _id: 0, seq: 1 } });
    if (drafts.length === 0) return;
    let id = counter!.seq - drafts.length;
    await t.events.insertMany(drafts.map((draft) => eventDocument(changeEvent(++id, t.tenantId, at, journal.origin, draft))));
  };
}
