import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import type { Application } from '../../src/app/application';
import { loadConfig, type Config } from '../../src/config/config';
import { assemble } from '../../src/main';
import { createLogger } from '../../src/logger';
import { loadSchemaRegistry } from '../../src/scim/schema/registry';
import { DEFAULT_TENANT_ID, type Store, type TenantStore } from '../../src/store/port';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import { journal } from './journal';

export const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/** Roster's account rules (status, accountType, roles, activatedAt, deactivatedAt): every user carries it. */
export const ACCOUNT_URN = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Account';
export const LOCALIZATION_URN = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Localization';
export const PATCH_URN = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const LIST_URN = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
/**
 * The tenant the HTTP specs run in: the built-in one, or with ROSTER_TEST_TENANT (the "tenant"
 * jest project, see jest.config.js) a tenant of that id, created for each app, so the same specs
 * prove a second tenant behaves exactly like the first.
 */
export const TEST_TENANT = process.env.ROSTER_TEST_TENANT ?? DEFAULT_TENANT_ID;
/** The SCIM base path of the test tenant. */
export const BASE = TEST_TENANT === DEFAULT_TENANT_ID ? '/scim/v2' : `/scim/v2/tenants/${TEST_TENANT}`;
/** The admin path of the test tenant's users (restore, user tokens). */
export const ADMIN_USERS = TEST_TENANT === DEFAULT_TENANT_ID ? '/admin/users' : `/admin/tenants/${TEST_TENANT}/users`;

/**
 * The real application over a real SQLite file in a fresh temp directory, with one service
 * token. Call `close()` in afterAll/afterEach.
 */
export interface TestApp {
  readonly app: Express;
  readonly application: Application;
  readonly store: Store;
  /** The store scoped to the test tenant: what the specs read and seed directly. */
  readonly data: TenantStore;
  readonly tenantId: string;
  readonly token: string;
  readonly config: Config;
  readonly dir: string;
  /** supertest agent methods with the bearer token and SCIM content type already set. */
  get(path: string): request.Test;
  post(path: string, body?: object): request.Test;
  put(path: string, body?: object): request.Test;
  patch(path: string, body?: object): request.Test;
  delete(path: string): request.Test;
  close(): Promise<void>;
}

const PORT = Symbol('the port a request opened');
const PARTS = ['users', 'groups', 'tokens', 'events', 'webhooks'] as const;
type Part = Record<string | symbol, unknown>;

/**
 * The store with the test tenant's ports built on shared objects. The first port opened (the
 * spec's `t.data`) is the shared one: each of its parts (users, groups, …) has methods that call
 * `this[PORT]`, its own port. Every later port's parts inherit those methods and carry their own
 * port. A spy on `t.data.users.create` replaces the shared method, so it sees (and may change)
 * the calls of every request, each still running on its own port and journal.
 */
function spiedThrough(store: Store): Store {
  const open = store.tenant.bind(store);
  let shared: Record<string, Part> | undefined;
  const forward = (methods: object): Part => Object.fromEntries(Object.keys(methods).map((name) => [name, function (this: Part, ...args: unknown[]) {
    return (this[PORT] as Record<string, (...a: unknown[]) => unknown>)[name](...args);
  }]));
  store.tenant = (id, journal) => {
    const port = open(id, journal);
    if (id !== TEST_TENANT) return port;
    shared ??= Object.fromEntries(PARTS.map((part) => [part, Object.assign(forward(port[part]), { [PORT]: port[part] })]));
    const own = shared;
    const parts = Object.fromEntries(PARTS.map((part) => [part, own[part][PORT] === port[part] ? own[part] : Object.create(own[part], { [PORT]: { value: port[part] } })]));
    return { ...port, ...parts } as TenantStore;
  };
  return store;
}

export async function startTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'roster-test-'));
  // Rate limits off unless a test turns them on: suites fire requests faster than any IdP.
  const config = loadConfig({ SQLITE_PATH: join(dir, 'roster.db'), LOG_LEVEL: 'silent', RATE_LIMIT_PER_TOKEN: 'off', RATE_LIMIT_AUTH_FAILURES: 'off' }, overrides);
  const store = spiedThrough(openSqliteStore(config.sqlitePath));
  // Every request opens its own port (with its own journal); spiedThrough gives them one set of
  // methods, so a spec's jest.spyOn on t.data.users or t.data.groups reaches every request's.
  const data = store.tenant(TEST_TENANT, journal);
  if (TEST_TENANT !== DEFAULT_TENANT_ID) await store.tenants.create({ id: TEST_TENANT, name: `Test tenant ${TEST_TENANT}`, settings: {} }, journal);
  const { application, app } = assemble({ config, store, registry: loadSchemaRegistry(), logger: createLogger('silent') });
  const directory = await application.enter({ kind: 'operator', tokenId: 'test', tokenName: 'test' }, TEST_TENANT, 'test');
  const { secret } = await directory.tokens.create('test');
  const auth = (test: request.Test) => test.set('Authorization', `Bearer ${secret}`);
  const withBody = (test: request.Test, body?: object) =>
    body === undefined ? auth(test) : auth(test).set('Content-Type', 'application/scim+json').send(JSON.stringify(body));
  return {
    app, application, store, data, tenantId: TEST_TENANT, token: secret, config, dir,
    get: (path) => auth(request(app).get(BASE + path)),
    post: (path, body) => withBody(request(app).post(BASE + path), body),
    put: (path, body) => withBody(request(app).put(BASE + path), body),
    patch: (path, body) => withBody(request(app).patch(BASE + path), body),
    delete: (path) => auth(request(app).delete(BASE + path)),
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A minimal valid user body. */
export const userBody = (userName: string, extra: object = {}) => ({
  schemas: [USER_URN],
  userName,
  name: { givenName: 'Given', familyName: 'Family' },
  emails: [{ value: `${userName.toLowerCase()}@example.com`, type: 'work', primary: true }],
  ...extra,
});

export const patchBody = (...operations: object[]) => ({ schemas: [PATCH_URN], Operations: operations });

/** Asserts an RFC 7644 §3.12 error body and returns it. */
export function expectScimError(response: request.Response, status: number, scimType?: string) {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/application\/scim\+json/);
  expect(response.body.schemas).toEqual([ERROR_URN]);
  expect(response.body.status).toBe(String(status));
  if (scimType) expect(response.body.scimType).toBe(scimType);
  expect(typeof response.body.detail).toBe('string');
  expect(response.body.detail.length).toBeGreaterThan(10);
  return response.body as { status: string; scimType?: string; detail: string };
}
