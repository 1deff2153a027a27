import type { mongo } from 'mongoose';
import type { RelationResolver } from './compile-filter';
import type { GroupDocument, UserDocument } from './documents';
import { batches, chunks } from './models';
import type { ScopedCollections } from './scoped-collection';

/** A user is live while deletedAt is null or absent; soft-deleted users hold the time as a string. */
export const LIVE = { deletedAt: null } as const;

/**
 * The ids among `ids` of users of this tenant that exist and are not deleted, one `$in` per
 * thousand: an id of another tenant's user is not among them.
 */
export async function liveUserIds(c: ScopedCollections, ids: Iterable<string>): Promise<Set<string>> {
  const live = new Set<string>();
  for (const chunk of chunks(new Set(ids))) {
    for await (const user of c.users.find({ _id: { $in: chunk }, ...LIVE }, { projection: { _id: 1 } })) live.add(user._id);
  }
  return live;
}

/**
 * A group's member list is part of the group: a member who is deleted or restored makes a new
 * version of each group the user is in. Run after the user's own write, so a reader that sees
 * the new group version also sees the member gone (or back).
 */
export async function touchGroupsOf(c: ScopedCollections, userId: string, at: string): Promise<void> {
  for await (const batch of batches(c.memberships.find({ member: userId }, { projection: { _id: 0, group: 1 } }))) {
    await c.groups.updateMany({ _id: { $in: batch.map((m) => m.group) } }, { $set: { lastModified: at }, $inc: { version: 1 } });
  }
}

/**
 * The membership questions of compiled filters (compile-filter.ts), within one tenant. Deleted
 * users are never members; the answers stream through the memberships in batches.
 */
export function relationResolver(c: ScopedCollections): RelationResolver {
  return {
    async groupsWithMember(userId) {
      if ((await liveUserIds(c, [userId])).size === 0) return [];
      const groups: string[] = [];
      for await (const m of c.memberships.find({ member: userId }, { projection: { _id: 0, group: 1 } })) groups.push(m.group);
      return groups;
    },

    async membersOfGroup(groupId) {
      // Memberships left behind by a group deleted mid-write name no one.
      if ((await c.groups.countDocuments({ _id: groupId }, { limit: 1 })) === 0) return [];
      const members: string[] = [];
      for await (const batch of batches(c.memberships.find({ group: groupId }, { projection: { _id: 0, member: 1 } }))) {
        const live = await liveUserIds(c, batch.map((m) => m.member));
        for (const m of batch) if (live.has(m.member)) members.push(m.member);
      }
      return members;
    },

    async membersOfGroupsMatching(groupQuery) {
      const members = new Set<string>();
      for await (const groups of batches(c.groups.find(groupQuery as mongo.Filter<GroupDocument>, { projection: { _id: 1 } }))) {
        const ids = groups.map((g) => g._id);
        for await (const batch of batches(c.memberships.find({ group: { $in: ids } }, { projection: { _id: 0, member: 1 } }))) {
          const candidates = batch.map((m) => m.member).filter((id) => !members.has(id));
          for (const id of await liveUserIds(c, candidates)) members.add(id);
        }
      }
      return [...members];
    },

    async groupsWithMembersMatching(userQuery) {
      const groups = new Set<string>();
      for await (const users of batches(c.users.find(userQuery as mongo.Filter<UserDocument>, { projection: { _id: 1 } }))) {
        const ids = users.map((u) => u._id);
        for await (const m of c.memberships.find({ member: { $in: ids } }, { projection: { _id: 0, group: 1 } })) groups.add(m.group);
      }
      return [...groups];
    },
  };
}
