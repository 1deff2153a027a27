import { randomUUID } from 'node:crypto';
import type { mongo } from 'mongoose';
import type { ResourceType } from '../../scim/schema/definitions';
import { foldCase } from '../../scim/values/fold-case';
import { getKey, type JsonObject } from '../../scim/values/json';
import type { ExpectedVersion, GroupRef, PurgedUser, StoredUser, UpdateResult, UserKey, UserStore, UserWrite } from '../port';
import { UniquenessViolation } from '../port';
import { compileFilter, type RelationResolver } from './compile-filter';
import { compileSort, cursorPage } from './compile-sort';
import type { GroupDocument, UserDocument } from './documents';
import { batches, chunks, listPage, WITHOUT_Q, type Collections } from './models';
import { isDuplicateKey } from './mongo-errors';
import { queryDocument } from './query-document';

/** Where the Account extension keeps the lifecycle (schemas/roster-account.json). */
const ACCOUNT = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Account';

const now = () => new Date().toISOString();

/** A user is live while deletedAt is null or absent; soft-deleted users hold the time as a string. */
const LIVE = { deletedAt: null } as const;
const DELETED = { $type: 'string' } as const;

const toUser = (document: UserDocument): StoredUser => ({
  id: document._id,
  created: document.created,
  lastModified: document.lastModified,
  version: document.version,
  data: document.data,
  ...(document.passwordHash ? { passwordHash: document.passwordHash } : {}),
  ...(document.lastDeletedAt ? { lastDeletedAt: document.lastDeletedAt } : {}),
});

const userNameOf = (data: JsonObject) => String(getKey(data, 'userName'));

/**
 * `data.<ACCOUNT>.<name>` as an aggregation expression. The URN key contains dots ("2.0"), so
 * no dotted path can name it: $getField reads the key as written (MongoDB 5.0+). A value that
 * is not an object reads as null instead of failing the whole query.
 */
function accountField(name: string): unknown {
  const account = { $getField: { field: ACCOUNT, input: '$data' } };
  return { $cond: [{ $eq: [{ $type: account }, 'object'] }, { $getField: { field: name, input: account } }, null] };
}

/** Users whose account has been Inactive since before `before`: status "Inactive", deactivatedAt a string older than it. */
function inactiveSince(before: string): mongo.Filter<UserDocument> {
  const deactivatedAt = accountField('deactivatedAt');
  return {
    $expr: {
      $and: [
        { $eq: [accountField('status'), 'Inactive'] },
        // Aggregation comparison orders null below every string: demand a string first.
        { $eq: [{ $type: deactivatedAt }, 'string'] },
        { $lt: [deactivatedAt, before] },
      ],
    },
  };
}

