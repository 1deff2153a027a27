import { Router } from 'express';
import type { Users } from '../domain/users';
import { methodNotAllowed, notFound } from '../scim/errors';
import { parseProjection } from '../scim/projection';
import { etagOf } from '../scim/resource/render';
import type { ResourceEndpoint } from './resources/endpoint';
import { baseUrlOf, principalOf, queryOf } from './resources/resource-router';
import { sendScim } from './respond';

/** GET /Me (RFC 7644 §3.11): the user a user-bound token acts as. */
export function meRouter(users: Users, userEndpoint: ResourceEndpoint, basePath: string): Router {
  const router = Router();
  router.route('/Me')
    .get(async (req, res) => {
      const principal = principalOf(res);
      if (principal.kind !== 'user') throw notFound('/Me needs a token bound to a user; this is a service token (create user tokens with POST /admin/users/{id}/tokens)');
      const user = await users.get(principal.userId);
      const query = queryOf(req);
      const projection = parseProjection(userEndpoint.type, query.getAll('attributes'), query.getAll('excludedAttributes'));
      const [body] = await userEndpoint.render([user], projection, baseUrlOf(req, basePath));
      sendScim(res, 200, body, { ETag: etagOf(user.version) });
    })
    .all(() => { throw methodNotAllowed(['GET']); });
  return router;
}
