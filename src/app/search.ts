import { ScimError, invalidCursor } from '../scim/errors';
import { decodeCursor, encodeCursor, queryFingerprint, type CursorKey } from '../scim/list/cursor';
import { parseListRequest, type ListParameters, type ListRequest } from '../scim/list/list-request';
import { cursorListResponse, listResponse } from '../scim/list/list-response';
import type { JsonObject } from '../scim/values/json';
import type { Directory } from './directory';
import type { ResourceEndpoint } from './resources/endpoint';

export interface SearchOptions {
  readonly maxPageSize: number;
  readonly maxFilterTerms: number;
  /** Whose data (CursorQuery.scope): a cursor from one tenant is refused in another. */
  readonly scope?: string;
}

type Planned = { endpoint: ResourceEndpoint; request: ListRequest };

/**
 * POST /.search (RFC 7644 §3.4.3) across every resource type of the tenant: Users first, then
 * Groups, each in its own order. A filter naming an attribute that one type lacks matches
 * nothing of that type; it is an error only when no type has it. A sortBy that one type lacks
 * does not drop that type: its resources have no sort value, so (RFC 7644 §3.4.2.3) they come
 * after the sorted types in ascending order and before them in descending order.
 *
 * With a cursor (RFC 9865) the same sequence is walked by keyset: the cursor holds the index of
 * the resource type the previous page ended in and the position within it, so a page costs the
 * same at any depth here too. Returns the ListResponse body.
 */
export async function searchAll(directory: Directory, params: ListParameters, baseUrl: string, options: SearchOptions): Promise<JsonObject> {
  if (params.cursor !== undefined) return cursorSearch(directory, params, baseUrl, options);
  const usable = plan(directory.endpoints, params, options);
  const { startIndex, count } = usable[0].request;
  const resources: JsonObject[] = [];
  let total = 0;
  let skip = startIndex - 1;
  for (const { endpoint, request } of usable) {
    const room = count - resources.length;
    const page = await endpoint.list({ ...request, startIndex: skip + 1, count: room });
    total += page.total;
    resources.push(...(await endpoint.render(page.items, request.projection, baseUrl)));
    skip = Math.max(0, skip - page.total);
  }
  return listResponse(total, startIndex, resources);
}

/**
 * A cursor page across types. Each type is parsed with an empty cursor (which checks startIndex
 * and count as for one type); the real cursor is this endpoint's own: [type index, ...position].
 * Types before the cursor's are only counted, later ones start at their beginning.
 */
async function cursorSearch(directory: Directory, params: ListParameters, baseUrl: string, options: SearchOptions): Promise<JsonObject> {
  const usable = plan(directory.endpoints, { ...params, cursor: '' }, options);
  const { count } = usable[0].request;
  const sort = usable.find(({ request }) => request.sort)?.request.sort;
  const fingerprint = queryFingerprint({
    resourceType: `/.search:${usable.map(({ endpoint, request }) => `${endpoint.type.name}${request.sort ? '' : '(unsorted)'}`).join(',')}`,
    filter: typeof params.filter === 'string' ? params.filter.trim() : '',
    sort,
    scope: options.scope,
  });
  const [start, ...position] = decodeCursor(params.cursor, fingerprint);
  const from = start === undefined ? 0 : start;
  if (typeof from !== 'number' || !Number.isInteger(from) || from < 0 || from >= usable.length) {
    throw invalidCursor('The cursor does not name a place in the order of this query; send the nextCursor of the previous page unchanged, or an empty cursor to start again');
  }
  const resources: JsonObject[] = [];
  const totals: number[] = [];
  let next: CursorKey[] | undefined;
  let lastServed = -1;
  for (const [index, { endpoint, request }] of usable.entries()) {
    const room = index < from ? 0 : count - resources.length;
    const after = index === from ? position : [];
    const page = await endpoint.list({ ...request, count: room, cursor: { after, fingerprint } });
    totals.push(page.total);
    if (room === 0) continue;
    resources.push(...(await endpoint.render(page.items, request.projection, baseUrl)));
    if (page.items.length > 0) lastServed = index;
    if (page.next) next = [index, ...page.next];
  }
  // A full page that ended a type exactly continues at the start of the next type that has any.
  if (!next && count > 0 && resources.length === count) {
    const following = totals.findIndex((total, index) => index > Math.max(lastServed, from) && total > 0);
    if (following !== -1) next = [following];
  }
  const total = totals.reduce((sum, n) => sum + n, 0);
  return cursorListResponse(total, resources, next && encodeCursor(fingerprint, next));
}

const parsed = (r: { endpoint: ResourceEndpoint; request: ListRequest | ScimError }): r is Planned => !(r.request instanceof ScimError);

function plan(endpoints: readonly ResourceEndpoint[], params: ListParameters, options: SearchOptions): Planned[] {
  const requests = endpoints.map((endpoint) => ({ endpoint, request: tryParse(endpoint, params, options) }));
  const sorted = requests.filter(parsed);
  if (sorted.length === 0) throw requests[0].request as ScimError;
  if (params.sortBy === undefined || sorted.length === requests.length) return sorted;
  // The other types failed on the filter or on the sortBy; those that only lack the sortBy take part unsorted.
  const unsortedParams = { ...params, sortBy: undefined, sortOrder: undefined };
  const unsorted = requests.filter((r) => !parsed(r)).map(({ endpoint }) => ({ endpoint, request: tryParse(endpoint, unsortedParams, options) })).filter(parsed);
  return sorted[0].request.sort?.descending ? [...unsorted, ...sorted] : [...sorted, ...unsorted];
}

function tryParse(endpoint: ResourceEndpoint, params: ListParameters, options: SearchOptions): ListRequest | ScimError {
  try {
    return parseListRequest(endpoint.type, params, options.maxPageSize, options.maxFilterTerms, options.scope);
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
}
