import { Router, type Request, type Response } from 'express';
import type { ActivityParameters } from '../app/activity';
import type { FeedParameters } from '../app/event-feed';
import { invalidValue, methodNotAllowed, notFound } from '../scim/errors';
import { bodyOf } from './body';
import { queryOf } from './resources/resource-router';
import { originOf } from './public-url';
import { directoryOf } from './tenant-scope';

/**
 * The query's values of `names`, each once at most (a repeated parameter is not guessed at), and
 * no other: a misspelt filter (`resource=` for `resourceId=`) must not quietly return everything.
 */
export function parameters<K extends string>(req: Request, names: readonly K[]): Partial<Record<K, string>> {
  const query = queryOf(req);
  const unknown = [...new Set(query.keys())].filter((key) => !(names as readonly string[]).includes(key));
  if (unknown.length) throw invalidValue(`This list takes ${names.join(', ')}; not ${unknown.join(', ')}`);
  return Object.fromEntries(names.flatMap((name) => {
    if (query.getAll(name).length > 1) {
      const hint = name === 'type' ? ' (several event types are one comma-separated type=user.*,group.*)' : '';
      throw invalidValue(`Give ${name} once: a repeated parameter is ambiguous${hint}`);
    }
    const value = query.get(name);
    return value === null ? [] : [[name, value]];
  })) as Partial<Record<K, string>>;
}

const id = (req: Request) => String(req.params.id);

const FEED: readonly (keyof FeedParameters)[] = ['after', 'before', 'order', 'limit', 'type', 'resourceId', 'actor'];
const ACTIVITY: readonly (keyof ActivityParameters)[] = ['hours'];

/**
 * A tenant's change events and webhooks (docs/events.md), mounted after tenantScope at
 * /admin/tenants/{tenantId} and, for the built-in tenant, at /admin:
 *   GET …/events[?after&limit&type&resourceId&actor], GET …/events/activity[?hours], GET …/events/{id}
 *   GET|POST …/webhooks, GET|PATCH|DELETE …/webhooks/{id}
 *   GET …/webhooks/{id}/deliveries[?state&before&limit], POST …/webhooks/{id}/deliveries/{eventId}/retry
 * Who may: operator tokens and the tenant's service tokens (app/event-feed.ts, app/webhooks).
 */
export function adminEventsRouter(): Router {
  const router = Router();
  const feed = (res: Response) => directoryOf(res).events;

  router.route('/')
    .get(async (req, res) => void res.json(await feed(res).read(parameters(req, FEED))))
    .all(() => { throw methodNotAllowed(['GET']); });

  // Before /:id, which would take "activity" for an event id.
  router.route('/activity')
    .get(async (req, res) => void res.json(await directoryOf(res).activity.read(parameters(req, ACTIVITY))))
    .all(() => { throw methodNotAllowed(['GET']); });

  router.route('/:id')
    .get(async (req, res) => {
      const eventId = /^\d{1,15}$/.test(id(req)) ? Number(id(req)) : undefined;
      const event = eventId === undefined ? undefined : await feed(res).get(eventId);
      if (!event) throw notFound(`No event has the id ${JSON.stringify(id(req))} in this tenant`);
      res.json(event);
    })
    .all(() => { throw methodNotAllowed(['GET']); });

  return router;
}

/** …/webhooks of a tenant: see adminEventsRouter. */
export function adminWebhooksRouter(): Router {
  const router = Router();
  const webhooks = (res: Response) => directoryOf(res).webhooks;

  router.route('/')
    .get(async (_req, res) => void res.json({ webhooks: await webhooks(res).list() }))
    .post(async (req, res) => {
      const created = await webhooks(res).create(bodyOf(req));
      res.status(201).set('Location', `${originOf(req)}${req.baseUrl}/${created.id}`).json(created);
    })
    .all(() => { throw methodNotAllowed(['GET', 'POST']); });

  router.route('/:id')
    .get(async (req, res) => void res.json(await webhooks(res).get(id(req))))
    .patch(async (req, res) => void res.json(await webhooks(res).update(id(req), bodyOf(req))))
    .delete(async (req, res) => {
      await webhooks(res).delete(id(req));
      res.status(204).end();
    })
    .all(() => { throw methodNotAllowed(['GET', 'PATCH', 'DELETE']); });

  router.route('/:id/deliveries')
    .get(async (req, res) => void res.json(await webhooks(res).deliveries(id(req), parameters(req, ['before', 'limit', 'state']))))
    .all(() => { throw methodNotAllowed(['GET']); });

  router.route('/:id/deliveries/:eventId/retry')
    .post(async (req, res) => void res.status(202).json(await webhooks(res).retry(id(req), String(req.params.eventId))))
    .all(() => { throw methodNotAllowed(['POST']); });

  return router;
}
