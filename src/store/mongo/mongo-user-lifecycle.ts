import type { mongo } from 'mongoose';
import type { ResourceType } from '../../scim/schema/definitions';
import { foldCase } from '../../scim/values/fold-case';
import { getKey, type JsonObject } from '../../scim/values/json';
import type { PurgedUser, StoredUser, UserStore } from '../port';
import { compileFilter, type RelationResolver } from './compile-filter';
import type { UserDocument } from './documents';
import { batches, WITHOUT_Q } from './models';
import { LIVE, touchGroupsOf } from './mongo-relations';
import type { ScopedCollections } from './scoped-collection';

/** Soft-deleted users hold the time of their deletion as a string. */
export const DELETED = { $type: 'string' } as const;

export const now = () => new Date().toISOString();

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

/** Soft-deletes one user of the tenant if it still matches `condition`; true when it did. */
export async function softDelete(c: ScopedCollections, condition: mongo.Filter<UserDocument>): Promise<boolean> {
  const at = now();
  const deleted = await c.users.findOneAndUpdate(condition, { $set: { deletedAt: at, lastDeletedAt: at, lastModified: at }, $inc: { version: 1 } }, { projection: { _id: 1 } });
  if (!deleted) return false;
  await touchGroupsOf(c, deleted._id, at);
  return true;
}

/**
 * A user's life after deletion, within one tenant: restore, the purge of soft-deleted users
 * and the soft delete of the users a filter selects. What "inactive" means is the domain's
 * filter; this only compiles it (compile-filter.ts).
 */
export function userLifecycle(c: ScopedCollections, userType: ResourceType, relations: RelationResolver): Pick<UserStore, 'restore' | 'purgeDeleted' | 'softDeleteWhere'> {
  return {
    async restore(key) {
      const condition: mongo.Filter<UserDocument> = 'id' in key
        ? { _id: key.id, deletedAt: DELETED }
        : { userNameKey: foldCase(key.userName), deletedAt: DELETED };
      const at = now();
      const deleted = await c.users.findOne(condition, { projection: { _id: 1, deletedAt: 1, lastDeletedAt: 1 } });
      if (!deleted) return undefined;
      // A user deleted before lastDeletedAt was kept has only deletedAt: that time retires its
      // old tokens all the same (tokenIsCurrent). Conditional on this very deletion.
      const lastDeletedAt = deleted.lastDeletedAt ?? deleted.deletedAt;
      const restored = await c.users.findOneAndUpdate({ _id: deleted._id, deletedAt: deleted.deletedAt },
        { $set: { deletedAt: null, lastDeletedAt, lastModified: at }, $inc: { version: 1 } }, { returnDocument: 'after', projection: WITHOUT_Q });
      if (!restored) return undefined;
      await touchGroupsOf(c, restored._id, at);
      return toUser(restored);
    },

    async purgeDeleted(before) {
      const old: mongo.Filter<UserDocument> = { deletedAt: { $type: 'string', $lt: before } };
      const erased: PurgedUser[] = [];
      for await (const batch of batches(c.users.find(old, { projection: { _id: 1, data: 1 } }))) {
        const ids: string[] = [];
        for (const user of batch) {
          // Conditional again: a user restored since the find is not erased.
          const { deletedCount } = await c.users.deleteOne({ _id: user._id, ...old });
          if (deletedCount === 0) continue;
          ids.push(user._id);
          erased.push({ id: user._id, userName: userNameOf(user.data) });
        }
        if (ids.length === 0) continue;
        // After the user: should this stop half-way, what is left is unreachable (every read joins the user).
        await c.tokens.deleteMany({ userId: { $in: ids } });
        await c.memberships.deleteMany({ member: { $in: ids } });
      }
      return erased;
    },

    async softDeleteWhere(filter) {
      const selected: mongo.Filter<UserDocument> = { $and: [LIVE, await compileFilter(userType, filter, relations)] };
      const deleted: PurgedUser[] = [];
      for await (const batch of batches(c.users.find(selected, { projection: { _id: 1, data: 1 } }))) {
        for (const user of batch) {
          // Conditional again: a user changed or deleted since the find so that it no longer matches is left alone.
          if (await softDelete(c, { _id: user._id, ...selected })) deleted.push({ id: user._id, userName: userNameOf(user.data) });
        }
      }
      return deleted;
    },
  };
}
