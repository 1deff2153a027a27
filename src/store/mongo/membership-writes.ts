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

/**
 * The users among `ids` of this tenant that exist and are not deleted, with their userNames
 * (which the events of membership changes name), in the order of `ids`; one `$in` per thousand.
 */
export async function liveUsers(c: ScopedCollections, ids: Iterable<string>): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const unique = new Set(ids);
  for (const chunk of chunks(unique)) {
    for await (const user of c.users.find({ _id: { $in: chunk }, ...LIVE }, { projection: { _id: 1, 'data.userName': 1 } })) found.set(user._id, String(user.data?.userName));
  }
  const live = new Map<string, string>();
  for (const id of unique) if (found.has(id)) live.set(id, found.get(id)!);
  return live;
}

/**
 * Makes each of `ids` a member of the group: an upsert of its membership and `$addToSet` to its
 * groupIds. Returns those it made members (whose membership the upserts inserted), in order.
 */
export async function link(t: ScopedCollections, groupId: string, ids: Iterable<string>): Promise<string[]> {
  const linked: string[] = [];
  for (const chunk of chunks(new Set(ids))) {
    const upserts = await t.memberships.upsertMany(chunk.map((member) => ({ filter: { group: groupId, member }, update: { $setOnInsert: { group: groupId, member } } })));
    await t.users.updateMany({ _id: { $in: chunk } }, { $addToSet: { groupIds: groupId } });
    linked.push(...Object.keys(upserts.upsertedIds).map(Number).sort((a, b) => a - b).map((index) => chunk[index]));
  }
  return linked;
}

/** Ends the membership of each of `ids` that is a member. Returns those it ended, in order. */
export async function unlink(t: ScopedCollections, groupId: string, ids: Iterable<string>): Promise<string[]> {
  const unlinked: string[] = [];
  for (const chunk of chunks(new Set(ids))) {
    const members = new Set((await t.memberships.find({ group: groupId, member: { $in: chunk } }, { projection: { _id: 0, member: 1 } }).toArray()).map((m) => m.member));
    if (members.size === 0) continue;
    await t.memberships.deleteMany({ group: groupId, member: { $in: [...members] } });
    await t.users.updateMany({ _id: { $in: [...members] } }, { $pull: { groupIds: groupId } });
    unlinked.push(...chunk.filter((id) => members.has(id)));
  }
  return unlinked;
}

/** Ends up to a thousand memberships of a group, deleted or live members alike; how many it ended. */
export async function unlinkSome(t: ScopedCollections, groupId: string): Promise<number> {
  const members = (await t.memberships.find({ group: groupId }, { projection: { _id: 0, member: 1 }, limit: 1000 }).toArray()).map((m) => m.member);
  if (members.length === 0) return 0;
  await t.memberships.deleteMany({ group: groupId, member: { $in: members } });
  await t.users.updateMany({ _id: { $in: members } }, { $pull: { groupIds: groupId } });
  return members.length;
}

/** The live members of a group with their userNames, streamed a thousand at a time. */
async function liveMembersOf(t: ScopedCollections, groupId: string): Promise<Map<string, string>> {
  const live = new Map<string, string>();
  for await (const batch of batches(t.memberships.find({ group: groupId }, { projection: { _id: 0, member: 1 } }))) {
    for (const [id, userName] of await liveUsers(t, batch.map((m) => m.member))) live.set(id, userName);
  }
  return live;
}

export interface MembershipPlan {
  readonly add: readonly string[];
  /** The live users to remove, with their userNames. */
  readonly remove: ReadonlyMap<string, string>;
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
  if (!cleared) return { add: [...adds], remove: await liveUsers(t, removes) };
  const current = await liveMembersOf(t, groupId);
  return { add: [...adds].filter((id) => !current.has(id)), remove: new Map([...current].filter(([id]) => !adds.has(id))) };
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
