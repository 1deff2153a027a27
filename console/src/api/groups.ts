import { searchFilter } from './user-search';
import { GROUP_URN, MEMBERS_PAGE_URN, literal, type ListPage, type PatchOperation, type Resource, type ScimApi } from './scim';

/** Roster's Group extension: a description and the permissions every member inherits. */
export const GROUP_EXTENSION_URN = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Group';

/** How many rows a page of groups or of members holds. */
export const PAGE_SIZE = 50;

/**
 * Every write here asks for the group without its members: a group may have 100,000 of them, and
 * the answer to adding one must not carry them all (README, Large groups).
 */
const WITHOUT_MEMBERS = { excludedAttributes: 'members' } as const;

export interface GroupListQuery {
  /** Part of the displayName (`co`); empty lists every group. */
  readonly search?: string;
  readonly sortOrder: 'ascending' | 'descending';
  readonly startIndex: number;
}

/** A page of groups, sorted by displayName, never with their members. */
export const listGroups = (scim: ScimApi, query: GroupListQuery): Promise<ListPage> =>
  scim.list('Groups', {
    filter: query.search ? `displayName co ${literal(query.search)}` : undefined,
    sortBy: 'displayName', sortOrder: query.sortOrder, startIndex: query.startIndex, count: PAGE_SIZE, ...WITHOUT_MEMBERS,
  });

export const createGroup = (scim: ScimApi, displayName: string): Promise<Resource> =>
  scim.create('Groups', { schemas: [GROUP_URN], displayName });

/** One member as a group lists it: the user's id, and its displayName or else its userName. */
export interface Member {
  readonly value: string;
  readonly display?: string;
}

/** A group with one slice of its members, as one GET returns it (Roster's membersStartIndex paging). */
export interface GroupPage {
  /** The answer exactly as SCIM returned it (members holds only this slice). */
  readonly group: Resource;
  readonly etag?: string;
  readonly members: readonly Member[];
  /** How many members the group has in all. */
  readonly total: number;
  readonly startIndex: number;
}

/**
 * The group and members startIndex…startIndex+count−1 in one request: the server counts the
 * members and reads only that slice, so a 100,000-member group opens as fast as an empty one.
 */
export async function readGroupPage(scim: ScimApi, id: string, startIndex: number, count = PAGE_SIZE): Promise<GroupPage> {
  const answer = await scim.get('Groups', id, { membersStartIndex: startIndex, membersCount: count });
  const group = answer.body;
  const page = group[MEMBERS_PAGE_URN] as { totalResults?: number } | undefined;
  const members = Array.isArray(group.members) ? (group.members as Member[]) : [];
  return { group, etag: answer.etag, members, total: page?.totalResults ?? members.length, startIndex };
}

const membersPatch = (scim: ScimApi, id: string, operations: readonly PatchOperation[]) =>
  scim.patch('Groups', id, operations, { query: WITHOUT_MEMBERS }).then(() => undefined);

export const addMembers = (scim: ScimApi, id: string, userIds: readonly string[]): Promise<void> =>
  membersPatch(scim, id, [{ op: 'add', path: 'members', value: userIds.map((value) => ({ value })) }]);

/** Removes one member by id: the store deletes one row, whatever the group's size. */
export const removeMember = (scim: ScimApi, id: string, userId: string): Promise<void> =>
  membersPatch(scim, id, [{ op: 'remove', path: `members[value eq ${literal(userId)}]` }]);

/** The attributes an admin edits on the group page. */
export interface GroupDetails {
  readonly displayName: string;
  readonly description: string;
  readonly permissions: readonly string[];
}

export function detailsOf(group: Resource): GroupDetails {
  const extension = (group[GROUP_EXTENSION_URN] ?? {}) as { description?: string; permissions?: string[] };
  return {
    displayName: typeof group.displayName === 'string' ? group.displayName : '',
    description: extension.description ?? '',
    permissions: extension.permissions ?? [],
  };
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((value, i) => value === b[i]);

/**
 * The PATCH operations that turn `before` into `after`, one per changed attribute, so a save
 * never overwrites what it did not change (an IdP may be renaming or adding members meanwhile).
 * An emptied description or permission list is removed. displayName is sent even when empty: the
 * server says why it cannot be.
 */
export function detailsPatch(before: GroupDetails, after: GroupDetails): PatchOperation[] {
  const operations: PatchOperation[] = [];
  if (after.displayName !== before.displayName) operations.push({ op: 'replace', path: 'displayName', value: after.displayName });
  if (after.description !== before.description) {
    const path = `${GROUP_EXTENSION_URN}:description`;
    operations.push(after.description ? { op: 'replace', path, value: after.description } : { op: 'remove', path });
  }
  if (!sameList(after.permissions, before.permissions)) {
    const path = `${GROUP_EXTENSION_URN}:permissions`;
    operations.push(after.permissions.length ? { op: 'replace', path, value: after.permissions } : { op: 'remove', path });
  }
  return operations;
}

export const updateGroup = (scim: ScimApi, id: string, operations: readonly PatchOperation[]): Promise<void> =>
  scim.patch('Groups', id, operations, { query: WITHOUT_MEMBERS }).then(() => undefined);

export const deleteGroup = (scim: ScimApi, id: string): Promise<void> => scim.remove('Groups', id);

/** Matches the picker lists: at most this many users. */
export const PICKER_SIZE = 10;

export interface FoundUsers {
  /** At most PICKER_SIZE users. */
  readonly users: readonly Resource[];
  /** Whether more users match than are listed. */
  readonly more: boolean;
}

/**
 * Users whose userName, names or emails contain `text` (the users list's own search filter), with
 * only what the picker shows (no groups or permissions computed): one request, which the server
 * serves from its trigram indexes.
 */
export async function findUsers(scim: ScimApi, text: string): Promise<FoundUsers> {
  const page = await scim.list('Users', { filter: searchFilter(text), count: PICKER_SIZE, attributes: 'userName,displayName,name,active' });
  const users = page.Resources ?? [];
  return { users, more: page.totalResults > users.length };
}
