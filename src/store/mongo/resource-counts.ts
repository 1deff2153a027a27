import type { mongo } from 'mongoose';
import type { Change } from '../port';
import type { EventSequenceDocument } from './event-documents';
import type { ScopedCollection } from './scoped-collection';

/**
 * Exact totals of a tenant's resources, kept on the tenant's event counter document in
 * `event_sequences` (issue 13): `liveUsers`, `deletedUsers`, `groups` beside `seq`. Every write
 * that adds, deletes, restores or erases one records its change there, in its transaction, with
 * the same `$inc` that takes the event ids (event-append.ts), so the totals cost no write of
 * their own and move exactly with the commits.
 *
 * Why not N slot documents summed on read: every write of a tenant already updates this one
 * document (event ids are taken in commit order, so two writes of a tenant conflict on it
 * anyway), and a second hot document could only add a conflict, never remove one. A tenant
 * without the document (none of its writes yet) holds nothing: every total is 0. Erasing a
 * tenant deletes the document with its events (mongo-tenants.ts eraseData).
 */
export const COUNT_FIELDS = { users: 'liveUsers', deleted_users: 'deletedUsers', groups: 'groups' } as const;

export type CountedKind = keyof typeof COUNT_FIELDS;
type CountField = (typeof COUNT_FIELDS)[CountedKind];

/** The counter document with its totals (absent until a write moves them, or the backfill sets them). */
export type CountedSequenceDocument = EventSequenceDocument & Partial<Record<CountField, number>>;

const MOVES: Readonly<Record<string, Partial<Record<CountField, number>>>> = {
  'user.created': { liveUsers: 1 },
  'user.deleted': { liveUsers: -1, deletedUsers: 1 },
  'user.restored': { liveUsers: 1, deletedUsers: -1 },
  // Only soft-deleted users are erased (purgeDeleted); a tenant's erase drops the document instead.
  'user.erased': { deletedUsers: -1 },
  'group.created': { groups: 1 },
  'group.deleted': { groups: -1 },
};

/** How `changes` move the totals, as `$inc` fields (none for changes that move none). */
export function countMoves(changes: readonly Change[]): Partial<Record<CountField, number>> {
  const moves: Partial<Record<CountField, number>> = {};
  for (const change of changes) {
    for (const [field, by] of Object.entries(MOVES[`${change.of}.${change.kind}`] ?? {}) as [CountField, number][]) {
      moves[field] = (moves[field] ?? 0) + by;
    }
  }
  for (const field of Object.keys(moves) as CountField[]) if (moves[field] === 0) delete moves[field];
  return moves;
}

/** One tenant's stored total of `kind`: one look-up by _id, whatever the tenant's size. */
export async function storedCount(sequences: ScopedCollection<EventSequenceDocument>, kind: CountedKind): Promise<number> {
  const field = COUNT_FIELDS[kind];
  const document = await sequences.findOne({ _id: sequences.tenantId as string }, { projection: { _id: 0, [field]: 1 } }) as Partial<CountedSequenceDocument> | null;
  return document?.[field] ?? 0;
}

/** The totals as counted from the documents (the backfill, and tests comparing them with the stored ones). */
export async function countedTotals(users: mongo.Collection, groups: mongo.Collection, tenantId: string, session?: mongo.ClientSession): Promise<Record<CountField, number>> {
  const options = session ? { session } : {};
  return {
    liveUsers: await users.countDocuments({ tenantId, live: true }, options),
    deletedUsers: await users.countDocuments({ tenantId, live: false }, options),
    groups: await groups.countDocuments({ tenantId }, options),
  };
}
