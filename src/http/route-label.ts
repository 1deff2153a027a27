import type { Request, Response } from 'express';

/** The route label of a path no route of Roster serves. */
export const UNMATCHED = 'unmatched';

/**
 * A request's route as a metrics label: the pattern it matched, e.g. `/scim/v2/Users/:id` or
 * `/admin/tenants/:tenantId/webhooks/:id`, never the URL itself, so the label has as many values
 * as Roster has routes, whatever clients send.
 *
 * Express knows the pattern inside the innermost router (`req.route.path`, kept even when the
 * handler fails), but only the concrete URL of the mount above it (`req.baseUrl`, which is
 * moreover reset when an error leaves the router). The mounts are therefore listed here, as
 * app.ts declares them, and found from the URL. A request refused before its route was reached
 * (401, 403, 429, a body too large or not JSON) is labelled with its mount, e.g. `/scim/v2/*`;
 * a path no route serves (404 without a route) is `unmatched`.
 */
export function routeLabeller(basePath: string): (req: Request, res: Response) => string {
  const mounts = mountsOf(basePath);
  return (req, res) => {
    const path = req.originalUrl.split('?')[0];
    const mount = mounts.find((m) => m.test.test(path));
    const route = (req.route as { path?: unknown } | undefined)?.path;
    if (typeof route === 'string') return join(mount?.pattern ?? '', route);
    if (mount === undefined || res.statusCode === 404) return UNMATCHED;
    return `${mount.pattern}/*`;
  };
}

interface Mount {
  readonly pattern: string;
  readonly test: RegExp;
}

/** app.ts's mounts, most specific first; routes registered on the app itself have none (''). */
function mountsOf(basePath: string): readonly Mount[] {
  const adminParts = ['users', 'events', 'webhooks', 'clients'];
  const patterns = [
    `${basePath}/tenants/:tenantId`,
    basePath,
    ...adminParts.map((part) => `/admin/tenants/:tenantId/${part}`),
    '/admin/tenants',
    ...adminParts.map((part) => `/admin/${part}`),
    '/admin',
    '/oauth/token',
  ];
  return patterns.map((pattern) => ({ pattern, test: mountTest(pattern) }));
}

/** As Express matches a mount: case-insensitively, a parameter being one path segment, up to a `/` or the end. */
function mountTest(pattern: string): RegExp {
  const source = pattern.split('/').map((segment) => (segment.startsWith(':') ? '[^/]+' : escape(segment))).join('/');
  return new RegExp(`^${source}(?:/|$)`, 'i');
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `/admin/events` + `/` is `/admin/events`; `` + `/healthz` is `/healthz`. */
function join(mount: string, route: string): string {
  const joined = route === '/' ? mount : `${mount}${route}`;
  return joined === '' ? '/' : joined;
}
