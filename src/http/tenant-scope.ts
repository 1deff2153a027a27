import type { Request, RequestHandler, Response } from 'express';
import type { Application } from '../app/application';
import type { Directory } from '../app/directory';
import { DEFAULT_TENANT_ID, type Principal } from '../app/context';
import { originOf } from './public-url';

/** The authenticated caller, set by bearerAuth. */
export const principalOf = (res: Response): Principal => res.locals.principal as Principal;

/** The request's tenant directory, set by tenantScope. */
export const directoryOf = (res: Response): Directory => res.locals.directory as Directory;

/** The tenant a request names: the `:tenantId` of its URL, or the built-in one. */
export const tenantIdOf = (req: Request): string => (typeof req.params.tenantId === 'string' ? req.params.tenantId : DEFAULT_TENANT_ID);

/** The SCIM base URL of the request's tenant: `{origin}{SCIM_BASE_PATH}` or `…/tenants/{id}`. */
export const scimBaseUrl = (req: Request, res: Response): string => `${originOf(req)}${res.locals.scimBasePath as string}`;

/** A cursor belongs to its tenant (CursorQuery.scope); the built-in tenant's are unscoped, as before tenants. */
export const cursorScopeOf = (res: Response): string | undefined => {
  const tenantId = res.locals.tenantId as string;
  return tenantId === DEFAULT_TENANT_ID ? undefined : tenantId;
};

/** The SCIM base path of a tenant. */
export const tenantBasePath = (basePath: string, tenantId: string): string =>
  tenantId === DEFAULT_TENANT_ID ? basePath : `${basePath}/tenants/${tenantId}`;

/** Before authentication: the request log names the URL's tenant even when the token is refused. */
export const nameTenant: RequestHandler = (req, res, next) => {
  res.locals.tenantId = tenantIdOf(req);
  next();
};

/**
 * After bearerAuth: enters the tenant the URL names (Application.enter decides whether this
 * token may) and keeps the request's directory of use cases and its base path for the handlers.
 */
export function tenantScope(application: Application, basePath: string): RequestHandler {
  return (req, res, next) => {
    const tenantId = tenantIdOf(req);
    application.enter(principalOf(res), tenantId, String(res.locals.requestId)).then((directory) => {
      res.locals.directory = directory;
      res.locals.scimBasePath = tenantBasePath(basePath, tenantId);
      next();
    }, next);
  };
}
