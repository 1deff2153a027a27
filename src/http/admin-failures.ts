import { Router } from 'express';
import type { FailureParameters } from '../app/failure-log';
import { methodNotAllowed } from '../scim/errors';
import { parameters } from './admin-events';
import { directoryOf } from './tenant-scope';

const LOG: readonly (keyof FailureParameters)[] = ['before', 'limit', 'status'];

/**
 * A tenant's failed requests (docs/events.md, Failed requests), mounted after tenantScope at
 * /admin/tenants/{tenantId}/failures and, for the built-in tenant, at /admin/failures:
 *   GET …/failures[?before&limit&status]: newest first, `next` (the `before` of the next page) when full.
 * Who may: operator tokens and the tenant's service tokens, as for its events (app/failure-log.ts).
 */
export function adminFailuresRouter(): Router {
  const router = Router();
  router.route('/')
    .get(async (req, res) => void res.json(await directoryOf(res).failures.read(parameters(req, LOG))))
    .all(() => { throw methodNotAllowed(['GET']); });
  return router;
}
