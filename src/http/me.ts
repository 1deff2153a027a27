import { Router, type Request, type Response } from 'express';
import type { Users } from '../domain/users';
import { methodNotAllowed, notFound } from '../scim/errors';
import type { ResourceSnapshot } from '../scim/resource/render';
import { expectedVersion } from './preconditions';
import type { ResourceEndpoint } from './resources/endpoint';
import { principalOf, sendResource } from './resources/resource-router';
import { bodyOf } from './body';

/**
 * /Me (RFC 7644 §3.11): the user a user-bound token acts as. GET, PUT and PATCH are the same
 * operations as on /Users/{id}, so every rule holds: a user may edit their own profile and
 * password, but not their own status, account type or roles, and cannot delete themselves.
 */
export function meRouter(users: Users, userEndpoint: ResourceEndpoint, basePath: string): Router {
  const router = Router();

  const myId = (res: Response): string => {
    const principal = principalOf(res);
    if (principal.kind !== 'user') throw notFound('/Me needs a token bound to a user; this is a service token (create user tokens with POST /admin/users/{id}/tokens)');
    return principal.userId;
  };


  const send = (req: Request, res: Response, user: ResourceSnapshot) => sendResource(userEndpoint, basePath, req, res, 200, user);

  router.route('/Me')
    .get(async (req, res) => send(req, res, await users.get(myId(res))))
    .put(async (req, res) => send(req, res, await userEndpoint.replace(myId(res), bodyOf(req), expectedVersion(req), principalOf(res))))
    .patch(async (req, res) => send(req, res, await userEndpoint.patch(myId(res), bodyOf(req), expectedVersion(req), principalOf(res))))
    .all(() => { throw methodNotAllowed(['GET', 'PUT', 'PATCH']); });
  return router;
}
