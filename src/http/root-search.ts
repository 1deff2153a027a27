import { Router, type Request, type Response } from 'express';
import type { ResourceEndpoint } from './resources/endpoint';
import { ScimError, invalidSyntax, methodNotAllowed } from '../scim/errors';
import { listParametersFromBody, parseListRequest, type ListRequest } from '../scim/list/list-request';
import { listResponse } from '../scim/list/list-response';
import { isJsonObject, type JsonObject } from '../scim/values/json';
import { sendScim } from './respond';
import { baseUrlOf, type RouterOptions } from './resources/resource-router';

/**
 * POST /.search (RFC 7644 §3.4.3) across every resource type: Users first, then Groups, each in
 * its own order. A filter naming an attribute that one type lacks matches nothing of that type;
 * it is an error only when no type has it.
 */
export function rootSearchRouter(endpoints: readonly ResourceEndpoint[], options: RouterOptions): Router {
  const router = Router();
  router.route('/.search').post((req, res) => search(req, res)).all(() => { throw methodNotAllowed(['POST']); });

  async function search(req: Request, res: Response) {
    if (!isJsonObject(req.body)) throw invalidSyntax('The request body must be a JSON object');
    const params = listParametersFromBody(req.body);
    const requests = endpoints.map((endpoint) => ({ endpoint, request: tryParse(endpoint, params) }));
    const usable = requests.filter((r): r is { endpoint: ResourceEndpoint; request: ListRequest } => !(r.request instanceof ScimError));
    if (usable.length === 0) throw requests[0].request as ScimError;
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

  const tryParse = (endpoint: ResourceEndpoint, params: ReturnType<typeof listParametersFromBody>) => {
    try {
      return parseListRequest(endpoint.type, params, options.maxPageSize);
    } catch (error) {
      if (error instanceof ScimError) return error;
      throw error;
    }
  };
  return router;
}
