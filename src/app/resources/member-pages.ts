import type { Projection } from '../../scim/projection';
import type { ResourceSnapshot } from '../../scim/resource/render';
import type { Json, JsonObject } from '../../scim/values/json';
import type { MembersQuery, Page } from '../../store/port';
import type { ResourceEndpoint } from './endpoint';

/**
 * What an endpoint whose resources have `members` (Groups) offers beyond ResourceEndpoint, so
 * that a group of 100,000 members is answered a page of members at a time instead of as one
 * array and one string: the resource with its members left to the caller, and the members in
 * pages read from the store (GroupStore.membersPage).
 */
export interface MemberPages {
  /** The resource as `render` would serve it through `projection`, with `members` set to `members` (a stand-in the caller replaces). */
  renderWithMembers(resource: ResourceSnapshot, projection: Projection, baseUrl: string, members: Json): JsonObject;
  /** One page of the group's live members, each element as served (value, $ref, display, type); 404 when there is no such group. */
  memberElements(groupId: string, query: MembersQuery, baseUrl: string): Promise<Page<JsonObject>>;
}

export const hasMemberPages = (endpoint: ResourceEndpoint): endpoint is ResourceEndpoint & MemberPages =>
  'memberElements' in endpoint && 'renderWithMembers' in endpoint;
