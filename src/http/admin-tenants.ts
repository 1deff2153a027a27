import { Router, type Request, type Response } from 'express';
import type { Application } from '../app/application';
import type { TenantView } from '../app/tenants';
import { invalidValue, methodNotAllowed } from '../scim/errors';
import { bodyOf } from './body';
import { originOf } from './public-url';
import { queryOf } from './resources/resource-router';
import { principalOf, tenantBasePath } from './tenant-scope';

const DEFAULT_PAGE = 100;

/** A positive whole number from the query, or the default. */
function pageParameter(req: Request, name: string, fallback: number, min: number): number {
  const text = queryOf(req).get(name);
  if (text === null) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) throw invalidValue(`${name} must be a whole number of at least ${min}`);
  return value;
}

/**
 * Tenant administration, for operator tokens (app/tenants.ts):
 *   POST /admin/tenants {"id", "name", "settings"}; GET /admin/tenants[?startIndex&count]
 *   GET|PATCH|DELETE /admin/tenants/{id} (DELETE refuses a tenant with data unless ?force=true)
 *   POST /admin/tenants/{id}/tokens {"name", "expiresIn"}: a service token, shown once;
 *   GET /admin/tenants/{id}/tokens (never secrets), DELETE /admin/tenants/{id}/tokens/{tokenId} (revokes).
 * Each tenant is shown with the SCIM base URL its identity provider is given.
 */
export function tenantsRouter(application: Application, basePath: string): Router {
  const router = Router();
  const admin = application.tenants;
  const withUrl = (req: Request, tenant: TenantView) => ({ ...tenant, scimUrl: `${originOf(req)}${tenantBasePath(basePath, tenant.id)}` });
  const actor = (res: Response) => principalOf(res);
  // The request log names the tenant a route is about.
  router.param('tenantId', (_req, res, next, id: string) => {
    res.locals.tenantId = id;
    next();
  });

  router.route('/')
    .get(async (req, res) => {
      const startIndex = pageParameter(req, 'startIndex', 1, 1);
      const count = pageParameter(req, 'count', DEFAULT_PAGE, 0);
      const page = await admin.list(actor(res), startIndex, count);
      res.json({ totalResults: page.total, startIndex, itemsPerPage: page.items.length, tenants: page.items.map((t) => withUrl(req, t)) });
    })
    .post(async (req, res) => {
      const tenant = withUrl(req, await admin.create(actor(res), bodyOf(req), String(res.locals.requestId)));
      res.status(201).set('Location', `${originOf(req)}/admin/tenants/${tenant.id}`).json(tenant);
    })
    .all(() => { throw methodNotAllowed(['GET', 'POST']); });

  router.route('/:tenantId')
    .get(async (req, res) => void res.json(withUrl(req, await admin.get(actor(res), String(req.params.tenantId)))))
    .patch(async (req, res) => void res.json(withUrl(req, await admin.update(actor(res), String(req.params.tenantId), bodyOf(req), String(res.locals.requestId)))))
    .delete(async (req, res) => {
      const force = queryOf(req).get('force');
      if (force !== null && force !== 'true' && force !== 'false') throw invalidValue('force takes true or false');
      await admin.delete(actor(res), String(req.params.tenantId), force === 'true');
      res.status(204).end();
    })
    .all(() => { throw methodNotAllowed(['GET', 'PATCH', 'DELETE']); });

  router.route('/:tenantId/tokens')
    .get(async (req, res) => void res.json({ tokens: await admin.listTokens(actor(res), String(req.params.tenantId)) }))
    .post(async (req, res) => void res.status(201).set('Cache-Control', 'no-store').json(await admin.createToken(actor(res), String(req.params.tenantId), bodyOf(req), String(res.locals.requestId))))
    .all(() => { throw methodNotAllowed(['GET', 'POST']); });

  router.route('/:tenantId/tokens/:tokenId')
    .delete(async (req, res) => {
      await admin.revokeToken(actor(res), String(req.params.tenantId), String(req.params.tokenId), String(res.locals.requestId));
      res.status(204).end();
    })
    .all(() => { throw methodNotAllowed(['DELETE']); });

  return router;
}
