import { Router, type Request, type Response } from 'express';
import type { Directory } from '../../app/directory';
import type { ResourceEndpoint } from '../../app/resources/endpoint';
import { methodNotAllowed } from '../../scim/errors';
import { encodeCursor } from '../../scim/list/cursor';
import { listParametersFromBody, listParametersFromQuery, parseListRequest, type ListParameters } from '../../scim/list/list-request';
import { cursorListResponse, listResponse } from '../../scim/list/list-response';
import { parseProjection, type Projection } from '../../scim/projection';
import type { ResourceType } from '../../scim/schema/definitions';
import { etagOf, type ResourceSnapshot } from '../../scim/resource/render';
import { clientHasVersion, expectedVersion } from '../preconditions';
import { bodyOf } from '../body';
import { sendScim } from '../respond';
import { hasMemberPages } from '../../app/resources/member-pages';
import { parseMembersPaging, type MembersPaging } from '../../scim/list/members-page-request';
import { sendWithMembers } from './send-members';
import { answersMinimal } from './write-answer';
import { cursorScopeOf, directoryOf, scimBaseUrl } from '../tenant-scope';

export interface RouterOptions {
  readonly maxPageSize: number;
  /** MAX_FILTER_TERMS: the most comparisons one filter may hold. */
  readonly maxFilterTerms: number;
}

/** Which of a directory's endpoints a router serves. */
export type EndpointOf = (directory: Directory) => ResourceEndpoint;

export const queryOf = (req: Request) => new URL(req.originalUrl, 'http://localhost').searchParams;

/** GET one, POST, PUT and PATCH take only attributes/excludedAttributes from the query. */
const projectionOf = (type: ResourceType, req: Request): Projection => {
  const query = queryOf(req);
  const param = (name: string) => [...query.entries()].filter(([key]) => key.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
  return parseProjection(type, param('attributes'), param('excludedAttributes'));
};

/**
 * Answers with one resource as every resource response does: rendered through the request's
 * projection, with its ETag and a Location on 201; or 204 with the ETag when the write answers
 * minimal (write-answer.ts). A resource with members (a group) is answered through
 * send-members.ts: streamed, or the slice of members `paging` selects (membersPagingOf, parsed
 * by the caller before the write, so a bad membersCount is refused before anything is written).
 * Used by the resource routes, /Me and the admin restore.
 */
export async function sendResource(endpoint: ResourceEndpoint, req: Request, res: Response, status: number, resource: ResourceSnapshot, paging?: MembersPaging): Promise<void> {
  const baseUrl = scimBaseUrl(req, res);
  if (answersMinimal(endpoint.type, req)) return void res.status(204).set('ETag', etagOf(resource.version)).end();
  const projection = projectionOf(endpoint.type, req);
  const location: Record<string, string> = status === 201 ? { Location: `${baseUrl}${endpoint.type.endpoint}/${resource.id}` } : {};
  const headers = { ETag: etagOf(resource.version), ...location };
  if (hasMemberPages(endpoint) && projection.includes('members')) {
    return sendWithMembers(endpoint, res, { status, headers, resource }, projection, baseUrl, paging);
  }
  const [body] = await endpoint.render([resource], projection, baseUrl);
  sendScim(res, status, body, headers);
}

/** The RFC 7644 routes of one resource type: list, search, CRUD, with 405 for other methods. */
export function resourceRouter(type: ResourceType, endpointOf: EndpointOf, options: RouterOptions): Router {
  const router = Router();
  const path = type.endpoint;
  const endpoint = (res: Response) => endpointOf(directoryOf(res));

  /**
   * Runs `operation` (a read or a write) and answers with its resource. The member paging
   * parameters are parsed first: a bad one is a 400 before anything is read or written.
   */
  const pagingOf = (req: Request, res: Response) => (hasMemberPages(endpoint(res)) ? parseMembersPaging(queryOf(req), options.maxPageSize) : undefined);
  const answer = async (req: Request, res: Response, status: number, operation: () => Promise<ResourceSnapshot>) => {
    const paging = pagingOf(req, res);
    await sendResource(endpoint(res), req, res, status, await operation(), paging);
  };

  const list = async (req: Request, res: Response, params: ListParameters) => {
    const request = parseListRequest(type, params, options.maxPageSize, options.maxFilterTerms, cursorScopeOf(res));
    const page = await endpoint(res).list(request);
    const resources = await endpoint(res).render(page.items, request.projection, scimBaseUrl(req, res));
    if (!request.cursor) return sendScim(res, 200, listResponse(page.total, request.startIndex, resources));
    const nextCursor = page.next ? encodeCursor(request.cursor.fingerprint, page.next) : undefined;
    sendScim(res, 200, cursorListResponse(page.total, resources, nextCursor));
  };

  router.route(path)
    .get((req, res) => list(req, res, listParametersFromQuery(queryOf(req))))
    .post((req, res) => answer(req, res, 201, () => endpoint(res).create(bodyOf(req))))
    .all(() => { throw methodNotAllowed(['GET', 'POST']); });

  router.route(`${path}/.search`)
    .post((req, res) => list(req, res, listParametersFromBody(bodyOf(req))))
    .all(() => { throw methodNotAllowed(['POST']); });

  router.route(`${path}/:id`)
    .get(async (req, res) => {
      const paging = pagingOf(req, res);
      const resource = await endpoint(res).get(String(req.params.id));
      if (clientHasVersion(req, etagOf(resource.version))) return void res.status(304).set('ETag', etagOf(resource.version)).end();
      await sendResource(endpoint(res), req, res, 200, resource, paging);
    })
    .put((req, res) => answer(req, res, 200, () => endpoint(res).replace(String(req.params.id), bodyOf(req), expectedVersion(req))))
    .patch((req, res) => answer(req, res, 200, () => endpoint(res).patch(String(req.params.id), bodyOf(req), expectedVersion(req))))
    .delete(async (req, res) => {
      await endpoint(res).delete(String(req.params.id), expectedVersion(req));
      res.status(204).end();
    })
    .all(() => { throw methodNotAllowed(['GET', 'PUT', 'PATCH', 'DELETE']); });

  return router;
}
