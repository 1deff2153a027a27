import { UnsupportedQuery } from '../port';
import { withinDepth } from './query-depth';
import { matchNone, type MongoQuery, type Relation } from './query-fields';

/**
 * The most group ids one compiled filter carries from look-ups, over all of its conditions on
 * groups or members: the ids of the groups a condition on a user's groups matches, of the groups
 * whose members match a condition, or of one member's groups. At ~40 bytes an id, a query stays
 * small whatever the size of a group; a filter that would need more is refused (400), and can
 * be narrowed, e.g. to `groups.value eq "<id>"`, which needs no list at all.
 */
export const MAX_RELATED_MATCHES = 1000;

/**
 * The look-ups a filter on User.groups or Group.members needs, within one tenant. None reads
 * `memberships` and no answer grows with a group: a user's groups are its `groupIds`
 * (documents.ts, under a multikey index), and every list is at most `limit` long. A deleted
 * group's id may linger in groupIds while its memberships are removed in batches, so an id read
 * from groupIds only ever selects groups (where it finds nothing), never stands for one.
 */
export interface RelationResolver {
  /** Whether group `groupId` exists. */
  groupExists(groupId: string): Promise<boolean>;
  /** The groupIds of live (not deleted) user `userId`; none when there is no such user. */
  groupIdsOfUser(userId: string): Promise<string[]>;
  /** The ids of at most `limit` groups matching `groupQuery`. */
  groupsMatching(groupQuery: MongoQuery, limit: number): Promise<string[]>;
  /** At most `limit` of the distinct ids in the groupIds of the users matching `userQuery` (which names LIVE). */
  groupIdsOfUsersMatching(userQuery: MongoQuery, limit: number): Promise<string[]>;
}

/** How many related ids one compilation has put into its query so far. */
export interface RelatedIds {
  count: number;
}

/**
 * The query over users or groups for "some element of `relation` matches `inner`", where
 * `inner` is compiled over the related documents (groups for User.groups, users for
 * Group.members; deleted users are never members):
 *   - users in group G (`groups.value eq "G"`): `{groupIds: G}` when G exists;
 *   - users in some group matching a condition: `{groupIds: {$in: <the matching groups>}}`;
 *   - groups with member U: `{_id: {$in: <U's groupIds>}}`;
 *   - groups with some live member matching a condition: `{_id: {$in: <their groupIds>}}`.
 */
export async function membershipQuery(relation: Relation, inner: MongoQuery, relations: RelationResolver, related: RelatedIds): Promise<MongoQuery> {
  const id = singleId(inner);
  if (relation.attribute === 'groups') {
    if (id !== undefined) return (await relations.groupExists(id)) ? { groupIds: { $eq: id } } : matchNone();
    const groups = await bounded(relation, related, (limit) => relations.groupsMatching(withinDepth(inner), limit));
    return groups.length > 0 ? { groupIds: { $in: groups } } : matchNone();
  }
  const groups = id !== undefined
    ? counted(relation, related, await relations.groupIdsOfUser(id))
    : await bounded(relation, related, (limit) => relations.groupIdsOfUsersMatching(withinDepth({ $and: [{ ...relation.live }, inner] }), limit));
  return groups.length > 0 ? { _id: { $in: groups } } : matchNone();
}

/** What `lookUp` finds when asked for one id more than the query has room for: too many is an UnsupportedQuery. */
async function bounded(relation: Relation, related: RelatedIds, lookUp: (limit: number) => Promise<string[]>): Promise<string[]> {
  return counted(relation, related, await lookUp(MAX_RELATED_MATCHES - related.count + 1));
}

function counted(relation: Relation, related: RelatedIds, ids: string[]): string[] {
  related.count += ids.length;
  if (related.count <= MAX_RELATED_MATCHES) return ids;
  const most = MAX_RELATED_MATCHES.toLocaleString('en');
  throw new UnsupportedQuery('filter', relation.attribute === 'groups'
    ? `a filter on groups that matches more than ${most} groups (counting all its conditions on groups); narrow it (e.g. groups.value eq "<id>")`
    : `a filter on members that selects more than ${most} groups (counting all its conditions on members); narrow it (e.g. members.value eq "<user id>")`);
}

/** The id of a related query that is exactly `{_id: {$eq: id}}`: the common, cheap case. */
function singleId(query: MongoQuery): string | undefined {
  const condition = query._id as Record<string, unknown> | undefined;
  if (Object.keys(query).length !== 1 || typeof condition !== 'object' || condition === null || Object.keys(condition).length !== 1) return undefined;
  return typeof condition.$eq === 'string' ? condition.$eq : undefined;
}
