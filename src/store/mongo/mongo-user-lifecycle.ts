import type { mongo } from 'mongoose';
import type { ResourceType } from '../../scim/schema/definitions';
import { foldCase } from '../../scim/values/fold-case';
import { getKey, type JsonObject } from '../../scim/values/json';
import type { PurgedUser, StoredUser, UserStore } from '../port';
import { compileFilter, type RelationResolver } from './compile-filter';
import { DELETED, LIVE, type UserDocument } from './documents';
import type { RecordChanges } from './event-append';
import { touchGroups } from './membership-writes';
import { batches, WITHOUT_Q } from './models';
import type { ScopedCollections } from './scoped-collection';

export const userNameOf = (data: JsonObject) => String(getKey(data, 'userName'));

export const toUser = (document: UserDocument): StoredUser => ({
  id: document._id,
  created: document.created,
  lastModified: document.lastModified,
  version: document.version,
  data: document.data,
  ...(document.passwordHash ? { passwordHash: document.passwordHash } : {}),
  ...(document.lastDeletedAt ? { lastDeletedAt: document.lastDeletedAt } : {}),
});

/**
 * Soft-deletes one user of the tenant if it still matches `condition`; true when it did. One
 * transaction: the user, a new version of each of its groups (their member lists change) and
 * user.deleted, which describes the user as it was.
 */
export async function softDelete(c: ScopedCollections, condition: mongo.Filter<UserDocument>, record: RecordChanges): Promise<boolean> {
  return c.transaction(async (t) => {
    const at = c.now();
    const before = await t.users.findOneAndUpdate(condition,
      { $set: { live: false, deletedAt: at, lastDeletedAt: at, lastModified: at }, $inc: { version: 1 } }, { returnDocument: 'before', projection: WITHOUT_Q });
    if (!before) return false;
    await touchGroups(t, before.groupIds ?? [], at);
    await record(t, [{ of: 'user', kind: 'deleted', before: toUser(before) }], at);
    return true;
  });
}

/**
 * A user's life after deletion, within one tenant: restore, the purge of soft-deleted users
 * and the soft delete of the users a filter selects, each user in one transaction with its
 * event. What "inactive" means is the domain's filter; this only compiles it (compile-filter.ts).
 */
export function userLifecycle(c: ScopedCollections, userType: ResourceType, relations: RelationResolver, record: RecordChanges): Pick<UserStore, 'restore' | 'purgeDeleted' | 'softDeleteWhere'> {
  /**
   * Erases one soft-deleted user with its tokens and memberships, if it is still deleted before
   * `before`, recording user.erased (its tokens and memberships go with it, unrecorded); true
   * when it did.
   */
  const erase = (user: PurgedUser, old: mongo.Filter<UserDocument>) => c.transaction(async (t) => {
    if ((await t.users.deleteOne({ _id: user.id, ...old })).deletedCount === 0) return false;
    await t.tokens.deleteMany({ userId: user.id });
    await t.memberships.deleteMany({ member: user.id });
    await record(t, [{ of: 'user', kind: 'erased', user }], c.now());
    return true;
  });

  return {
    async restore(key) {
      const condition: mongo.Filter<UserDocument> = 'id' in key
        ? { _id: key.id, deletedAt: DELETED }
        : { userNameKey: foldCase(key.userName), deletedAt: DELETED };
      return c.transaction(async (t) => {
        const deleted = await t.users.findOne(condition, { projection: { _id: 1, deletedAt: 1, lastDeletedAt: 1 } });
        if (!deleted) return undefined;
        // A user deleted before lastDeletedAt was kept has only deletedAt: that time retires its
        // old tokens all the same (tokenIsCurrent).
        const at = c.now();
        const lastDeletedAt = deleted.lastDeletedAt ?? deleted.deletedAt;
        const restored = await t.users.findOneAndUpdate({ _id: deleted._id, deletedAt: deleted.deletedAt },
          { $set: { live: true, deletedAt: null, lastDeletedAt, lastModified: at }, $inc: { version: 1 } }, { returnDocument: 'after', projection: WITHOUT_Q });
        if (!restored) return undefined;
        await touchGroups(t, restored.groupIds ?? [], at);
        const after = toUser(restored);
        await record(t, [{ of: 'user', kind: 'restored', after }], at);
        return after;
      });
    },

    /**
     * Each user its own short transaction (every await lets other requests in); `limit` bounds
     * how many one call erases, oldest first through tenant_deleted.
     */
    async purgeDeleted(before, limit) {
      // (MongoDB reads a limit of 0 as none.)
      if (limit === 0) return [];
      const old: mongo.Filter<UserDocument> = { deletedAt: { $type: 'string', $lt: before } };
      const found = c.users.find(old, { projection: { _id: 1, data: 1 }, ...(limit === undefined ? {} : { sort: { deletedAt: 1 }, limit }) });
      const erased: PurgedUser[] = [];
      for await (const batch of batches(found)) {
        for (const user of batch) {
          // Conditional again, inside the transaction: a user restored since the find is not erased.
          // (A deleted user cannot be changed, so its userName is still the one found.)
          const purged = { id: user._id, userName: userNameOf(user.data) };
          if (await erase(purged, old)) erased.push(purged);
        }
      }
      return erased;
    },

    /**
     * The filter is answered by the users' indexes (the inactivity sweep's by tenant_inactive),
     * so a call reads about as many users as it deletes: at most `limit`.
     */
    async softDeleteWhere(filter, limit) {
      if (limit === 0) return [];
      const selected: mongo.Filter<UserDocument> = { $and: [LIVE, await compileFilter(userType, filter, relations)] };
      const found = c.users.find(selected, { projection: { _id: 1, data: 1 }, ...(limit === undefined ? {} : { limit }) });
      const deleted: PurgedUser[] = [];
      for await (const batch of batches(found)) {
        for (const user of batch) {
          // Conditional again: a user changed or deleted since the find so that it no longer matches is left alone.
          if (await softDelete(c, { _id: user._id, ...selected }, record)) deleted.push({ id: user._id, userName: userNameOf(user.data) });
        }
      }
      return deleted;
    },
  };
}
