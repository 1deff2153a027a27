import { Router, type Request, type Response } from 'express';
import type { Application } from '../app/application';
import { invalidValue, methodNotAllowed } from '../scim/errors';
import { bodyOf } from './body';
import { sendResource } from './resources/resource-router';
import { directoryOf } from './tenant-scope';

/**
 * The admin API of one tenant's users (001's restore and per-user tokens), mounted after
 * tenantScope at /admin/users (the built-in tenant) and /admin/tenants/{tenantId}/users:
 *   POST|PUT …/users/restore {"userName": …} or {"id": …}
 *   GET|POST …/users/{id}/tokens, GET|DELETE …/users/{id}/tokens/{tokenId}
 * Restore needs the rights of SCIM writes; a user's tokens are theirs (app/user-tokens.ts).
 */
export function adminUsersRouter(application: Application): Router {
  const router = Router();
  const userTokens = (res: Response) => application.userTokens(directoryOf(res));

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
