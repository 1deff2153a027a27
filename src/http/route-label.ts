import type { Request, RequestHandler, Response } from 'express';

/** The route label of a path no route of Roster serves. */
export const UNMATCHED = 'unmatched';

/**
 * Names the mount a request entered (app.ts puts it first in every mount), because Express
 * keeps only the mount's concrete URL (`req.baseUrl`, which is moreover reset when an error
 * leaves the router), never its pattern.
 */
export const mountedAt = (pattern: string): RequestHandler => (_req, res, next) => {
  res.locals.mount = pattern;
  next();
};

/**
 * A request's route as a metrics label: the pattern it matched, e.g. `/scim/v2/Users/:id` or
 * `/admin/tenants/:tenantId/webhooks/:id`, never the URL itself, so the label has as many values
 * as Roster has routes, whatever clients send: the mount's pattern (mountedAt) joined to the
 * route's (`req.route.path`, kept even when the handler fails). A request refused before its
 * route was reached (401, 403, 429, a body too large or not JSON) is labelled with its mount,
 * e.g. `/scim/v2/*`; a path no route serves (404 without a route) is `unmatched`. Routes
 * registered on the app itself (`/healthz`) have no mount.
 */
export function routeLabel(req: Request, res: Response): string {
  const mount = res.locals.mount as string | undefined;
  const route = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof route === 'string') return join(mount ?? '', route);
  if (mount === undefined || res.statusCode === 404) return UNMATCHED;
  return `${mount}/*`;
}

/** `/admin/events` + `/` is `/admin/events`; `` + `/healthz` is `/healthz`. */
function join(mount: string, route: string): string {
  const joined = route === '/' ? mount : `${mount}${route}`;
  return joined === '' ? '/' : joined;
}