/** The ids among `ids` of users that exist and are not deleted, one `$in` per thousand. */
export async function liveUserIds(c: Collections, ids: Iterable<string>): Promise<Set<string>> {
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
export async function touchGroupsOf(c: Collections, userId: string, at: string): Promise<void> {
  for await (const batch of batches(c.memberships.find({ member: userId }, { projection: { _id: 0, group: 1 } }))) {
    await c.groups.updateMany({ _id: { $in: batch.map((m) => m.group) } }, { $set: { lastModified: at }, $inc: { version: 1 } });
  }
}

/**
 * The membership questions of compiled filters (compile-filter.ts). Deleted users are never
 * members; the answers stream through the memberships in batches.
 */
export function relationResolver(c: Collections): RelationResolver {
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

/**
 * Users in `users` (documents.ts). Every update is one conditional findOneAndUpdate on
 * {_id, version, deletedAt: null} with $inc of the version: across any number of Roster
 * instances, a stale writer gets versionMismatch and never overwrites. The unique index on
 * userNameKey (deleted users keep theirs) refuses a taken userName, in any case.
 */
export function mongoUsers(c: Collections, userType: ResourceType, relations: RelationResolver): UserStore {
  /** The fields derived from the attributes on every write. */
  const derived = (data: JsonObject) => ({ userNameKey: foldCase(userNameOf(data)), data, q: queryDocument(userType, data) });

  /** A duplicate userNameKey as UniquenessViolation, saying whether a deleted user holds the name. */
  const uniqueness = async (error: unknown, data: JsonObject): Promise<unknown> => {
    if (!isDuplicateKey(error, 'userNameKey')) return error;
    const userName = userNameOf(data);
    const holder = await c.users.findOne({ userNameKey: foldCase(userName), deletedAt: DELETED }, { projection: { _id: 1 } });
    return new UniquenessViolation('userName', userName, holder !== null);
  };

  /** Why a conditional write matched nothing: no live user, or another version. */
  const missed = async (id: string, expected: ExpectedVersion): Promise<UpdateResult<never>> => {
    const current = await c.users.findOne({ _id: id, ...LIVE }, { projection: { version: 1 } });
    if (!current || expected === undefined) return { status: 'notFound' };
    return { status: 'versionMismatch', current: current.version };
  };

  const conditionOn = (id: string, expected: ExpectedVersion): mongo.Filter<UserDocument> =>
    ({ _id: id, ...LIVE, ...(expected === undefined ? {} : { version: expected }) });

  /** Soft-deletes one user if it still matches `condition`; true when it did. */
  const softDelete = async (condition: mongo.Filter<UserDocument>): Promise<boolean> => {
    const at = now();
    const deleted = await c.users.findOneAndUpdate(condition, { $set: { deletedAt: at, lastDeletedAt: at, lastModified: at }, $inc: { version: 1 } }, { projection: { _id: 1 } });
    if (!deleted) return false;
    await touchGroupsOf(c, deleted._id, at);
    return true;
  };

  return {
    async create(write: UserWrite) {
      const at = now();
      const document: UserDocument = {
        _id: randomUUID(),
        version: 1,
        created: at,
        lastModified: at,
        deletedAt: null,
        passwordHash: write.passwordHash ?? null,
        ...derived(write.data),
      };
      try {
        await c.users.insertOne(document);
      } catch (error) {
        throw await uniqueness(error, write.data);
      }
      return toUser({ ...document, data: structuredClone(write.data) });
    },

    async get(id) {
      const document = await c.users.findOne({ _id: id, ...LIVE }, { projection: WITHOUT_Q });
      return document ? toUser(document) : undefined;
    },

    async update(id, expected, write) {
      const set = { ...derived(write.data), lastModified: now(), ...(write.passwordHash === undefined ? {} : { passwordHash: write.passwordHash }) };
      let updated: UserDocument | null;
      try {
        updated = await c.users.findOneAndUpdate(conditionOn(id, expected), { $set: set, $inc: { version: 1 } }, { returnDocument: 'after', projection: WITHOUT_Q });
      } catch (error) {
        throw await uniqueness(error, write.data);
      }
      if (!updated) return missed(id, expected);
      return { status: 'updated', resource: toUser(updated) };
    },

    async delete(id, expected) {
      if (!(await softDelete(conditionOn(id, expected)))) return missed(id, expected);
      return { status: 'updated', resource: null };
    },

    async restore(key: UserKey) {
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

    async deleteInactive(before) {
      const inactive: mongo.Filter<UserDocument> = { ...LIVE, ...inactiveSince(before) };
      const deleted: PurgedUser[] = [];
      for await (const batch of batches(c.users.find(inactive, { projection: { _id: 1, data: 1 } }))) {
        for (const user of batch) {
          // Conditional again: a user reactivated or deleted since the find is left alone.
          if (await softDelete({ _id: user._id, ...inactive })) deleted.push({ id: user._id, userName: userNameOf(user.data) });
        }
      }
      return deleted;
    },

    async list(query) {
      const filter = query.filter ? await compileFilter(userType, query.filter, relations) : undefined;
      const match = (filter ? { $and: [LIVE, filter] } : LIVE) as mongo.Filter<UserDocument>;
      const page = query.after ? cursorPage : listPage;
      return page(c.users, match, query, () => compileSort(userType, query.sort), toUser);
    },

    /** Each user's groups, ordered by display name as they are rendered; one `$in` per thousand ids. */
    async groupsOf(userIds) {
      const groupIdsOf = new Map<string, string[]>(userIds.map((id) => [id, []]));
      for (const chunk of chunks(new Set(userIds))) {
        for await (const m of c.memberships.find({ member: { $in: chunk } }, { projection: { _id: 0, group: 1, member: 1 } })) {
          groupIdsOf.get(m.member)!.push(m.group);
        }
      }
      const groups = new Map<string, { ref: GroupRef; key: string }>();
      for (const chunk of chunks(new Set([...groupIdsOf.values()].flat()))) {
        for await (const g of c.groups.find({ _id: { $in: chunk } }, { projection: { _id: 1, displayNameKey: 1, data: 1 } })) {
          groups.set(g._id, { ref: { id: g._id, displayName: String(getKey(g.data, 'displayName')) }, key: g.displayNameKey });
        }
      }
      const byName = (a: { ref: GroupRef; key: string }, b: { ref: GroupRef; key: string }) =>
        a.key < b.key ? -1 : a.key > b.key ? 1 : a.ref.id < b.ref.id ? -1 : a.ref.id > b.ref.id ? 1 : 0;
      const result = new Map<string, readonly GroupRef[]>();
      for (const [userId, groupIds] of groupIdsOf) {
        // A membership whose group is gone (deleted while the membership was being added) is skipped.
        const found = groupIds.map((id) => groups.get(id)).filter((g) => g !== undefined);
        result.set(userId, found.sort(byName).map((g) => g.ref));
      }
      return result;
    },
  };
}
