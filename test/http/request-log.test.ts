import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Express } from 'express';
import request from 'supertest';
import winston from 'winston';
import { loadConfig } from '../../src/config/config';
import { Tokens } from '../../src/app/tokens';
import type { Config } from '../../src/config/config';
import { assemble } from '../../src/main';
import { lineFormat } from '../../src/logger';
import { loadSchemaRegistry } from '../../src/scim/schema/registry';
import { DEFAULT_TENANT_ID, type Store, type UserStore } from '../../src/store/port';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import { BASE, TEST_TENANT, patchBody, userBody } from '../support/test-app';
import { journal } from '../support/journal';

/** A logger formatted as in production (src/logger.ts), writing JSON lines to memory. */
function memoryLogger() {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = winston.createLogger({
    level: 'info',
    format: lineFormat(),
    transports: [new winston.transports.Stream({ stream: sink })],
  });
  return {
    logger,
    text: () => chunks.join(''),
    lines: () => chunks.join('').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>),
    clear: () => void chunks.splice(0),
  };
}

/** The request line is written on 'finish', which can come just after the client has its answer. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** A store (the test tenant registered) and the application over it, with a service token of the test tenant named okta-prod. */
async function appOver(config: Config, logger: winston.Logger) {
  const store = openSqliteStore(':memory:');
  if (TEST_TENANT !== DEFAULT_TENANT_ID) await store.tenants.create({ id: TEST_TENANT, name: TEST_TENANT, settings: {} }, journal);
  const { secret } = await new Tokens(store.tenant(TEST_TENANT, journal).tokens).create('okta-prod');
  const { app } = assemble({ config, store, registry: loadSchemaRegistry(), logger });
  return { store, app, secret };
}

/** Replaces one method of the users of every tenant store the application opens from now on (jest.restoreAllMocks undoes it). */
function mockTenantUsers<K extends keyof UserStore>(store: Store, method: K, implementation: UserStore[K]) {
  const open = store.tenant.bind(store);
  jest.spyOn(store, 'tenant').mockImplementation((id, journal) => {
    const scoped = open(id, journal);
    jest.spyOn(scoped.users, method).mockImplementation(implementation as never);
    return scoped;
  });
}

