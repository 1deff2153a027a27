import { randomUUID } from 'node:crypto';
import type { mongo } from 'mongoose';
import type { ResourceType } from '../../scim/schema/definitions';
import { foldCase } from '../../scim/values/fold-case';
import { getKey, type JsonObject } from '../../scim/values/json';
import type { ExpectedVersion, GroupStore, GroupWrite, MemberChange, MemberRef, StoredGroup, UpdateResult } from '../port';
import { UniquenessViolation, UnknownMembers } from '../port';
import { compileFilter, type RelationResolver } from './compile-filter';
import { compileSort, cursorPage } from './compile-sort';
import type { GroupDocument } from './documents';
import { batches, BATCH, chunks, listPage, WITHOUT_Q } from './models';
import { isDuplicateKey, onlyDuplicateKeys } from './mongo-errors';
import { liveUserIds } from './mongo-relations';
import { queryDocument } from './query-document';
import type { ScopedCollections } from './scoped-collection';

const now = () => new Date().toISOString();

const toGroup = (document: Omit<GroupDocument, 'tenantId'>): StoredGroup => ({
  id: document._id,
  created: document.created,
  lastModified: document.lastModified,
  version: document.version,
  data: document.data,
});

const displayNameOf = (data: JsonObject) => String(getKey(data, 'displayName'));
const displayNameTaken = (data: JsonObject) => new UniquenessViolation('displayName', displayNameOf(data));

/** The ids of add changes that are not live users, per change, in the order written (as SQLite reports them). */
function unknownIn(changes: readonly MemberChange[], live: ReadonlySet<string>): string[] | undefined {
  for (const change of changes) {
    if (change.op !== 'add') continue;
    const unknown = change.ids.filter((id) => !live.has(id));
    if (unknown.length) return unknown;
  }
  return undefined;
}

/**
 * One tenant's groups in `groups`, members in `memberships`: one small document per (group,
 * member), never an array in the group, so a million-member group costs one upsert per added
 * member and nothing for a request that does not render members.
 *
 * No multi-document transactions. A write is a sequence of atomic single-document operations:
 *   1. the checks that need no write (the group exists at the expected version; every id to add
 *      is a live user: one find with $in, so UnknownMembers leaves everything as it was),
 *   2. when attributes change or a version is expected, one conditional findOneAndUpdate on
 *      {_id, version} that sets the attributes and bumps the version (a stale writer stops here
 *      with versionMismatch, a taken displayName with UniquenessViolation, nothing written),
 *   3. each membership change as set operations (upserts, deleteMany), each followed by an
 *      $inc of the group's version: a reader who sees the new members also sees, at the latest
 *      right after, a version that differs from the one before them.
 * Two concurrent member changes never lose each other's members. A user deleted between the
 * check of step 1 and the upsert of step 3 can still be added (the check cannot hold off a
 * concurrent delete): that membership is then hidden, exactly like the memberships of any deleted
 * user, until a restore or the purge. Should the database be lost part-way, the steps already
 * done stay done, each consistent on its own; the client gets a 503 and may send the write again
 * (membership changes are idempotent set operations).
 *
 * Every query is the tenant's (scoped-collection.ts): a member id of another tenant is not a
 * live user here, so adding it is UnknownMembers and it is never linked.
 */
