import { Router, type Request, type Response } from 'express';
import { methodNotAllowed } from '../scim/errors';
import { bodyOf } from './body';
import { originOf } from './public-url';
import { directoryOf, scimBaseUrl } from './tenant-scope';

const id = (req: Request) => String(req.params.id);

/** A POST that adds a secret may come without a body: every field has a default. */
const optionalBody = (req: Request) => (req.body === undefined ? {} : bodyOf(req));

/**
 * A tenant's OAuth clients (client credentials for Entra ID), mounted after tenantScope at
 * /admin/tenants/{tenantId}/clients and, for the built-in tenant, at /admin/clients:
 *   GET|POST …/clients, GET|DELETE …/clients/{id}
 *   POST …/clients/{id}/secrets, DELETE …/clients/{id}/secrets/{secretId}
 * A new client and a new secret are answered with the secret, shown that once, and with the two
 * URLs the identity provider asks for (the token endpoint and the tenant's SCIM base URL).
 * Who may: operator tokens and the tenant's static service tokens (app/clients.ts).
 */
export function adminClientsRouter(): Router {
  const router = Router();
  const clients = (res: Response) => directoryOf(res).clients;
  const urls = (req: Request, res: Response) => ({ tokenUrl: `${originOf(req)}/oauth/token`, scimUrl: scimBaseUrl(req, res) });

  router.route('/')
    .get(async (_req, res) => void res.json({ clients: await clients(res).list() }))
    .post(async (req, res) => {
      const created = await clients(res).create(bodyOf(req));
      res.status(201).set({ Location: `${originOf(req)}${req.baseUrl}/${created.clientId}`, 'Cache-Control': 'no-store' }).json({ ...created, ...urls(req, res) });
    })
    .all(() => { throw methodNotAllowed(['GET', 'POST']); });

  router.route('/:id')
    .get(async (req, res) => void res.json(await clients(res).get(id(req))))
    .delete(async (req, res) => {
      await clients(res).delete(id(req));
      res.status(204).end();
    })
    .all(() => { throw methodNotAllowed(['GET', 'DELETE']); });

  router.route('/:id/secrets')
    .post(async (req, res) => {
      const added = await clients(res).addSecret(id(req), optionalBody(req));
      res.status(201).set('Cache-Control', 'no-store').json({ ...added, ...urls(req, res) });
    })
    .all(() => { throw methodNotAllowed(['POST']); });

  router.route('/:id/secrets/:secretId')
    .delete(async (req, res) => {
      await clients(res).revokeSecret(id(req), String(req.params.secretId));
      res.status(204).end();
    })
    .all(() => { throw methodNotAllowed(['DELETE']); });

  return router;
}
