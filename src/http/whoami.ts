import { Router, type Response } from 'express';
import { methodNotAllowed } from '../scim/errors';
import { principalOf } from './tenant-scope';

/**
 * GET /admin/whoami: what the request's token is, so the console (or a script) knows where it
 * may go before it tries. Names and ids only, never a secret: the caller already holds the token.
 */
export function whoamiRouter(basePath: string): Router {
  const router = Router();
  router.route('/')
    .get((_req, res: Response) => {
      const principal = principalOf(res);
      res.set('Cache-Control', 'no-store').json({
        kind: principal.kind,
        tokenId: principal.tokenId,
        tokenName: principal.tokenName,
        ...(principal.kind === 'operator' ? {} : { tenantId: principal.tenantId }),
        ...(principal.kind === 'user' ? { userId: principal.userId } : {}),
        ...(principal.kind === 'service' && principal.clientId !== undefined ? { clientId: principal.clientId } : {}),
        scimBasePath: basePath,
      });
    })
    .all(() => { throw methodNotAllowed(['GET']); });
  return router;
}
