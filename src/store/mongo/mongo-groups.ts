import { storedCount } from './resource-counts';
import { RememberedTotals } from '../remembered-totals';
import { randomUUID } from 'node:crypto';
import type { mongo } from 'mongoose';
import type { ResourceType } from '../../scim/schema/definitions';
import { foldCase } from '../../scim/values/fold-case';
import { getKey, type JsonObject } from '../../scim/values/json';
import type { ChangedMember, GroupStore, GroupWrite, ListPosition, MemberChange, MemberRef, StoredGroup, UpdateResult } from '../port';
import { InvalidPosition, UniquenessViolation, UnknownMembers } from '../port';
import { compileFilter, type RelationResolver } from './compile-filter';
import { compileSort, cursorPage } from './compile-sort';
import type { GroupDocument } from './documents';
import { LIVE } from './documents';
import type { RecordChanges } from './event-append';
import { liveUsers, link, planMembership, unlink, unlinkSome } from './membership-writes';
import { batches, BATCH, chunks, listPage, WITHOUT_Q } from './models';
import { isDuplicateKey } from './mongo-errors';
import { queryDocument } from './query-document';
import type { ScopedCollections } from './scoped-collection';

const toGroup = (document: Omit<GroupDocument, 'tenantId'>): StoredGroup => ({
  id: document._id,
  created: document.created,
  lastModified: document.lastModified,
  version: document.version,
  data: document.data,
});

/** Member totals by (tenant, group, group version): see remembered-totals.ts. */
const memberTotals = new RememberedTotals();

/** A member page's position: the id of the last member it returned (pages go in member id order). */
function memberIdOf(position: ListPosition): string {
  const [id] = position;
  if (position.length !== 1 || typeof id !== 'string') throw new InvalidPosition('a position in a member list is one member id');
  return id;
}

const displayNameOf = (data: JsonObject) => String(getKey(data, 'displayName'));
const displayNameTaken = (data: JsonObject) => new UniquenessViolation('displayName', displayNameOf(data));

/** The ids of add changes that are not live users, per change, in the order written (as SQLite reports them). */
function unknownIn(changes: readonly MemberChange[], live: ReadonlyMap<string, string>): string[] | undefined {
  for (const change of changes) {
    if (change.op !== 'add') continue;
    const unknown = change.ids.filter((id) => !live.has(id));
    if (unknown.length) return unknown;
  }
  return undefined;
}

/**
 * One tenant's groups in `groups`, members in `memberships` (one small document per (group,
 * member), never an array in the group, so a million-member group costs nothing for a request
 * that does not render members) and in each member's `groupIds` (membership-writes.ts).
 *
 * Every write is one transaction (ScopedCollections.transaction): the checks (the group exists
 * at the expected version, every id to add is a live user), the group's new attributes and
 * version, the net membership changes and their events (group.*, and one group.member_* per
 * membership actually inserted or deleted, all in one insertMany) commit together or not at all. A reader sees the group
 * before or after, never an emptied or half-filled member list; two concurrent writes of one
 * group both write its document, so one of them conflicts and runs again on the other's result
 * (two concurrent PUTs never end with the union). A user deleted concurrently conflicts too.
 *
 * The one exception is deleting a group with more than a thousand members: the group and its
 * first thousand memberships go in one transaction, the rest a thousand per transaction after it.
 * Until that finishes the remaining memberships name a group that no longer exists; every read
 * starts from existing groups (membersOf, groupsOf, the membership filters), so none shows them.
 *
 * Every query is the tenant's (scoped-collection.ts): a member id of another tenant is not a
 * live user here, so adding it is UnknownMembers and it is never linked.
 */
