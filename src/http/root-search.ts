import { Router } from 'express';
import { searchAll } from '../app/search';
import { methodNotAllowed } from '../scim/errors';
import { listParametersFromBody } from '../scim/list/list-request';
import { bodyOf } from './body';
import { sendScim } from './respond';
import type { RouterOptions } from './resources/resource-router';
import { cursorScopeOf, directoryOf, scimBaseUrl } from './tenant-scope';

/** POST /.search (RFC 7644 §3.4.3) across every resource type: see app/search.ts. */
export function rootSearchRouter(options: RouterOptions): Router {
  const router = Router();
  router.route('/.search')
    .post(async (req, res) => {
      const params = listParametersFromBody(bodyOf(req));
      sendScim(res, 200, await searchAll(directoryOf(res), params, scimBaseUrl(req, res), { ...options, scope: cursorScopeOf(res) }));
    })
    .all(() => { throw methodNotAllowed(['POST']); });
  return router;
}
