import { Router, type Request, type Response } from 'express';
import type { ResourceEndpoint } from './endpoint';
import { invalidCursor, methodNotAllowed } from '../../scim/errors';
import { encodeCursor } from '../../scim/list/cursor';
import { listParametersFromBody, listParametersFromQuery, parseListRequest, type ListParameters, type ListRequest } from '../../scim/list/list-request';
import { cursorListResponse, listResponse } from '../../scim/list/list-response';
import { parseProjection, type Projection } from '../../scim/projection';
import { etagOf, type ResourceSnapshot } from '../../scim/resource/render';
import { clientHasVersion, expectedVersion } from '../preconditions';
import { bodyOf } from '../body';
import { sendScim } from '../respond';
import type { Principal } from '../../domain/tokens';
import { InvalidPosition, type Page } from '../../store/port';
import { originOf } from '../public-url';

export interface RouterOptions {
  readonly basePath: string;
  readonly maxPageSize: number;
  /** MAX_FILTER_TERMS: the most comparisons one filter may hold. */
  readonly maxFilterTerms: number;
}

/** The one start of every URL Roster writes: Location, meta.location, $ref, bulk location. */
export const baseUrlOf = (req: Request, basePath: string) => `${originOf(req)}${basePath}`;
export const queryOf = (req: Request) => new URL(req.originalUrl, 'http://localhost').searchParams;

/** The authenticated caller, set by bearerAuth. */
export const principalOf = (res: Response): Principal => res.locals.principal as Principal;


/** GET one, POST, PUT and PATCH take only attributes/excludedAttributes from the query. */
const projectionOf = (endpoint: ResourceEndpoint, req: Request): Projection => {
  const query = queryOf(req);
  const param = (name: string) => [...query.entries()].filter(([key]) => key.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
  return parseProjection(endpoint.type, param('attributes'), param('excludedAttributes'));
};

/**
 * `Prefer: return=minimal` (RFC 7240) asks a PUT or PATCH to answer 204 without the resource.
 * A GET must still return the resource (a client that sends the preference on every request
 * would otherwise read nothing), and a POST's 201 carries the id the client needs.
 */
const isWrite = (req: Request) => req.method === 'PUT' || req.method === 'PATCH';
const prefersMinimal = (req: Request) =>
  String(req.headers.prefer ?? '').split(',').some((p) => /^return\s*=\s*"?minimal"?\s*(;|$)/i.test(p.trim()));

/**
 * Answers with one resource as every resource response does: rendered through the request's
 * projection, with its ETag, a Location on 201, or 204 when a PUT/PATCH prefers minimal.
 * Used by the resource routes, /Me and the admin restore.
 */
export async function sendResource(endpoint: ResourceEndpoint, basePath: string, req: Request, res: Response, status: number, resource: ResourceSnapshot): Promise<void> {
  const baseUrl = baseUrlOf(req, basePath);
  if (isWrite(req) && prefersMinimal(req)) return void res.status(204).set('ETag', etagOf(resource.version)).end();
  const [body] = await endpoint.render([resource], projectionOf(endpoint, req), baseUrl);
  const location: Record<string, string> = status === 201 ? { Location: `${baseUrl}${endpoint.type.endpoint}/${resource.id}` } : {};
  sendScim(res, status, body, { ETag: etagOf(resource.version), ...location });
}

/**
 * One page of a list. A cursor whose position the store refuses (well-formed, but not a place in
 * this query's order: forged, or from another kind of store) is 400 invalidCursor (RFC 9865 §2.1).
 */
export async function listPageOf(endpoint: ResourceEndpoint, request: ListRequest): Promise<Page<ResourceSnapshot>> {
  try {
    return await endpoint.list(request);
  } catch (error) {
    if (error instanceof InvalidPosition) {
      throw invalidCursor('The cursor does not name a place in the order of this query; send the nextCursor of the previous page unchanged, or an empty cursor to start again');
    }
    throw error;
  }
}

/** The RFC 7644 routes of one resource type: list, search, CRUD, with 405 for other methods. */
export function resourceRouter(endpoint: ResourceEndpoint, options: RouterOptions): Router {
  const router = Router();
  const path = endpoint.type.endpoint;

  const sendOne = (req: Request, res: Response, status: number, resource: ResourceSnapshot) =>
    sendResource(endpoint, options.basePath, req, res, status, resource);

  const list = async (req: Request, res: Response, params: ListParameters) => {
    const request = parseListRequest(endpoint.type, params, options.maxPageSize, options.maxFilterTerms);
    const page = await listPageOf(endpoint, request);
    const resources = await endpoint.render(page.items, request.projection, baseUrlOf(req, options.basePath));
    if (!request.cursor) return sendScim(res, 200, listResponse(page.total, request.startIndex, resources));
    const nextCursor = page.next ? encodeCursor(request.cursor.fingerprint, page.next) : undefined;
    sendScim(res, 200, cursorListResponse(page.total, resources, nextCursor));
  };

  router.route(path)
    .get((req, res) => list(req, res, listParametersFromQuery(queryOf(req))))
    .post(async (req, res) => sendOne(req, res, 201, await endpoint.create(bodyOf(req), principalOf(res))))
    .all(() => { throw methodNotAllowed(['GET', 'POST']); });

  router.route(`${path}/.search`)
    .post((req, res) => list(req, res, listParametersFromBody(bodyOf(req))))
    .all(() => { throw methodNotAllowed(['POST']); });

  router.route(`${path}/:id`)
    .get(async (req, res) => {
      const resource = await endpoint.get(String(req.params.id));
      if (clientHasVersion(req, etagOf(resource.version))) return void res.status(304).set('ETag', etagOf(resource.version)).end();
      await sendOne(req, res, 200, resource);
    })
    .put(async (req, res) => sendOne(req, res, 200, await endpoint.replace(String(req.params.id), bodyOf(req), expectedVersion(req), principalOf(res))))
    .patch(async (req, res) => sendOne(req, res, 200, await endpoint.patch(String(req.params.id), bodyOf(req), expectedVersion(req), principalOf(res))))
    .delete(async (req, res) => {
      await endpoint.delete(String(req.params.id), expectedVersion(req), principalOf(res));
      res.status(204).end();
    })
    .all(() => { throw methodNotAllowed(['GET', 'PUT', 'PATCH', 'DELETE']); });

  return router;
}