describe('request log', () => {
  const PASSWORD = 'Never-Log-This-Password-7';
  let store: Store;
  let app: Express;
  let secret: string;
  let log: ReturnType<typeof memoryLogger>;

  const authed = (test: request.Test) => test.set('Authorization', `Bearer ${secret}`);
  const send = (test: request.Test, body: object) => authed(test).set('Content-Type', 'application/scim+json').send(JSON.stringify(body));
  const requestLines = () => log.lines().filter((l) => l.message === 'request');

  beforeAll(async () => {
    log = memoryLogger();
    ({ store, app, secret } = await appOver(loadConfig({ SQLITE_PATH: ':memory:' }), log.logger));
  });
  afterAll(() => store.close());
  beforeEach(() => log.clear());
  afterEach(() => jest.restoreAllMocks());

  it('writes one JSON line per request: method, path without the query, status, duration, request id, tenant and token name', async () => {
    const res = await authed(request(app).get(`${BASE}/Users?filter=${encodeURIComponent('userName eq "jane.doe@example.com"')}&count=5`));
    expect(res.status).toBe(200);
    await settle();
    const lines = log.lines();
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line).toMatchObject({
      level: 'info',
      message: 'request',
      method: 'GET',
      path: `${BASE}/Users`,
      status: 200,
      requestId: res.headers['x-request-id'],
      tenant: TEST_TENANT,
      token: 'okta-prod',
    });
    expect(typeof line.durationMs).toBe('number');
    expect(line.durationMs as number).toBeGreaterThanOrEqual(0);
    expect(line.durationMs as number).toBeLessThan(10_000);
    expect(log.text()).not.toContain('jane.doe');
    expect(log.text()).not.toContain('filter');
  });

  describe('names the tenant the URL names on every request line', () => {
    let tokens: Record<string, string>;
    beforeAll(async () => {
      if (!(await store.tenants.get('acme'))) await store.tenants.create({ id: 'acme', name: 'Acme', settings: {} }, journal);
      tokens = {
        [DEFAULT_TENANT_ID]: (await new Tokens(store.tenant(DEFAULT_TENANT_ID, journal).tokens).create('default-okta')).secret,
        acme: (await new Tokens(store.tenant('acme', journal).tokens).create('acme-okta')).secret,
      };
    });
    const lineOf = async (path: string, authorization?: string) => {
      log.clear();
      const test = request(app).get(path);
      const res = await (authorization === undefined ? test : test.set('Authorization', authorization));
      await settle();
      const [line] = requestLines();
      expect(line.status).toBe(res.status);
      return line;
    };

    it.each([
      ['"default" at the base path', '/scim/v2/Users', DEFAULT_TENANT_ID, DEFAULT_TENANT_ID],
      ['"acme" at /scim/v2/tenants/acme', '/scim/v2/tenants/acme/Users', 'acme', 'acme'],
      ['"acme" for acme\'s discovery endpoints too', '/scim/v2/tenants/acme/ServiceProviderConfig', 'acme', 'acme'],
    ])('%s', async (_label, path, tokenOf, tenant) => {
      expect(await lineOf(path, `Bearer ${tokens[tokenOf]}`)).toMatchObject({ status: 200, path, tenant, token: `${tokenOf}-okta` });
    });

    it('names the tenant of the URL when a token of another tenant is refused there (401)', async () => {
      expect(await lineOf('/scim/v2/tenants/acme/Users', `Bearer ${tokens[DEFAULT_TENANT_ID]}`)).toMatchObject({ status: 401, tenant: 'acme' });
      expect(await lineOf('/scim/v2/Users', `Bearer ${tokens.acme}`)).toMatchObject({ status: 401, tenant: DEFAULT_TENANT_ID });
    });

    it('names the tenant of the URL when the request has no valid token (401)', async () => {
      expect(await lineOf('/scim/v2/tenants/acme/Users')).toMatchObject({ status: 401, tenant: 'acme' });
      expect(await lineOf('/scim/v2/Users', 'Bearer roster_wrong-secret-value')).toMatchObject({ status: 401, tenant: DEFAULT_TENANT_ID });
    });

    it('names the tenant an admin route is about', async () => {
      expect(await lineOf('/admin/tenants/acme', `Bearer ${tokens.acme}`)).toMatchObject({ status: 403, tenant: 'acme' });
      expect(await lineOf('/admin/tenants/acme/users/restore', `Bearer ${tokens.acme}`)).toMatchObject({ status: 405, tenant: 'acme' });
    });

    it('names no tenant where the URL names none (/healthz)', async () => {
      expect(await lineOf('/healthz')).not.toHaveProperty('tenant');
    });
  });

  it('writes exactly one line for each of several requests, in order, with their own statuses', async () => {
    const created = await send(request(app).post(`${BASE}/Users`), userBody('log.order'));
    await authed(request(app).get(`${BASE}/Users/${created.body.id}`));
    await authed(request(app).get(`${BASE}/Users/no-such-id`));
    await authed(request(app).delete(`${BASE}/Users/${created.body.id}`));
    await settle();
    expect(requestLines().map((l) => [l.method, l.status])).toEqual([['POST', 201], ['GET', 200], ['GET', 404], ['DELETE', 204]]);
    expect(new Set(requestLines().map((l) => l.requestId)).size).toBe(4);
  });

  it('logs the request id the client sent', async () => {
    await authed(request(app).get(`${BASE}/ServiceProviderConfig`)).set('X-Request-Id', 'idp-trace-123');
    await settle();
    expect(requestLines()[0].requestId).toBe('idp-trace-123');
  });

  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  it.each([
    ['a sane one is echoed', 'idp-trace-123', 'idp-trace-123'],
    ['dots and underscores are sane', 'okta.req_9f8e', 'okta.req_9f8e'],
    ['100 characters is the longest echoed', 'a'.repeat(100), 'a'.repeat(100)],
    ['101 characters is replaced', 'a'.repeat(101), UUID],
    ['spaces are replaced', 'two words', UUID],
    ['markup is replaced', '<script>', UUID],
    ['an empty one is replaced', '', UUID],
    ['none sent: one is generated', undefined, UUID],
  ])('X-Request-Id: %s, returned on the response and logged', async (_label, sent, expected) => {
    let test = authed(request(app).get(`${BASE}/ServiceProviderConfig`));
    if (sent !== undefined) test = test.set('X-Request-Id', sent);
    const res = await test;
    await settle();
    const returned = res.headers['x-request-id'];
    if (typeof expected === 'string') expect(returned).toBe(expected);
    else expect(returned).toMatch(expected);
    expect(requestLines()[0].requestId).toBe(returned);
  });

  it('records the client address (req.ip); without TRUST_PROXY, X-Forwarded-For does not set it', async () => {
    await authed(request(app).get(`${BASE}/ServiceProviderConfig`)).set('X-Forwarded-For', '198.51.100.23');
    await request(app).get(`${BASE}/Users`);
    await settle();
    const addresses = requestLines().map((l) => l.clientAddress);
    expect(addresses).toEqual([expect.stringMatching(/127\.0\.0\.1$/), expect.stringMatching(/127\.0\.0\.1$/)]);
  });

  it('logs a refused request without a token name', async () => {
    await request(app).get(`${BASE}/Users`).set('Authorization', 'Bearer roster_wrong-secret-value');
    await settle();
    const [line] = requestLines();
    expect(line.status).toBe(401);
    expect(line).not.toHaveProperty('token');
    expect(log.text()).not.toContain('roster_wrong-secret-value');
  });

  it('writes a line, marked aborted, for a request whose client went away before the answer', async () => {
    // The client goes away once the handler is running (not after a fixed delay, which a busy machine can outrun).
    let handlerRunning = () => undefined as void;
    const running = new Promise<void>((resolve) => { handlerRunning = resolve; });
    mockTenantUsers(store, 'list', () => {
      handlerRunning();
      return new Promise((resolve) => setTimeout(() => resolve({ total: 0, items: [] }), 300));
    });
    const server = app.listen(0);
    try {
      await new Promise<void>((resolve) => server.once('listening', resolve));
      const { port } = server.address() as AddressInfo;
      await new Promise<void>((resolve) => {
        const req = http.get({ port, path: `${BASE}/Users?count=5`, headers: { Authorization: `Bearer ${secret}` } });
        req.on('error', () => resolve());
        req.on('close', () => resolve());
        void running.then(() => req.destroy());
      });
      await settle();
      expect(requestLines()).toEqual([expect.objectContaining({ method: 'GET', path: `${BASE}/Users`, status: 499, aborted: true, token: 'okta-prod' })]);
      // The handler finishing later does not write a second line.
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(requestLines()).toHaveLength(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('does not mark a completed request as aborted', async () => {
    await authed(request(app).get(`${BASE}/Users`));
    await settle();
    expect(requestLines()[0]).not.toHaveProperty('aborted');
  });

  it('logs /healthz too', async () => {
    await request(app).get('/healthz');
    await settle();
    expect(requestLines()).toEqual([expect.objectContaining({ method: 'GET', path: '/healthz', status: 200 })]);
  });

  it('never contains the bearer secret, the Authorization header or a password sent in a body', async () => {
    const created = await send(request(app).post(`${BASE}/Users`), userBody('log.secrets', { password: PASSWORD }));
    expect(created.status).toBe(201);
    await send(request(app).put(`${BASE}/Users/${created.body.id}`), userBody('log.secrets', { password: PASSWORD }));
    await send(request(app).patch(`${BASE}/Users/${created.body.id}`), patchBody({ op: 'replace', path: 'password', value: PASSWORD }));
    // Refused writes too: a bad PATCH path and malformed JSON that carries the password.
    await send(request(app).patch(`${BASE}/Users/${created.body.id}`), patchBody({ op: 'replace', path: 'password[', value: PASSWORD }));
    await authed(request(app).post(`${BASE}/Users`)).set('Content-Type', 'application/json').send(`{"userName":"x","password":"${PASSWORD}",`);
    await settle();
    expect(requestLines().map((l) => l.status)).toEqual([201, 200, 200, 400, 400]);
    const text = log.text();
    expect(text).not.toContain(secret);
    expect(text).not.toContain(secret.slice('roster_'.length));
    expect(text).not.toMatch(/authorization/i);
    expect(text).not.toMatch(/bearer/i);
    expect(text).not.toContain(PASSWORD);
  });

  it('on a 500, logs the cause with the request id, and still no secret, header or password', async () => {
    mockTenantUsers(store, 'create', () => Promise.reject(new Error('disk I/O error while inserting')));
    const res = await send(request(app).post(`${BASE}/Users`), userBody('log.500', { password: PASSWORD }));
    expect(res.status).toBe(500);
    await settle();
    const requestId = res.headers['x-request-id'];
    const errorLine = log.lines().find((l) => l.level === 'error');
    expect(errorLine).toMatchObject({ message: 'unhandled error', requestId });
    // The cause goes to the log (and only there): the response does not carry it.
    expect(JSON.stringify(errorLine)).toContain('disk I/O error while inserting');
    expect(res.text).not.toContain('disk I/O');
    expect(requestLines()).toEqual([expect.objectContaining({ status: 500, requestId, token: 'okta-prod' })]);
    const text = log.text();
    expect(text).not.toContain(secret);
    expect(text).not.toMatch(/authorization|bearer/i);
    expect(text).not.toContain(PASSWORD);
  });
});

describe('request log of rate-limited requests and failed authentications', () => {
  let store: Store;
  let app: Express;
  let secret: string;
  let log: ReturnType<typeof memoryLogger>;

  beforeAll(async () => {
    log = memoryLogger();
    const env = { SQLITE_PATH: ':memory:', TRUST_PROXY: 'true', RATE_LIMIT_PER_TOKEN: '1', RATE_LIMIT_AUTH_FAILURES: '2' };
    ({ store, app, secret } = await appOver(loadConfig(env), log.logger));
  });
  afterAll(() => store.close());
  beforeEach(() => log.clear());

  const from = (address: string, authorization: string) => request(app).get(`${BASE}/Users`).set('X-Forwarded-For', address).set('Authorization', authorization);
  const requestLines = () => log.lines().filter((l) => l.message === 'request');

  it('logs each 401 and each 429 with the client address, the limit, and one warning when an address is blocked; never the token', async () => {
    const wrong = 'Bearer roster_wrong-secret-0123456789';
    for (let i = 0; i < 4; i++) await from('203.0.113.5', wrong);
    await settle();
    expect(requestLines().map((l) => [l.status, l.clientAddress, l.rateLimit])).toEqual([
      [401, '203.0.113.5', undefined], [401, '203.0.113.5', undefined], [429, '203.0.113.5', 'authFailures'], [429, '203.0.113.5', 'authFailures'],
    ]);
    expect(log.lines().filter((l) => l.level === 'warn')).toEqual([
      expect.objectContaining({ message: 'too many failed authentications', clientAddress: '203.0.113.5', failures: 2 }),
    ]);
    expect(log.text()).not.toContain('wrong-secret');
    expect(log.text()).not.toMatch(/bearer|authorization/i);
  });

  it('logs a request over the per-token limit with the token name and the limit, never the secret', async () => {
    const responses = [];
    for (let i = 0; i < 6; i++) responses.push(await from('203.0.113.6', `Bearer ${secret}`));
    await settle();
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(requestLines()[5]).toMatchObject({ status: 429, clientAddress: '203.0.113.6', token: 'okta-prod', rateLimit: 'token' });
    expect(log.text()).not.toContain(secret.slice('roster_'.length));
  });
});
