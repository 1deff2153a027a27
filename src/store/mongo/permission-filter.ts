import { GROUP_PERMISSIONS_PATH, OWN_PERMISSIONS_PATH } from '../../scim/filter/effective-permissions';
import type { ResolvedComparison, ResolvedFilter } from '../../scim/filter/resolved';
import { foldCase } from '../../scim/values/fold-case';
import { UnsupportedQuery } from '../port';
import { anyOf } from './any-of';
import { qPath } from './query-document';
import type { MongoQuery } from './query-fields';
import { MAX_RELATED_MATCHES, type RelatedIds, type RelationResolver } from './relation-filter';

/** A user's own permissions as written (`data`), and as `q` holds them: folded, entitlements.value not being caseExact. */
const OWN_DATA = ['data', ...OWN_PERMISSIONS_PATH].join('.');
const OWN_Q = qPath(OWN_PERMISSIONS_PATH);
/** The permissions a group grants, in its `q` copy: caseExact, so as written. */
const GROUP_Q = qPath(GROUP_PERMISSIONS_PATH);

type Leaf = Extract<ResolvedFilter, { kind: 'present' | 'compare' }>;

/**
 * The users whose effectivePermissions satisfy `filter` (`pr`, or a comparison other than `ne`,
 * which compile-filter.ts makes `not eq`): those who hold a matching permission themselves, or
 * are in a group that grants one. The groups are looked up first (one find on their permissions,
 * at most MAX_RELATED_MATCHES + 1 ids) and the users found by `groupIds`, as for every membership
 * filter (relation-filter.ts); the groups found count against MAX_RELATED_MATCHES with the
 * filter's other conditions on groups, and a filter that needs more is refused (400).
 *
 * effectivePermissions is caseExact, but `q` folds entitlement values: the exact comparison reads
 * `data`. For `eq` the folded equality on `q` is added: implied by the exact one, it lets an index
 * on q.entitlements.value serve the condition. (Not for `sw`: lower-casing is not prefix-stable,
 * a final Σ folds to ς.)
 */
export async function permissionQuery(filter: Leaf, condition: (filter: ResolvedComparison) => MongoQuery, relations: RelationResolver, related: RelatedIds): Promise<MongoQuery> {
  const matching = filter.kind === 'present' ? { $gt: '' } : condition(filter);
  const own: MongoQuery = filter.kind === 'compare' && filter.op === 'eq' && typeof filter.value === 'string'
    ? { [OWN_Q]: foldCase(filter.value), [OWN_DATA]: matching }
    : { [OWN_DATA]: matching };
  const groups = await relations.groupsMatching({ [GROUP_Q]: matching }, MAX_RELATED_MATCHES - related.count + 1);
  related.count += groups.length;
  if (related.count > MAX_RELATED_MATCHES) {
    throw new UnsupportedQuery('filter', `a filter on effectivePermissions that more than ${MAX_RELATED_MATCHES.toLocaleString('en')} groups grant (counting all its conditions on groups); narrow it, e.g. to effectivePermissions eq "<one permission>"`);
  }
  return groups.length > 0 ? anyOf([own, { groupIds: { $in: groups } }]) : own;
}
