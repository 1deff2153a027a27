import { Router, type Request, type Response } from 'express';
import type { Application } from '../app/application';
import { toListQuery } from '../app/resources/list-query';
import { settings } from '../config/config';
import { invalidValue, methodNotAllowed } from '../scim/errors';
import { encodeCursor } from '../scim/list/cursor';
import { listParametersFromQuery, parseListRequest } from '../scim/list/list-request';
import { cursorListResponse, listResponse } from '../scim/list/list-response';
import { isJsonObject, type JsonObject } from '../scim/values/json';
import { bodyOf } from './body';
import { queryOf, sendResource, type RouterOptions } from './resources/resource-router';
import { sendScim } from './respond';
import { directoryOf, scimBaseUrl } from './tenant-scope';

/** Until the caller passes MAX_PAGE_SIZE and MAX_FILTER_TERMS, their defaults. */
const DEFAULT_OPTIONS: RouterOptions = { maxPageSize: settings.maxPageSize.fallback, maxFilterTerms: settings.maxFilterTerms.fallback };

/**
 * Cursors of the deleted users are their own: one issued by GET /Users (same filter, same order)
 * is refused here, and the other way round. A tenant id has no ':', so no tenant's scope is this.
 */
const deletedScope = (res: Response) => `deleted-users:${String(res.locals.tenantId)}`;

/** A rendered user with the time of its deletion in meta, beside created and lastModified. */
const withDeleted = (resource: JsonObject, deletedAt: string): JsonObject =>
  ({ ...resource, meta: { ...(isJsonObject(resource.meta) ? resource.meta : {}), deleted: deletedAt } });

/**
 * The admin API of one tenant's users (001's restore and per-user tokens), mounted after
 * tenantScope at /admin/users (the built-in tenant) and /admin/tenants/{tenantId}/users:
 *   GET …/users/deleted[?filter&sortBy&sortOrder&startIndex&count&cursor&attributes&excludedAttributes]
 *   POST|PUT …/users/restore {"userName": …} or {"id": …}
 *   GET|POST …/users/{id}/tokens, GET|DELETE …/users/{id}/tokens/{tokenId}
 * Listing and restoring deleted users need the rights of SCIM writes; a user's tokens are theirs
 * (app/user-tokens.ts). `options`: the page size and filter limits of the SCIM lists.
 */
export function adminUsersRouter(application: Application, options: RouterOptions = DEFAULT_OPTIONS): Router {
  const router = Router();
  const userTokens = (res: Response) => application.userTokens(directoryOf(res));

  /**
   * The soft-deleted users as a SCIM ListResponse, exactly as GET /Users pages, filters and
   * renders users (their groups included: a restore brings them back), each with meta.deleted.
   */
  const listDeleted = async (req: Request, res: Response) => {
    const type = application.registry.user;
    const request = parseListRequest(type, listParametersFromQuery(queryOf(req)), options.maxPageSize, options.maxFilterTerms, deletedScope(res));
    const directory = directoryOf(res);
    const page = await directory.accounts.listDeleted(toListQuery(request), directory.context.actor);
    const rendered = await directory.users.render(page.items, request.projection, scimBaseUrl(req, res));
    const resources = rendered.map((resource, i) => withDeleted(resource, page.items[i].deletedAt));
    if (!request.cursor) return sendScim(res, 200, listResponse(page.total, request.startIndex, resources));
    sendScim(res, 200, cursorListResponse(page.total, resources, page.next ? encodeCursor(request.cursor.fingerprint, page.next) : undefined));
  };
  router.route('/deleted').get(listDeleted).all(() => { throw methodNotAllowed(['GET']); });

  const restore = async (req: Request, res: Response) => {
    const body = bodyOf(req);
    const key = typeof body.id === 'string' ? { id: body.id }
      : typeof body.userName === 'string' ? { userName: body.userName }
      : typeof body.username === 'string' ? { userName: body.username } : undefined;
    if (!key) throw invalidValue('Name the user to restore: {"userName": "…"} or {"id": "…"}');
    const directory = directoryOf(res);
    const user = await directory.accounts.restore(key, directory.context.actor);
    await sendResource(directory.users, req, res, 200, user);
  };
  router.route('/restore').post(restore).put(restore).all(() => { throw methodNotAllowed(['POST', 'PUT']); });

  router.route('/:id/tokens')
    .get(async (req, res) => void res.json({ tokens: await userTokens(res).list(String(req.params.id)) }))
    .post(async (req, res) => void res.status(201).json(await userTokens(res).create(String(req.params.id), bodyOf(req))))
    .all(() => { throw methodNotAllowed(['GET', 'POST']); });

  router.route('/:id/tokens/:tokenId')
    .get(async (req, res) => void res.json(await userTokens(res).get(String(req.params.id), String(req.params.tokenId))))
    .delete(async (req, res) => {
      await userTokens(res).remove(String(req.params.id), String(req.params.tokenId));
      res.status(204).end();
    })
    .all(() => { throw methodNotAllowed(['GET', 'DELETE']); });

  return router;
}
