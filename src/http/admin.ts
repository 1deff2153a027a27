import { Router, type Request, type Response } from 'express';
import { checkTokenOwner } from '../domain/access';
import type { Tokens } from '../domain/tokens';
import type { Users } from '../domain/users';
import { parseDuration } from '../config/duration';
import { invalidValue, methodNotAllowed, notFound } from '../scim/errors';
import type { TokenRecord } from '../store/port';
import type { ResourceEndpoint } from './resources/endpoint';
import { principalOf, sendResource } from './resources/resource-router';
import { bodyOf } from './body';

/** Token metadata as the admin API shows it: never the secret or its hash. */
const tokenView = (t: TokenRecord) => ({
  id: t.id, name: t.name, userId: t.userId, created: t.created,
  expires: t.expires ?? null, lastUsed: t.lastUsed ?? null, revoked: t.revoked ?? null,
});

/**
 * The admin API outside the SCIM base path (001's restore and per-user token endpoints):
 *   POST|PUT /admin/users/restore {"userName": …} or {"id": …}
 *   GET|POST /admin/users/{id}/tokens, GET|DELETE /admin/users/{id}/tokens/{tokenId}
 * Restore needs the rights of SCIM writes. A user's tokens are theirs: only a service token or
 * that user may create, list, read or delete them (checkTokenOwner), checked before the user is
 * looked up, so another user's token cannot even learn whether an id exists.
 */
export function adminRouter(users: Users, tokens: Tokens, userEndpoint: ResourceEndpoint, basePath: string): Router {
  const router = Router();

  const restore = async (req: Request, res: Response) => {
    const body = bodyOf(req);
    const key = typeof body.id === 'string' ? { id: body.id }
      : typeof body.userName === 'string' ? { userName: body.userName }
      : typeof body.username === 'string' ? { userName: body.username } : undefined;
    if (!key) throw invalidValue('Name the user to restore: {"userName": "…"} or {"id": "…"}');
    const user = await users.restore(key, principalOf(res));
    await sendResource(userEndpoint, basePath, req, res, 200, user);
  };
  router.route('/users/restore').post(restore).put(restore).all(() => { throw methodNotAllowed(['POST', 'PUT']); });

  /** The token must exist and belong to the user in the path. */
  const tokenOf = async (userId: string, tokenId: string) => {
    const token = await tokens.get(tokenId);
    if (!token || token.userId !== userId) throw notFound(`User ${JSON.stringify(userId)} has no token ${JSON.stringify(tokenId)}`);
    return token;
  };

  router.route('/users/:id/tokens')
    .get(async (req, res) => {
      checkTokenOwner(principalOf(res), String(req.params.id), 'read');
      const user = await users.get(String(req.params.id));
      res.json({ tokens: (await tokens.list(user.id)).map(tokenView) });
    })
    .post(async (req, res) => {
      checkTokenOwner(principalOf(res), String(req.params.id), 'create');
      const user = await users.get(String(req.params.id));
      const body = bodyOf(req);
      const name = typeof body.name === 'string' && body.name.trim() !== '' ? body.name.trim() : 'api';
      const expiresIn = body.expiresIn === undefined || body.expiresIn === null ? undefined : parseDuration(String(body.expiresIn));
      if (body.expiresIn !== undefined && body.expiresIn !== null && expiresIn === undefined) throw invalidValue('expiresIn takes a duration such as 90d, 12h or 30m');
      const { token, secret } = await tokens.createForUser(user.id, name, expiresIn);
      res.status(201).json({ ...tokenView(token), token: secret });
    })
    .all(() => { throw methodNotAllowed(['GET', 'POST']); });

  router.route('/users/:id/tokens/:tokenId')
    .get(async (req, res) => {
      checkTokenOwner(principalOf(res), String(req.params.id), 'read');
      res.json(tokenView(await tokenOf(String(req.params.id), String(req.params.tokenId))));
    })
    .delete(async (req, res) => {
      checkTokenOwner(principalOf(res), String(req.params.id), 'delete');
      const token = await tokenOf(String(req.params.id), String(req.params.tokenId));
      await tokens.remove(token.id);
      res.status(204).end();
    })
    .all(() => { throw methodNotAllowed(['GET', 'DELETE']); });

  return router;
}
