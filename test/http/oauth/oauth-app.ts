import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { Application } from '../../../src/app/application';
import { loadConfig, type Config } from '../../../src/config/config';
import { createApp } from '../../../src/http/app';
import { createLogger } from '../../../src/logger';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { DEFAULT_TENANT_ID, type Store } from '../../../src/store/port';
import { openSqliteStore } from '../../../src/store/sqlite/sqlite-store';
import { clock } from '../../support/clock';
import { journal } from '../../support/journal';

/**
 * Roster over a real SQLite file with a clock the spec moves (Application's `now`), so access
 * tokens can be seen to expire; with an operator token, a static service token of `default`
 * and the tenant `acme` with its own service token.
 */
export interface OAuthApp {
  readonly app: Express;
  readonly store: Store;
  readonly config: Config;
  readonly clock: ReturnType<typeof clock>;
  readonly operator: string;
  /** A static service token of each tenant. */
  readonly service: { readonly default: string; readonly acme: string };
  close(): Promise<void>;
}

export async function startOAuthApp(overrides: Partial<Config> = {}): Promise<OAuthApp> {
  const dir = mkdtempSync(join(tmpdir(), 'roster-oauth-'));
  const config = loadConfig({ SQLITE_PATH: join(dir, 'roster.db'), LOG_LEVEL: 'silent', RATE_LIMIT_PER_TOKEN: 'off', RATE_LIMIT_AUTH_FAILURES: 'off' }, overrides);
  const store = openSqliteStore(config.sqlitePath);
  const registry = loadSchemaRegistry();
  const c = clock(Date.now());
  const application = new Application({ store, registry, config, now: c.now });
  const app = createApp({ config, application, registry, logger: createLogger('silent') });
  await store.tenants.create({ id: 'acme', name: 'Acme', settings: {} }, journal);
  const operator = (await application.operatorTokens.create('ops')).secret;
  const serviceOf = async (tenantId: string) => {
    const directory = await application.enter({ kind: 'operator', tokenId: 'test', tokenName: 'test' }, tenantId, 'test');
    return (await directory.tokens.create('okta')).secret;
  };
  return {
    app, store, config, clock: c, operator,
    service: { default: await serviceOf(DEFAULT_TENANT_ID), acme: await serviceOf('acme') },
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** HTTP Basic credentials of a client (its id and secret are form-urlencoding-safe already). */
export const basic = (clientId: string, secret: string) => `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;

/** POST /oauth/token with a form body, as Entra ID sends it. */
export const tokenRequest = (app: Express, form: Record<string, string>, authorization?: string) => {
  const test = request(app).post('/oauth/token').type('form').send(new URLSearchParams(form).toString());
  return authorization === undefined ? test : test.set('Authorization', authorization);
};

/** A client made through the admin API with `token` (its path chosen by `base`: /admin or /admin/tenants/{id}). */
export async function createClient(app: Express, token: string, base = '/admin', body: object = { name: 'entra' }) {
  const res = await request(app).post(`${base}/clients`).set('Authorization', `Bearer ${token}`).send(body);
  if (res.status !== 201) throw new Error(`client: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { clientId: string; clientSecret: string; secret: { id: string; expires: string }; tokenUrl: string; scimUrl: string };
}

/** An access token for a client, through Basic. */
export async function accessToken(app: Express, clientId: string, secret: string): Promise<string> {
  const res = await tokenRequest(app, { grant_type: 'client_credentials' }, basic(clientId, secret));
  if (res.status !== 200) throw new Error(`token: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.access_token as string;
}
