import type { Express } from 'express';
import request from 'supertest';
import type { Config } from '../../src/config/config';
import { createLogger } from '../../src/logger';
import { assemble, measuredStore } from '../../src/main';
import { createMetrics, type Metrics } from '../../src/metrics';
import { loadSchemaRegistry } from '../../src/scim/schema/registry';
import { operatorToken, tenantWithToken } from '../support/tenants';
import { startTestApp, userBody, type TestApp } from '../support/test-app';

const METRICS_TOKEN = 'metrics-scraper-secret-0123456789abcdef';

/**
 * GET /metrics and what it counts (issue 12 §4). Each spec runs a metrics-enabled app over the
 * test app's store (startTestApp's app itself measures nothing): its tokens work in both.
 */
interface MeasuredApp {
  readonly t: TestApp;
  readonly app: Express;
  readonly metrics: Metrics;
  readonly operator: string;
}

async function measuredApp(overrides: Partial<Config> = {}): Promise<MeasuredApp> {
  const t = await startTestApp({ metricsToken: METRICS_TOKEN, ...overrides });
  const metrics = createMetrics({ processMetrics: false });
  const store = measuredStore(t.store, t.config, metrics);
  const { app } = assemble({ config: t.config, store, registry: loadSchemaRegistry(), logger: createLogger('silent'), metrics });
  return { t, app, metrics, operator: await operatorToken(t) };
}

/** One sample of the exposition: the value of `name` whose labels include `labels` (summed when several do). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let total: number | undefined;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const has = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => has[key] === value)) total = (total ?? 0) + Number(match[3]);
  }
  return total;
}

/** Every value one label takes in the samples of `name`. */
function labelValues(text: string, name: string, label: string): Set<string> {
  const values = new Set<string>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const value = new RegExp(`[{,]${label}="([^"]*)"`).exec(line)?.[1];
    if (value !== undefined) values.add(value);
  }
  return values;
}

