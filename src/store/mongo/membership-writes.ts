import type { MemberChange } from '../port';
import { LIVE } from './documents';
import { batches, chunks } from './models';
import type { ScopedCollections } from './scoped-collection';

/**
 * Group membership is written twice, always in one transaction: one `memberships` document per
 * (group, member), from which members are rendered, and the group's id in the member's
 * `groupIds`, which membership filters use (compile-filter.ts). Everything here runs inside the
 * caller's transaction (`t` comes from ScopedCollections.transaction), so the two never disagree.
 */

/** The ids among `ids` of users of this tenant that exist and are not deleted, one `$in` per thousand. */
export async function liveUserIds(c: ScopedCollections, ids: Iterable<string>): Promise<Set<string>> {
  const live = new Set<string>();
  for (const chunk of chunks(new Set(ids))) {
    for await (const user of c.users.find({ _id: { $in: chunk }, ...LIVE }, { projection: { _id: 1 } })) live.add(user._id);
  }
  return live;
}

/** Makes each of `ids` a member of the group: an upsert of its membership and `$addToSet` to its groupIds. */
export async function link(t: ScopedCollections, groupId: string, ids: Iterable<string>): Promise<void> {
  for (const chunk of chunks(new Set(ids))) {
    await t.memberships.upsertMany(chunk.map((member) => ({ filter: { group: groupId, member }, update: { $setOnInsert: { group: groupId, member } } })));
    await t.users.updateMany({ _id: { $in: chunk } }, { $addToSet: { groupIds: groupId } });
  }
}

/** Ends the membership of each of `ids` (members or not). */
export async function unlink(t: ScopedCollections, groupId: string, ids: Iterable<string>): Promise<void> {
  for (const chunk of chunks(new Set(ids))) {
    await t.memberships.deleteMany({ group: groupId, member: { $in: chunk } });
    await t.users.updateMany({ _id: { $in: chunk } }, { $pull: { groupIds: groupId } });
  }
}

/** Ends up to a thousand memberships of a group, deleted or live members alike; how many it ended. */
export async function unlinkSome(t: ScopedCollections, groupId: string): Promise<number> {
  const members = (await t.memberships.find({ group: groupId }, { projection: { _id: 0, member: 1 }, limit: 1000 }).toArray()).map((m) => m.member);
  await unlink(t, groupId, members);
  return members.length;
}

/** The live members of a group, streamed a thousand at a time. */
async function liveMembersOf(t: ScopedCollections, groupId: string): Promise<Set<string>> {
  const live = new Set<string>();
  for await (const batch of batches(t.memberships.find({ group: groupId }, { projection: { _id: 0, member: 1 } }))) {
    for (const id of await liveUserIds(t, batch.map((m) => m.member))) live.add(id);
  }
  return live;
}

export interface MembershipPlan {
  readonly add: readonly string[];
  readonly remove: readonly string[];
}

/**
 * The net effect of a write's membership changes, applied in order: the memberships to add and
 * those to end. A `removeAll` (a PUT of the member list, a remove of all members) is turned into
 * the difference between the live members and the list that follows it, so a PUT that changes
 * one member writes one membership, not the whole group twice. Only live users are removed: a
 * soft-deleted user's membership is hidden, not gone (a restore brings it back), as in SQLite.
 */
export async function planMembership(t: ScopedCollections, groupId: string, changes: readonly MemberChange[]): Promise<MembershipPlan> {
  const adds = new Set<string>();
  const removes = new Set<string>();
  let cleared = false;
  for (const change of changes) {
    if (change.op === 'removeAll') {
      cleared = true;
      adds.clear();
      removes.clear();
      continue;
    }
    for (const id of change.ids) {
      (change.op === 'add' ? removes : adds).delete(id);
      (change.op === 'add' ? adds : removes).add(id);
    }
  }
  if (!cleared) return { add: [...adds], remove: [...(await liveUserIds(t, removes))] };
  const current = await liveMembersOf(t, groupId);
  return { add: [...adds].filter((id) => !current.has(id)), remove: [...current].filter((id) => !adds.has(id)) };
}

/**
 * A member who is deleted or restored changes the member list of each group the user is in: a
 * new version of each, in the same transaction as the user's own write.
 */
export async function touchGroups(t: ScopedCollections, groupIds: readonly string[], at: string): Promise<void> {
  for (const chunk of chunks(groupIds)) {
    await t.groups.updateMany({ _id: { $in: chunk } }, { $set: { lastModified: at }, $inc: { version: 1 } });
  }
}
