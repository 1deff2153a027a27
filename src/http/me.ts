import { Router, type Request, type Response } from 'express';
import type { Principal } from '../app/context';
import { invalidValue, methodNotAllowed, notFound } from '../scim/errors';
import { PATCH_OP_URN } from '../scim/patch/patch-request';
import type { ResourceSnapshot } from '../scim/resource/render';
import { expectedVersion } from './preconditions';
import { sendResource } from './resources/resource-router';
import { directoryOf, principalOf } from './tenant-scope';
import { bodyOf } from './body';

/**
 * /Me (RFC 7644 §3.11): the user a user-bound token acts as. GET, PUT and PATCH are the same
 * operations as on /Users/{id}, so every rule holds: a user may edit their own profile, and
 * their password with the current one; not their own status, account type or roles, and they
 * cannot delete themselves. POST /Me/password {"currentPassword", "newPassword"} changes the
 * password alone (204), for clients that send nothing outside the schema in a PUT or PATCH.
 */
export function meRouter(): Router {
  const router = Router();

  const me = (res: Response): Principal & { kind: 'user' } => {
    const principal = principalOf(res);
    if (principal.kind !== 'user') throw notFound(`/Me needs a token bound to a user; this is ${principal.kind === 'operator' ? 'an operator' : 'a service'} token (create user tokens with POST /admin/users/{id}/tokens)`);
    return principal;
  };

  const users = (res: Response) => directoryOf(res).users;
  const send = (req: Request, res: Response, user: ResourceSnapshot) => sendResource(users(res), req, res, 200, user);

  router.route('/Me')
    .get(async (req, res) => send(req, res, await users(res).get(me(res).userId)))
    .put(async (req, res) => send(req, res, await users(res).replace(me(res).userId, bodyOf(req), expectedVersion(req))))
    .patch(async (req, res) => send(req, res, await users(res).patch(me(res).userId, bodyOf(req), expectedVersion(req))))
    .all(() => { throw methodNotAllowed(['GET', 'PUT', 'PATCH']); });

  router.route('/Me/password')
    .post(async (req, res) => {
      const principal = me(res);
      const body = bodyOf(req);
      const [currentPassword, newPassword] = [body.currentPassword, body.newPassword];
      if (typeof currentPassword !== 'string' || typeof newPassword !== 'string') {
        throw invalidValue('Send {"currentPassword": "<the password you have now>", "newPassword": "<the new one>"}');
      }
      // A PATCH of password in another form, so every rule and limit of a PATCH holds alike.
      const change = { schemas: [PATCH_OP_URN], Operations: [{ op: 'replace', value: { password: newPassword, currentPassword } }] };
      await users(res).patch(principal.userId, change, undefined);
      res.status(204).end();
    })
    .all(() => { throw methodNotAllowed(['POST']); });
  return router;
}