export function mongoGroups(c: ScopedCollections, groupType: ResourceType, relations: RelationResolver): GroupStore {
  const derived = (data: JsonObject) => ({ displayNameKey: foldCase(displayNameOf(data)), data, q: queryDocument(groupType, data) });

  const uniqueness = (error: unknown, data: JsonObject | undefined): unknown =>
    data && isDuplicateKey(error, 'displayNameKey') ? displayNameTaken(data) : error;

  /** Throws UnknownMembers before anything is written. */
  const checkMembers = async (changes: readonly MemberChange[]) => {
    const adding = changes.flatMap((change) => (change.op === 'add' ? change.ids : []));
    if (adding.length === 0) return;
    const unknown = unknownIn(changes, await liveUserIds(c, adding));
    if (unknown) throw new UnknownMembers(unknown);
  };

  /** Why a conditional write matched nothing: no such group, or another version. */
  const missed = async (id: string, expected: ExpectedVersion): Promise<UpdateResult<never>> => {
    const current = await c.groups.findOne({ _id: id }, { projection: { version: 1 } });
    if (!current || expected === undefined) return { status: 'notFound' };
    return { status: 'versionMismatch', current: current.version };
  };

  /**
   * Each id as one atomic upsert of its (group, member) document, a thousand to a round trip
   * (unordered bulk write). Two instances adding the same member at once can both try the
   * insert; the unique index lets one win and the other's E11000 means "already a member".
   */
  const addMembers = async (groupId: string, ids: readonly string[]) => {
    for (const chunk of chunks(new Set(ids))) {
      const upserts = chunk.map((member) => ({ filter: { group: groupId, member }, update: { $setOnInsert: { group: groupId, member } } }));
      try {
        await c.memberships.upsertMany(upserts);
      } catch (error) {
        if (!onlyDuplicateKeys(error)) throw error;
      }
    }
  };

  /**
   * Removes live users only. A soft-deleted user's membership is hidden, not gone: a client that
   * cannot see it cannot remove it (a PUT of the member list, a remove of all members), and a
   * restore brings it back (as in the SQLite adapter).
   */
  const removeMembers = async (groupId: string, ids: Iterable<string>) => {
    const live = await liveUserIds(c, ids);
    for (const chunk of chunks(live)) await c.memberships.deleteMany({ group: groupId, member: { $in: chunk } });
  };

  const removeAllMembers = async (groupId: string) => {
    for await (const batch of batches(c.memberships.find({ group: groupId }, { projection: { _id: 0, member: 1 } }))) {
      await removeMembers(groupId, batch.map((m) => m.member));
    }
  };

  const applyChange = (groupId: string, change: MemberChange): Promise<void> => {
    switch (change.op) {
      case 'add': return addMembers(groupId, change.ids);
      case 'remove': return removeMembers(groupId, change.ids);
      case 'removeAll': return removeAllMembers(groupId);
    }
  };

  const bump = (groupId: string, set: Record<string, unknown>, condition: mongo.Filter<GroupDocument> = {}) =>
    c.groups.findOneAndUpdate({ ...condition, _id: groupId }, { $set: { ...set, lastModified: now() }, $inc: { version: 1 } }, { returnDocument: 'after', projection: WITHOUT_Q });

  /** Display names of live users, `BATCH` ids per query: a member is shown by displayName, else userName. */
  const members = async (ids: readonly string[]) => {
    const found = new Map<string, { ref: MemberRef; created: string }>();
    for (const chunk of chunks(new Set(ids))) {
      const cursor = c.users.find({ _id: { $in: chunk }, deletedAt: null }, { projection: { _id: 1, created: 1, 'data.displayName': 1, 'data.userName': 1 } });
      for await (const user of cursor) {
        const displayName = user.data?.displayName;
        const display = displayName === undefined || displayName === null ? user.data?.userName : displayName;
        found.set(user._id, { ref: { id: user._id, ...(typeof display === 'string' && display !== '' ? { display } : {}) }, created: user.created });
      }
    }
    return found;
  };

  return {
    async create(data, memberIds) {
      const live = await liveUserIds(c, memberIds);
      const unknown = memberIds.filter((id) => !live.has(id));
      if (unknown.length) throw new UnknownMembers(unknown);
      const at = now();
      const document = { _id: randomUUID(), version: 1, created: at, lastModified: at, ...derived(data) };
      // A cheap early answer; the unique index below is what decides.
      if (await c.groups.findOne({ displayNameKey: document.displayNameKey }, { projection: { _id: 1 } })) throw displayNameTaken(data);
      // Members first: until the group document exists nothing reads them (every read starts from
      // the group, or joins it), so no one sees the group without its members or at another version.
      await addMembers(document._id, memberIds);
      try {
        await c.groups.insertOne(document);
      } catch (error) {
        await c.memberships.deleteMany({ group: document._id }).catch(() => undefined);
        throw uniqueness(error, data);
      }
      return toGroup({ ...document, data: structuredClone(data) });
    },

    async get(id) {
      const document = await c.groups.findOne({ _id: id }, { projection: WITHOUT_Q });
      return document ? toGroup(document) : undefined;
    },

    async update(id, expected, write: GroupWrite) {
      const changes = write.memberChanges ?? [];
      const current = await c.groups.findOne({ _id: id }, { projection: { version: 1 } });
      if (!current) return { status: 'notFound' };
      if (expected !== undefined && current.version !== expected) return { status: 'versionMismatch', current: current.version };
      await checkMembers(changes);

      let latest: GroupDocument | null = null;
      if (write.data !== undefined || expected !== undefined || changes.length === 0) {
        try {
          latest = await bump(id, write.data === undefined ? {} : derived(write.data), expected === undefined ? {} : { version: expected });
        } catch (error) {
          throw uniqueness(error, write.data);
        }
        if (!latest) return missed(id, expected);
      }
      for (const change of changes) {
        await applyChange(id, change);
        latest = await bump(id, {});
        if (!latest) {
          // The group was deleted meanwhile: drop what this write may have added after its memberships went.
          await c.memberships.deleteMany({ group: id });
          return { status: 'notFound' };
        }
      }
      return { status: 'updated', resource: toGroup(latest!) };
    },

    async delete(id, expected) {
      const { deletedCount } = await c.groups.deleteOne({ _id: id, ...(expected === undefined ? {} : { version: expected }) });
      if (deletedCount === 0) return missed(id, expected);
      await c.memberships.deleteMany({ group: id });
      return { status: 'updated', resource: null };
    },

    async list(query) {
      const match = (query.filter ? await compileFilter(groupType, query.filter, relations) : {}) as mongo.Filter<GroupDocument>;
      const page = query.after ? cursorPage : listPage;
      return page(c.groups, match, query, () => compileSort(groupType, query.sort), toGroup);
    },

    /**
     * Each group's live members, streamed from a cursor over its memberships and joined to the
     * users `BATCH` at a time, in the order they were created (the order SQLite renders them in).
     */
    async membersOf(groupIds) {
      const result = new Map<string, MemberRef[]>(groupIds.map((id) => [id, []]));
      for (const chunk of chunks(new Set(groupIds))) {
        const entries = new Map<string, { ref: MemberRef; created: string }[]>(chunk.map((id) => [id, []]));
        const cursor = c.memberships.find({ group: { $in: chunk } }, { projection: { _id: 0, group: 1, member: 1 }, batchSize: BATCH });
        for await (const batch of batches(cursor)) {
          const users = await members(batch.map((m) => m.member));
          for (const m of batch) {
            const user = users.get(m.member);
            if (user) entries.get(m.group)!.push(user);
          }
        }
        for (const [groupId, list] of entries) {
          list.sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : a.ref.id < b.ref.id ? -1 : a.ref.id > b.ref.id ? 1 : 0));
          result.set(groupId, list.map((entry) => entry.ref));
        }
      }
      return result;
    },
  };
}
