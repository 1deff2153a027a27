import type { mongo } from 'mongoose';
import type { RelationResolver } from './compile-filter';
import { LIVE, type GroupDocument } from './documents';
import type { ScopedCollections } from './scoped-collection';

/**
 * The membership look-ups of compiled filters (relation-filter.ts), within one tenant: reads of
 * groups and of users' groupIds, each bounded by its `limit` or by one document. Never of
 * `memberships`, whose size is a group's size.
 */
export function relationResolver(c: ScopedCollections): RelationResolver {
  return {
    async groupExists(groupId) {
      return (await c.groups.findOne({ _id: groupId }, { projection: { _id: 1 } })) !== null;
    },

    async groupIdsOfUser(userId) {
      const user = await c.users.findOne({ _id: userId, ...LIVE }, { projection: { _id: 0, groupIds: 1 } });
      return user?.groupIds ?? [];
    },

    async groupsMatching(groupQuery, limit) {
      const groups = await c.groups.find(groupQuery as mongo.Filter<GroupDocument>, { projection: { _id: 1 }, limit }).toArray();
      return groups.map((group) => group._id);
    },

    /** One aggregation: the matching users' groupIds, unwound and grouped, the first `limit` distinct ids. */
    async groupIdsOfUsersMatching(userQuery, limit) {
      const pipeline = [{ $match: userQuery }, { $project: { _id: 0, groupIds: 1 } }, { $unwind: '$groupIds' }, { $group: { _id: '$groupIds' } }, { $limit: limit }];
      const groups = await c.users.aggregate<{ _id: string }>(pipeline, { allowDiskUse: true }).toArray();
      return groups.map((group) => group._id);
    },
  };
}
