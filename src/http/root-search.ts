import { Router, type Request, type Response } from 'express';
import type { ResourceEndpoint } from './resources/endpoint';
import { ScimError, invalidCursor, methodNotAllowed } from '../scim/errors';
import { decodeCursor, encodeCursor, queryFingerprint, type CursorKey } from '../scim/list/cursor';
import { listParametersFromBody, parseListRequest, type ListParameters, type ListRequest } from '../scim/list/list-request';
import { cursorListResponse, listResponse } from '../scim/list/list-response';
import type { JsonObject } from '../scim/values/json';
import { sendScim } from './respond';
import { bodyOf } from './body';
import { baseUrlOf, listPageOf, type RouterOptions } from './resources/resource-router';

/**
 * POST /.search (RFC 7644 §3.4.3) across every resource type: Users first, then Groups, each in
 * its own order. A filter naming an attribute that one type lacks matches nothing of that type;
 * it is an error only when no type has it. A sortBy that one type lacks does not drop that type:
 * its resources have no sort value, so (RFC 7644 §3.4.2.3) they come after the sorted types in
 * ascending order and before them in descending order.
 *
 * With a cursor (RFC 9865) the same sequence is walked by keyset: the cursor holds the index of
 * the resource type the previous page ended in and the position within it, so a page costs the
 * same at any depth here too.
 */
export function rootSearchRouter(endpoints: readonly ResourceEndpoint[], options: RouterOptions): Router {
  const router = Router();
  router.route('/.search').post((req, res) => search(req, res)).all(() => { throw methodNotAllowed(['POST']); });

  async function search(req: Request, res: Response) {
    const params = listParametersFromBody(bodyOf(req));
    if (params.cursor !== undefined) return cursorSearch(req, res, params);
    const usable = plan(params);
    const { startIndex, count } = usable[0].request;
    const resources: JsonObject[] = [];
    let total = 0;
    let skip = startIndex - 1;
    for (const { endpoint, request } of usable) {
      const room = count - resources.length;
      const page = await endpoint.list({ ...request, startIndex: skip + 1, count: room });
      total += page.total;
      resources.push(...(await endpoint.render(page.items, request.projection, baseUrlOf(req, options.basePath))));
      skip = Math.max(0, skip - page.total);
    }
    sendScim(res, 200, listResponse(total, startIndex, resources));
  }

  /**
   * A cursor page across types. Each type is parsed with an empty cursor (which checks startIndex
   * and count as for one type); the real cursor is this endpoint's own: [type index, ...position].
   * Types before the cursor's are only counted, later ones start at their beginning.
   */
  async function cursorSearch(req: Request, res: Response, params: ListParameters) {
    const usable = plan({ ...params, cursor: '' });
    const { count } = usable[0].request;
    const sort = usable.find(({ request }) => request.sort)?.request.sort;
    const fingerprint = queryFingerprint({
      resourceType: `/.search:${usable.map(({ endpoint, request }) => `${endpoint.type.name}${request.sort ? '' : '(unsorted)'}`).join(',')}`,
      filter: typeof params.filter === 'string' ? params.filter.trim() : '',
      sort,
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
      const page = await listPageOf(endpoint, { ...request, count: room, cursor: { after, fingerprint } });
      totals.push(page.total);
      if (room === 0) continue;
      resources.push(...(await endpoint.render(page.items, request.projection, baseUrlOf(req, options.basePath))));
      if (page.items.length > 0) lastServed = index;
      if (page.next) next = [index, ...page.next];
    }
    // A full page that ended a type exactly continues at the start of the next type that has any.
    if (!next && count > 0 && resources.length === count) {
      const following = totals.findIndex((total, index) => index > Math.max(lastServed, from) && total > 0);
      if (following !== -1) next = [following];
    }
    const total = totals.reduce((sum, n) => sum + n, 0);
    sendScim(res, 200, cursorListResponse(total, resources, next && encodeCursor(fingerprint, next)));
  }

  type Planned = { endpoint: ResourceEndpoint; request: ListRequest };
  const parsed = (r: { endpoint: ResourceEndpoint; request: ListRequest | ScimError }): r is Planned => !(r.request instanceof ScimError);

  function plan(params: ListParameters): Planned[] {
    const requests = endpoints.map((endpoint) => ({ endpoint, request: tryParse(endpoint, params) }));
    const sorted = requests.filter(parsed);
    if (sorted.length === 0) throw requests[0].request as ScimError;
    if (params.sortBy === undefined || sorted.length === requests.length) return sorted;
    // The other types failed on the filter or on the sortBy; those that only lack the sortBy take part unsorted.
    const unsortedParams = { ...params, sortBy: undefined, sortOrder: undefined };
    const unsorted = requests.filter((r) => !parsed(r)).map(({ endpoint }) => ({ endpoint, request: tryParse(endpoint, unsortedParams) })).filter(parsed);
    return sorted[0].request.sort?.descending ? [...unsorted, ...sorted] : [...sorted, ...unsorted];
  }

  const tryParse = (endpoint: ResourceEndpoint, params: ListParameters) => {
    try {
      return parseListRequest(endpoint.type, params, options.maxPageSize, options.maxFilterTerms);
    } catch (error) {
      if (error instanceof ScimError) return error;
      throw error;
    }
  };
  return router;
}