describe('GET /metrics', () => {
  let m: MeasuredApp;
  beforeEach(async () => { m = await measuredApp(); });
  afterEach(() => m.t.close());

  const scrape = async (token = METRICS_TOKEN): Promise<string> => {
    const res = await request(m.app).get('/metrics').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    return res.text;
  };
  const as = (token: string) => ({
    get: (path: string) => request(m.app).get(path).set('Authorization', `Bearer ${token}`),
    post: (path: string, body: object) => request(m.app).post(path).set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/scim+json').send(JSON.stringify(body)),
  });

  describe('who may read it', () => {
    const userToken = async () => {
      const user = await as(m.t.token).post('/scim/v2/Users', userBody('ada'));
      const token = await as(m.t.token).post(`/admin/users/${user.body.id as string}/tokens`, { name: 'laptop' });
      expect(token.status).toBe(201);
      return token.body.token as string;
    };

    it.each([
      ['METRICS_TOKEN', async () => METRICS_TOKEN],
      ['an operator token', async () => m.operator],
    ])('serves the Prometheus text format to %s', async (_who, token) => {
      const res = await request(m.app).get('/metrics').set('Authorization', `Bearer ${await token()}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(res.text).toMatch(/^# HELP roster_http_requests_total /m);
      expect(res.text).toMatch(/^# TYPE roster_http_request_duration_seconds histogram$/m);
    });

    it.each([
      ['no token', undefined, 401],
      ['a token nobody issued', 'roster_never-issued-0123456789', 401],
      ['a secret that is not METRICS_TOKEN', `${METRICS_TOKEN}x`, 401],
      ['a service token of a tenant', 'service', 403],
      ['a user-bound token', 'user', 403],
    ])('refuses %s: %i', async (_who, token, status) => {
      const secret = token === 'service' ? m.t.token : token === 'user' ? await userToken() : token;
      const call = request(m.app).get('/metrics');
      const res = await (secret === undefined ? call : call.set('Authorization', `Bearer ${secret}`));
      expect(res.status).toBe(status);
      expect(res.text).not.toMatch(/roster_http_requests_total/);
      expect(res.body.detail).toMatch(/operator token or METRICS_TOKEN|bearer token/i);
      if (status === 401) expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="Roster"/);
    });

    it('does not accept the METRICS_TOKEN secret when METRICS_TOKEN is unset', async () => {
      const unset = await measuredApp({ metricsToken: undefined });
      try {
        expect((await request(unset.app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`)).status).toBe(401);
        expect((await request(unset.app).get('/metrics').set('Authorization', `Bearer ${unset.operator}`)).status).toBe(200);
      } finally {
        await unset.t.close();
      }
    });

    it('counts failed attempts like other failed authentications: past RATE_LIMIT_AUTH_FAILURES, 429', async () => {
      const limited = await measuredApp({ rateLimitAuthFailures: 2 });
      try {
        const get = (secret: string) => request(limited.app).get('/metrics').set('Authorization', `Bearer ${secret}`);
        expect((await get('wrong-0123456789')).status).toBe(401);
        expect((await get('wrong-0123456789')).status).toBe(401);
        const refused = await get(METRICS_TOKEN);
        expect(refused.status).toBe(429);
        expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      } finally {
        await limited.t.close();
      }
    });

    it('is not served by an app given no metrics', async () => {
      expect((await request(m.t.app).get('/metrics').set('Authorization', `Bearer ${m.operator}`)).status).toBe(404);
    });
  });

  describe('roster_http_requests_total and roster_http_request_duration_seconds', () => {
    it('count each request by method, route pattern (never the URL), status and tenant', async () => {
      const created = await as(m.t.token).post('/scim/v2/Users', userBody('bjensen'));
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      expect((await as(m.t.token).get(`/scim/v2/Users/${id}`)).status).toBe(200);
      expect((await as(m.t.token).get(`/scim/v2/users/${id}?attributes=userName`)).status).toBe(200);
      expect((await as(m.t.token).get('/scim/v2/Users/no-such-user')).status).toBe(404);
      const text = await scrape();
      const route = '/scim/v2/Users/:id';
      expect(sample(text, 'roster_http_requests_total', { method: 'POST', route: '/scim/v2/Users', status: '201', tenant: 'default' })).toBe(1);
      expect(sample(text, 'roster_http_requests_total', { method: 'GET', route, status: '200', tenant: 'default' })).toBe(2);
      expect(sample(text, 'roster_http_requests_total', { method: 'GET', route, status: '404', tenant: 'default' })).toBe(1);
      expect(sample(text, 'roster_http_request_duration_seconds_count', { method: 'GET', route, tenant: 'default' })).toBe(3);
      expect(sample(text, 'roster_http_request_duration_seconds_bucket', { method: 'GET', route, tenant: 'default', le: '+Inf' })).toBe(3);
      expect(text).not.toContain(id);
      expect(text).not.toContain('no-such-user');
    });

    it.each([
      ['GET', '/healthz', '/healthz'],
      ['GET', '/scim/v2/ServiceProviderConfig', '/scim/v2/ServiceProviderConfig'],
      ['GET', '/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User', '/scim/v2/Schemas/:id'],
      ['DELETE', '/scim/v2/Groups', '/scim/v2/Groups'],
      ['GET', '/admin/events', '/admin/events'],
      ['GET', '/admin/webhooks/0b5e7c1a', '/admin/webhooks/:id'],
      ['GET', '/scim/v2/NoSuchEndpoint', 'unmatched'],
      ['GET', '/scim/v2/Users/a/b/c', 'unmatched'],
      ['GET', '/admin/nothing-here', 'unmatched'],
      ['GET', '/favicon.ico', 'unmatched'],
    ])('labels %s %s with the route %s', async (method, path, route) => {
      const call = method === 'GET' ? request(m.app).get(path) : request(m.app).delete(path);
      await call.set('Authorization', `Bearer ${m.t.token}`);
      const routes = labelValues(await scrape(), 'roster_http_requests_total', 'route');
      expect(routes).toContain(route);
      expect([...routes].filter((r) => r !== '/metrics')).toEqual([route]);
    });

    it('labels a request refused before its route was reached with its mount, and no tenant', async () => {
      expect((await request(m.app).get('/scim/v2/Users')).status).toBe(401);
      expect((await request(m.app).post('/scim/v2/Users').set('Authorization', `Bearer ${m.t.token}`).set('Content-Type', 'application/scim+json').send('{"userName":')).status).toBe(400);
      const text = await scrape();
      expect(sample(text, 'roster_http_requests_total', { method: 'GET', route: '/scim/v2/*', status: '401', tenant: '-' })).toBe(1);
      expect(sample(text, 'roster_http_requests_total', { method: 'POST', route: '/scim/v2/*', status: '400', tenant: 'default' })).toBe(1);
    });

    it('labels requests with the tenant they entered, and no other: tenant ids a request only names add no label value', async () => {
      const acme = await tenantWithToken(m.t, m.operator, 'acme');
      expect((await as(acme).get('/scim/v2/tenants/acme/Users')).status).toBe(200);
      expect((await as(m.operator).get('/admin/tenants/acme/webhooks')).status).toBe(200);
      expect((await as(m.operator).get('/admin/tenants/acme')).status).toBe(200);
      // Tenants that do not exist, or that the token may not enter.
      expect((await as(m.operator).get('/scim/v2/tenants/ghost-1/Users')).status).toBe(404);
      expect((await as(acme).get('/scim/v2/tenants/ghost-2/Users')).status).toBe(401);
      expect((await as(m.t.token).get('/scim/v2/tenants/acme/Users')).status).toBe(401);
      expect((await as('roster_forged-0123456789').get('/admin/tenants/ghost-3/users/restore')).status).toBe(401);
      const text = await scrape();
      expect(labelValues(text, 'roster_http_requests_total', 'tenant')).toEqual(new Set(['acme', '-']));
      expect(text).not.toMatch(/ghost/);
      expect(sample(text, 'roster_http_requests_total', { route: '/scim/v2/tenants/:tenantId/Users', status: '200', tenant: 'acme' })).toBe(1);
      expect(sample(text, 'roster_http_requests_total', { route: '/admin/tenants/:tenantId/webhooks', status: '200', tenant: 'acme' })).toBe(1);
      expect(sample(text, 'roster_http_requests_total', { route: '/admin/tenants/:tenantId', status: '200', tenant: '-' })).toBe(1);
      expect(sample(text, 'roster_http_requests_total', { route: 'unmatched', status: '404', tenant: '-' })).toBe(1);
      expect(sample(text, 'roster_http_requests_total', { route: '/scim/v2/tenants/:tenantId/*', status: '401', tenant: '-' })).toBe(2);
      expect(sample(text, 'roster_http_requests_total', { route: '/admin/tenants/:tenantId/users/*', status: '401', tenant: '-' })).toBe(1);
    });

    it('names no token, secret or client address in any label', async () => {
      await as(m.t.token).get('/scim/v2/Users');
      await as(m.operator).get('/admin/tenants');
      const text = await scrape(m.operator);
      for (const secret of [m.t.token, m.operator, METRICS_TOKEN, 'test', 'operator', '127.0.0.1']) expect(text).not.toContain(`"${secret}"`);
      expect(text).not.toContain(m.t.token);
    });
  });

  describe('roster_store_operation_duration_seconds', () => {
    it('times the store operations the requests made, by adapter and operation', async () => {
      await as(m.t.token).post('/scim/v2/Users', userBody('ada'));
      await as(m.t.token).get('/scim/v2/Users');
      const text = await scrape();
      expect(sample(text, 'roster_store_operation_duration_seconds_count', { adapter: 'sqlite', operation: 'users.create' })).toBe(1);
      expect(sample(text, 'roster_store_operation_duration_seconds_count', { adapter: 'sqlite', operation: 'users.list' })).toBe(1);
      expect(sample(text, 'roster_store_operation_duration_seconds_count', { adapter: 'sqlite', operation: 'credentials.findByHash' })).toBeGreaterThanOrEqual(1);
    });
  });
});

