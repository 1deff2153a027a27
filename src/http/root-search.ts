import { Router, type Request, type Response } from 'express';
import type { ResourceEndpoint } from './resources/endpoint';
import { ScimError, invalidSyntax, methodNotAllowed } from '../scim/errors';
import { listParametersFromBody, parseListRequest, type ListParameters, type ListRequest } from '../scim/list/list-request';
import { listResponse } from '../scim/list/list-response';
import { isJsonObject, type JsonObject } from '../scim/values/json';
import { sendScim } from './respond';
import { baseUrlOf, type RouterOptions } from './resources/resource-router';

/**
 * POST /.search (RFC 7644 §3.4.3) across every resource type: Users first, then Groups, each in
 * its own order. A filter naming an attribute that one type lacks matches nothing of that type;
 * it is an error only when no type has it. A sortBy that one type lacks does not drop that type:
 * its resources have no sort value, so (RFC 7644 §3.4.2.3) they come after the sorted types in
 * ascending order and before them in descending order.
 */
export function rootSearchRouter(endpoints: readonly ResourceEndpoint[], options: RouterOptions): Router {
  const router = Router();
  router.route('/.search').post((req, res) => search(req, res)).all(() => { throw methodNotAllowed(['POST']); });

  async function search(req: Request, res: Response) {
    if (!isJsonObject(req.body)) throw invalidSyntax('The request body must be a JSON object');
    const params = listParametersFromBody(req.body);
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
      return parseListRequest(endpoint.type, params, options.maxPageSize);
    } catch (error) {
      if (error instanceof ScimError) return error;
      throw error;
    }
  };
  return router;
}
