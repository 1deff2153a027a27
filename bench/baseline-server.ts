/**
 * The baselines Roster is compared with, each a process of its own like Roster's, serving the
 * same paths under the same base path, with no authentication and no SCIM rendering:
 *
 * - BASELINE=store: a minimal Express handler over the SAME store file. Lists parse their query
 *   with Roster's own parser (filter, sortBy, startIndex, count, cursor) and ask the store; a
 *   user is served as its stored attributes with id and meta. What Roster adds on top (auth,
 *   routing, schema rendering, projections, groups) is the difference.
 * - BASELINE=memory: a minimal Express handler over the same users held in memory as JSON (an
 *   array for pages, a map for ids): what a page and a lookup cost with no database at all.
 */
import { join } from 'node:path';
import express from 'express';
import { SYSTEM_JOURNAL } from '../src/app/journals';
import { toListQuery } from '../src/app/resources/list-query';
import { listParametersFromQuery, parseListRequest } from '../src/scim/list/list-request';
import { listResponse } from '../src/scim/list/list-response';
import { loadSchemaRegistry } from '../src/scim/schema/registry';
import type { JsonObject } from '../src/scim/values/json';
import type { StoredResource } from '../src/store/port';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store';

const basePath = process.env.SCIM_BASE_PATH ?? '/scim/v2';
const registry = loadSchemaRegistry(join(__dirname, '..', '..', 'schemas'));
const store = openSqliteStore(process.env.SQLITE_PATH!);
const users = store.tenant('default', SYSTEM_JOURNAL).users;
const asJson = (r: StoredResource): JsonObject => ({ id: r.id, ...r.data, meta: { created: r.created, lastModified: r.lastModified, version: r.version } });
const query = (url: string) => new URL(url, 'http://localhost').searchParams;

const app = express();
app.set('etag', false);
app.set('x-powered-by', false);
app.use(express.json({ type: ['application/json', 'application/scim+json'] }));
app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));

async function overStore(): Promise<void> {
  app.get(`${basePath}/Users`, async (req, res) => {
    try {
      const request = parseListRequest(registry.user, listParametersFromQuery(query(req.url)), 1000, 100);
      const page = await users.list(toListQuery(request));
      res.json(listResponse(page.total, request.startIndex, page.items.map(asJson)));
    } catch (error) {
      res.status(400).json({ detail: String(error) });
    }
  });
  app.get(`${basePath}/Users/:id`, async (req, res) => {
    const user = await users.get(req.params.id);
    if (user) res.json(asJson(user));
    else res.status(404).json({ detail: 'not found' });
  });
  app.post(`${basePath}/Users`, async (req, res) => {
    try {
      res.status(201).json(asJson(await users.create({ data: req.body as JsonObject })));
    } catch (error) {
      res.status(409).json({ detail: String(error) });
    }
  });
}

async function inMemory(): Promise<void> {
  const all = (await users.list({ offset: 0, limit: Number.MAX_SAFE_INTEGER })).items.map(asJson);
  const byId = new Map(all.map((user) => [user.id as string, user]));
  await store.close();
  app.get(`${basePath}/Users`, (req, res) => {
    const params = query(req.url);
    const startIndex = Math.max(1, Number(params.get('startIndex') ?? 1));
    const count = Math.min(1000, Number(params.get('count') ?? 100));
    res.json(listResponse(all.length, startIndex, all.slice(startIndex - 1, startIndex - 1 + count)));
  });
  app.get(`${basePath}/Users/:id`, (req, res) => {
    const user = byId.get(req.params.id);
    if (user) res.json(user);
    else res.status(404).json({ detail: 'not found' });
  });
}

(process.env.BASELINE === 'memory' ? inMemory() : overStore()).then(() => {
  const server = app.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
  process.on('SIGTERM', () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}, (error: unknown) => {
  console.error(error);
  process.exit(1);
});