describe('roster_rate_limit_refusals_total', () => {
  let m: MeasuredApp;
  afterEach(() => m.t.close());
  const scrape = async () => (await request(m.app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`)).text;

  it('starts at 0 for both limits', async () => {
    m = await measuredApp();
    const text = await scrape();
    expect(sample(text, 'roster_rate_limit_refusals_total', { kind: 'token' })).toBe(0);
    expect(sample(text, 'roster_rate_limit_refusals_total', { kind: 'auth_failures' })).toBe(0);
  });

  it('counts the 429s of the per-token limit (RATE_LIMIT_PER_TOKEN) as kind="token"', async () => {
    m = await measuredApp({ rateLimitPerToken: 1 });
    const responses = await Promise.all(Array.from({ length: 8 }, () => request(m.app).get('/scim/v2/ServiceProviderConfig').set('Authorization', `Bearer ${m.t.token}`)));
    const refused = responses.filter((r) => r.status === 429).length;
    expect(refused).toBeGreaterThanOrEqual(3);
    const text = await scrape();
    expect(sample(text, 'roster_rate_limit_refusals_total', { kind: 'token' })).toBe(refused);
    expect(sample(text, 'roster_http_requests_total', { route: '/scim/v2/*', status: '429', tenant: '-' })).toBe(refused);
  });

  it('counts the 429s of the failed-authentication limit (RATE_LIMIT_AUTH_FAILURES) as kind="auth_failures"', async () => {
    m = await measuredApp({ rateLimitAuthFailures: 2 });
    const get = () => request(m.app).get('/scim/v2/Users').set('Authorization', 'Bearer roster_never-issued-0123456789');
    expect((await get()).status).toBe(401);
    expect((await get()).status).toBe(401);
    expect((await get()).status).toBe(429);
    expect((await get()).status).toBe(429);
    // The scrape itself comes from the same (blocked) address: read the registry directly.
    const text = await m.metrics.exposition();
    expect(sample(text, 'roster_rate_limit_refusals_total', { kind: 'auth_failures' })).toBe(2);
    expect(sample(text, 'roster_rate_limit_refusals_total', { kind: 'token' })).toBe(0);
  });
});
