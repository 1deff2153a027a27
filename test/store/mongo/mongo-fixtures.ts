import { createHash } from 'node:crypto';
import { groupsAttribute, membersAttribute, renderResource } from '../../../src/scim/resource/render';
import type { SchemaRegistry } from '../../../src/scim/schema/registry';
import { foldCase } from '../../../src/scim/values/fold-case';
import type { JsonObject } from '../../../src/scim/values/json';
import { COLLECTIONS, type GroupDocument, type MembershipDocument, type UserDocument } from '../../../src/store/mongo/documents';
import { queryDocument } from '../../../src/store/mongo/query-document';
import { groupFixtures, userFixtures, type FixtureIds, type GroupName, type UserKey } from '../../support/fixtures/filter-fixtures';

/** A lower-case UUID as randomUUID makes, but stable across runs (so failures reproduce). */
function stableUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * A soft-deleted user who would match many filters (display name "Alice Smith", a member of
 * Sales): the list query hides him, and no group may count him as a member.
 */
const ghost = {
  key: 'ghost',
  created: '2021-09-01T00:00:00.000Z',
  lastModified: '2021-09-01T00:00:00.000Z',
  data: { userName: 'ghost', displayName: 'Alice Smith', title: 'Engineer', active: true, emails: [{ value: 'ghost@example.com', type: 'work' }] } as JsonObject,
  groups: ['Sales'] as GroupName[],
};

/** The tenant every fixture document belongs to. */
export const FIXTURE_TENANT = 'acme';

export interface MongoFixtures {
  readonly ids: FixtureIds;
  readonly users: readonly UserDocument[];
  readonly groups: readonly GroupDocument[];
  readonly memberships: readonly MembershipDocument[];
  readonly collections: Readonly<Record<string, readonly object[]>>;
}

/** The shared filter fixtures as the MongoDB adapter stores them (documents.ts), plus the deleted ghost. */
export function buildMongoFixtures(registry: SchemaRegistry): MongoFixtures {
  const userIds = Object.fromEntries(userFixtures.map((u) => [u.key, stableUuid(`user:${u.key}`)])) as Record<UserKey, string>;
  const groupIds = Object.fromEntries(groupFixtures.map((g) => [g.data.displayName, stableUuid(`group:${g.data.displayName}`)])) as Record<GroupName, string>;
  const ghostId = stableUuid('user:ghost');
  const groupsOfUser = (key: string): string[] => groupFixtures.filter((g) => (g.members as readonly string[]).includes(key)).map((g) => groupIds[g.data.displayName]);
  const userDocument = (id: string, fixture: { data: JsonObject; created: string; lastModified: string }, deletedAt: string | null, groupIdsOfUser: string[]): UserDocument => ({
    _id: id, tenantId: FIXTURE_TENANT, version: 1, created: fixture.created, lastModified: fixture.lastModified, live: deletedAt === null, deletedAt, groupIds: groupIdsOfUser,
    userNameKey: foldCase(String(fixture.data.userName)), data: structuredClone(fixture.data), q: queryDocument(registry.user, fixture.data),
  });
  const users = [
    ...userFixtures.map((u) => userDocument(userIds[u.key], u, null, groupsOfUser(u.key))),
    userDocument(ghostId, ghost, '2021-10-01T00:00:00.000Z', ghost.groups.map((name) => groupIds[name])),
  ];
  const groups: GroupDocument[] = groupFixtures.map((g) => ({
    _id: groupIds[g.data.displayName], tenantId: FIXTURE_TENANT, version: 1, created: g.created, lastModified: g.lastModified,
    displayNameKey: foldCase(g.data.displayName), data: structuredClone(g.data), q: queryDocument(registry.group, g.data),
  }));
  const memberships: MembershipDocument[] = [
    ...groupFixtures.flatMap((g) => g.members.map((key) => ({ tenantId: FIXTURE_TENANT, group: groupIds[g.data.displayName], member: userIds[key] }))),
    ...ghost.groups.map((name) => ({ tenantId: FIXTURE_TENANT, group: groupIds[name], member: ghostId })),
  ];
  const collections = { [COLLECTIONS.users]: users, [COLLECTIONS.groups]: groups, [COLLECTIONS.memberships]: memberships };
  return { ids: { users: userIds, groups: groupIds }, users, groups, memberships, collections };
}

/** The users a list request sees. */
export const liveUsers = (fixtures: MongoFixtures) => fixtures.users.filter((u) => !u.deletedAt);


/** Every live resource as served (groups and members included), for evaluateFilter. */
export function renderMongoFixtures(fixtures: MongoFixtures, registry: SchemaRegistry, baseUrl = 'https://roster.test/scim/v2') {
  const live = liveUsers(fixtures);
  const userById = new Map(live.map((u) => [u._id, u]));
  const groupById = new Map(fixtures.groups.map((g) => [g._id, g]));
  const snapshot = (d: UserDocument | GroupDocument) => ({ id: d._id, created: d.created, lastModified: d.lastModified, version: d.version, data: d.data });
  const users = live.map((user) => {
    const groups = fixtures.memberships.filter((m) => m.member === user._id).map((m) => groupById.get(m.group)!)
      .sort((a, b) => (a.displayNameKey < b.displayNameKey ? -1 : 1));
    return renderResource(registry.user, snapshot(user), baseUrl, groupsAttribute(groups.map((g) => ({ id: g._id, display: String(g.data.displayName) })), baseUrl));
  });
  const groups = fixtures.groups.map((group) => {
    const members = fixtures.memberships.filter((m) => m.group === group._id && userById.has(m.member)).map((m) => userById.get(m.member)!);
    const references = members.map((u) => ({ id: u._id, display: String(u.data.displayName ?? u.data.userName) }));
    return renderResource(registry.group, snapshot(group), baseUrl, membersAttribute(references, baseUrl));
  });
  return { users, groups };
}