export function mongoGroups(c: ScopedCollections, groupType: ResourceType, relations: RelationResolver, record: RecordChanges): GroupStore {
  const derived = (data: JsonObject) => ({ displayNameKey: foldCase(displayNameOf(data)), data, q: queryDocument(groupType, data) });

  const uniqueness = (error: unknown, data: JsonObject | undefined): unknown =>
    data && isDuplicateKey(error, 'displayNameKey') ? displayNameTaken(data) : error;

  /** The users to add, with their userNames; throws UnknownMembers before anything is written. */
  const checkMembers = async (t: ScopedCollections, changes: readonly MemberChange[]): Promise<ReadonlyMap<string, string>> => {
    const adding = changes.flatMap((change) => (change.op === 'add' ? change.ids : []));
    if (adding.length === 0) return new Map();
    const live = await liveUsers(t, adding);
    const unknown = unknownIn(changes, live);
    if (unknown) throw new UnknownMembers(unknown);
    return live;
  };
  const named = (ids: readonly string[], userNames: ReadonlyMap<string, string>): ChangedMember[] => ids.map((id) => ({ id, userName: userNames.get(id)! }));

  /** Display names of live users, `BATCH` ids per query: a member is shown by displayName, else userName. */
  const members = async (ids: readonly string[]) => {
    const found = new Map<string, { ref: MemberRef; created: string }>();
    for (const chunk of chunks(new Set(ids))) {
      const cursor = c.users.find({ _id: { $in: chunk }, ...LIVE }, { projection: { _id: 1, created: 1, 'data.displayName': 1, 'data.userName': 1 } });
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
      const id = randomUUID();
      try {
        return await c.transaction(async (t) => {
          const userNames = await checkMembers(t, [{ op: 'add', ids: memberIds }]);
          const at = c.now();
          const document = { _id: id, version: 1, created: at, lastModified: at, ...derived(data) };
          await t.groups.insertOne(document);
          const added = named(await link(t, id, memberIds), userNames);
          const created = toGroup({ ...document, data: structuredClone(data) });
          await record(t, [{ of: 'group', kind: 'created', after: created, added }], at);
          return created;
        });
      } catch (error) {
        // The transaction wrote nothing: only the duplicate display name is the client's.
        throw uniqueness(error, data);
      }
    },

    async get(id) {
      const document = await c.groups.findOne({ _id: id }, { projection: WITHOUT_Q });
      return document ? toGroup(document) : undefined;
    },

    async update(id, expected, write: GroupWrite) {
      try {
        return await c.transaction(async (t): Promise<UpdateResult<StoredGroup>> => {
          const current = await t.groups.findOne({ _id: id }, { projection: WITHOUT_Q });
          if (!current) return { status: 'notFound' };
          if (expected !== undefined && current.version !== expected) return { status: 'versionMismatch', current: current.version };
          const changes = write.memberChanges ?? [];
          const userNames = await checkMembers(t, changes);
          const plan = await planMembership(t, id, changes);
          const at = c.now();
          const set = { ...(write.data === undefined ? {} : derived(write.data)), lastModified: at };
          const latest = await t.groups.findOneAndUpdate({ _id: id, version: current.version }, { $set: set, $inc: { version: 1 } }, { returnDocument: 'after', projection: WITHOUT_Q });
          // In a snapshot transaction a concurrent writer conflicts (and this runs again) rather than slipping in.
          if (!latest) return { status: 'notFound' };
          const removed = named(await unlink(t, id, plan.remove.keys()), plan.remove);
          const added = named(await link(t, id, plan.add), userNames);
          const after = toGroup(latest);
          await record(t, [{ of: 'group', kind: 'updated', before: toGroup(current), after, added, removed }], at);
          return { status: 'updated', resource: after };
        });
      } catch (error) {
        throw uniqueness(error, write.data);
      }
    },

    async delete(id, expected) {
      const result = await c.transaction(async (t): Promise<UpdateResult<null>> => {
        const current = await t.groups.findOne({ _id: id }, { projection: WITHOUT_Q });
        if (!current) return { status: 'notFound' };
        if (expected !== undefined && current.version !== expected) return { status: 'versionMismatch', current: current.version };
        await t.groups.deleteOne({ _id: id, version: current.version });
        await unlinkSome(t, id);
        // group.deleted only: the memberships end with the group (domain/events/group-events.ts).
        await record(t, [{ of: 'group', kind: 'deleted', before: toGroup(current) }], c.now());
        return { status: 'updated', resource: null };
      });
      if (result.status === 'updated') while ((await c.transaction((t) => unlinkSome(t, id))) > 0);
      return result;
    },

    async list(query) {
      const match = (query.filter ? await compileFilter(groupType, query.filter, relations) : {}) as mongo.Filter<GroupDocument>;
      const page = query.after ? cursorPage : listPage;
      // Unfiltered: the total kept with every write (resource-counts.ts), not a count of the tenant's groups.
      const storedTotal = query.filter ? undefined : () => storedCount(c.eventSequences, 'groups');
      return page(c.groups, match, query, () => compileSort(groupType, query.sort), toGroup, storedTotal);
    },

    /**
     * A page walks the group's memberships in member id order on the {group, member} index, from
     * the position (`member > after`) or from the start, joining each thousand to the live users
     * and skipping `offset` of those; it stops one member after the page (which says whether
     * another follows). So a page by position reads about `limit` memberships at any depth; an
     * offset also reads those it skips. The total is the group's memberships (a count on the
     * index) less those of soft-deleted users (found from the index on deleted users), counted
     * once per version of the group (memberTotals).
     */
    async membersPage(groupId, query) {
      const group = await c.groups.findOne({ _id: groupId }, { projection: { _id: 1, version: 1 } });
      if (!group) return undefined;
      const after = query.after && memberIdOf(query.after);
      const key = `${String(c.groups.tenantId)}\u0000${groupId}\u0000${group.version}`;
      const total = memberTotals.recall(key) ?? memberTotals.remember(key,
        (await c.memberships.countDocuments({ group: groupId })) - (await c.users.countDocuments({ deletedAt: { $type: 'string' }, groupIds: groupId })));
      if (query.limit === 0) return { total, items: [] };
      const found: MemberRef[] = [];
      let skip = after === undefined ? query.offset : 0;
      const from = after === undefined ? {} : { member: { $gt: after } };
      const cursor = c.memberships.find({ group: groupId, ...from }, { projection: { _id: 0, member: 1 }, sort: { member: 1 }, batchSize: BATCH });
      for await (const batch of batches(cursor)) {
        const users = await members(batch.map((m) => m.member));
        for (const m of batch) {
          const user = users.get(m.member);
          if (!user) continue;
          if (skip > 0) skip--;
          else found.push(user.ref);
        }
        // Leaving the loop closes the cursor.
        if (found.length > query.limit) break;
      }
      const items = found.slice(0, query.limit);
      return { total, items, ...(found.length > query.limit ? { next: [items[items.length - 1].id] } : {}) };
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
