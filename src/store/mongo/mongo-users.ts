import { randomUUID } from 'node:crypto';
import type { mongo } from 'mongoose';
import type { ResourceType } from '../../scim/schema/definitions';
import { groupPermissions } from '../../scim/filter/effective-permissions';
import { foldCase } from '../../scim/values/fold-case';
import { getKey, type JsonObject } from '../../scim/values/json';
import type { BatchResult, ExpectedVersion, GroupRef, StoredUser, UpdateResult, UserStore, UserWrite } from '../port';
import { UniquenessViolation } from '../port';
import { compileFilter, type RelationResolver } from './compile-filter';
import { compileSort, cursorPage } from './compile-sort';
import { DELETED, LIVE, type UserDocument } from './documents';
import { chunks, listPage, WITHOUT_Q } from './models';
import { storedCount } from './resource-counts';
import type { RecordChanges } from './event-append';
import { isDuplicateKey } from './mongo-errors';
import { mongoDeletedUsers } from './mongo-deleted-users';
import { softDelete, toUser, userLifecycle, userNameOf } from './mongo-user-lifecycle';
import { queryDocument } from './query-document';
import type { ScopedCollections } from './scoped-collection';

/**
 * One tenant's users in `users` (documents.ts). Every write is one transaction with its events
 * (`record`, event-append.ts). A create inserts one document; an update reads the user and
 * writes it with one conditional findOneAndUpdate on {tenantId, _id, live, version} with $inc of
 * the version, so across any number of Roster instances a stale writer gets versionMismatch and
 * never overwrites. Deleting and restoring also change the user's groups (mongo-user-lifecycle.ts).
 * The unique index on {tenantId, userNameKey} (deleted users keep theirs) refuses a userName
 * taken in the tenant, in any case.
 */
export function mongoUsers(c: ScopedCollections, userType: ResourceType, relations: RelationResolver, record: RecordChanges): UserStore {
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

  return {
    ...userLifecycle(c, userType, relations, record),
    listDeleted: mongoDeletedUsers(c, userType, relations),

    /**
     * One create (one transaction) after another: each user's result and events exactly as
     * `create` gives them. One transaction for the batch would save round trips, but a failed
     * insert aborts a MongoDB transaction as a whole (there are no savepoints), so a taken
     * userName would cost the batch a retry without it; imports to MongoDB are bounded by
     * the round trips, not by commits as on SQLite.
     */
    async createMany(writes) {
      const results: BatchResult<StoredUser>[] = [];
      for (const write of writes) results.push(await this.create(write).then((created) => ({ created }), (failed: unknown) => ({ failed })));
      return results;
    },

    async create(write: UserWrite) {
      const id = randomUUID();
      try {
        return await c.transaction(async (t) => {
          const at = c.now();
          const document = {
            _id: id,
            version: 1,
            created: at,
            lastModified: at,
            live: true,
            deletedAt: null,
            groupIds: [],
            passwordHash: write.passwordHash ?? null,
            ...derived(write.data),
          };
          await t.users.insertOne(document);
          const created = toUser({ ...document, tenantId: c.tenantId, data: structuredClone(write.data) });
          await record(t, [{ of: 'user', kind: 'created', after: created, passwordSet: write.passwordHash !== undefined }], at);
          return created;
        });
      } catch (error) {
        // The transaction wrote nothing: only a taken userName is the client's.
        throw await uniqueness(error, write.data);
      }
    },

    async get(id) {
      const document = await c.users.findOne({ _id: id, ...LIVE }, { projection: WITHOUT_Q });
      return document ? toUser(document) : undefined;
    },

    /** The user before is read in the transaction, and the write is conditional on its version: a concurrent writer conflicts. */
    async update(id, expected, write) {
      let result: UpdateResult<StoredUser> | undefined;
      try {
        result = await c.transaction(async (t) => {
          const before = await t.users.findOne(conditionOn(id, expected), { projection: WITHOUT_Q });
          if (!before) return undefined;
          const at = c.now();
          const set = { ...derived(write.data), lastModified: at, ...(write.passwordHash === undefined ? {} : { passwordHash: write.passwordHash }) };
          const updated = await t.users.findOneAndUpdate({ _id: id, ...LIVE, version: before.version }, { $set: set, $inc: { version: 1 } }, { returnDocument: 'after', projection: WITHOUT_Q });
          // In a snapshot transaction a concurrent writer conflicts (and this runs again) rather than slipping in.
          if (!updated) return undefined;
          const after = toUser(updated);
          await record(t, [{ of: 'user', kind: 'updated', before: toUser(before), after, passwordChanged: write.passwordHash !== undefined }], at);
          return { status: 'updated', resource: after };
        });
      } catch (error) {
        throw await uniqueness(error, write.data);
      }
      return result ?? missed(id, expected);
    },

    async delete(id, expected) {
      if (!(await softDelete(c, conditionOn(id, expected), record))) return missed(id, expected);
      return { status: 'updated', resource: null };
    },

    async list(query) {
      const filter = query.filter ? await compileFilter(userType, query.filter, relations) : undefined;
      const match = (filter ? { $and: [LIVE, filter] } : LIVE) as mongo.Filter<UserDocument>;
      const page = query.after ? cursorPage : listPage;
      // Unfiltered: the total kept with every write (resource-counts.ts), not a count of the tenant's users.
      const storedTotal = filter ? undefined : () => storedCount(c.eventSequences, 'users');
      return page(c.users, match, query, () => compileSort(userType, query.sort), toUser, storedTotal);
    },

    /**
     * Each user's groups (its groupIds), ordered by display name as they are rendered, with the
     * permissions each grants (read from the group's attributes); one `$in` per thousand ids.
     */
    async groupsOf(userIds) {
      const groupIdsOf = new Map<string, string[]>(userIds.map((id) => [id, []]));
      for (const chunk of chunks(new Set(userIds))) {
        for await (const user of c.users.find({ _id: { $in: chunk } }, { projection: { _id: 1, groupIds: 1 } })) {
          groupIdsOf.set(user._id, [...(user.groupIds ?? [])]);
        }
      }
      const groups = new Map<string, { ref: GroupRef; key: string }>();
      for (const chunk of chunks(new Set([...groupIdsOf.values()].flat()))) {
        for await (const g of c.groups.find({ _id: { $in: chunk } }, { projection: { _id: 1, displayNameKey: 1, data: 1 } })) {
          const permissions = groupPermissions(g.data);
          const ref: GroupRef = { id: g._id, displayName: String(getKey(g.data, 'displayName')), ...(permissions.length ? { permissions } : {}) };
          groups.set(g._id, { ref, key: g.displayNameKey });
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
