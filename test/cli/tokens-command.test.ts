import type { Express } from 'express';
import request from 'supertest';
import { Application } from '../../src/app/application';
import { authenticate, syncBootstrap } from '../../src/app/authenticate';
import { Tokens, hashToken } from '../../src/app/tokens';
import { UsageError, tokensCommand } from '../../src/cli/tokens-command';
import { loadConfig } from '../../src/config/config';
import { parseDuration } from '../../src/config/duration';
import { createLogger } from '../../src/logger';
import { assemble } from '../../src/main';
import { loadSchemaRegistry } from '../../src/scim/schema/registry';
import { DEFAULT_TENANT_ID, type Store } from '../../src/store/port';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import { journal } from '../support/journal';

const DAY = 86_400_000;

describe('tokens command', () => {
  let store: Store;
  let application: Application;
  /** The HTTP front over the same application, to show where a created token works. */
  let app: Express;
  let lines: string[];
  const print = (line: string) => void lines.push(line);
  const run = (...args: string[]) => tokensCommand(application, args, print);
  /** Runs `tokens create` and returns the one printed line that is a secret. */
  const createToken = async (...args: string[]) => {
    lines = [];
    await run('create', ...args);
    const secrets = lines.filter((l) => /^roster_\S+$/.test(l));
    expect(secrets).toHaveLength(1);
    return { secret: secrets[0], output: [...lines] };
  };
  const defaultTokens = () => store.tenant(DEFAULT_TENANT_ID, journal).tokens;
  const statusOf = (path: string, secret: string) => request(app).get(path).set('Authorization', `Bearer ${secret}`).then((r) => r.status);

  beforeEach(async () => {
    const config = loadConfig({ SQLITE_PATH: ':memory:', LOG_LEVEL: 'silent', RATE_LIMIT_PER_TOKEN: 'off', RATE_LIMIT_AUTH_FAILURES: 'off' });
    store = openSqliteStore(':memory:');
    ({ application, app } = assemble({ config, store, registry: loadSchemaRegistry(), logger: createLogger('silent') }));
    await store.tenants.create({ id: 'acme', name: 'Acme', settings: {} }, journal);
    lines = [];
  });
  afterEach(() => store.close());

  describe('create', () => {
    it('creates a token with a 90-day expiry and prints its secret exactly once', async () => {
      const before = Date.now();
      const { secret, output } = await createToken('--name', 'okta', '--expires-in', '90d');
      expect(output.join('\n').split(secret)).toHaveLength(2);
      expect(output.join('\n')).toMatch(/shown only this once/);

      const [token] = await defaultTokens().list();
      expect(token.name).toBe('okta');
      expect(token.hash).toBe(hashToken(secret));
      expect(Date.parse(token.expires!) - before).toBeGreaterThanOrEqual(90 * DAY);
      expect(Date.parse(token.expires!) - before).toBeLessThan(90 * DAY + 60_000);
      expect(output[0]).toContain(token.id);
      expect(output[0]).toContain(token.expires);
      expect((await authenticate(store, secret)).ok).toBe(true);
    });

    it('creates a token without expiry when --expires-in is not given', async () => {
      await createToken('--name', 'entra');
      const [token] = await defaultTokens().list();
      expect(token.expires).toBeUndefined();
    });

    it('accepts the options in any order', async () => {
      await createToken('--expires-in', '12h', '--name', 'late-name');
      const [token] = await defaultTokens().list();
      expect(token.name).toBe('late-name');
      expect(token.expires).toBeDefined();
    });
  });

  describe('the scope of a token: --tenant <id>, --operator, or the built-in tenant', () => {
    it('without --tenant creates a service token of "default": it works at /scim/v2 and is 401 at /scim/v2/tenants/acme', async () => {
      const { secret, output } = await createToken('--name', 'okta');
      expect(output[0]).toMatch(/service token of tenant default/);
      expect(await authenticate(store, secret)).toMatchObject({ ok: true, principal: { kind: 'service', tenantId: DEFAULT_TENANT_ID } });
      expect(await statusOf('/scim/v2/Users', secret)).toBe(200);
      expect(await statusOf('/scim/v2/tenants/acme/Users', secret)).toBe(401);
    });

    it('--tenant acme creates a service token of acme: it works at /scim/v2/tenants/acme and is 401 at /scim/v2', async () => {
      const { secret, output } = await createToken('--name', 'okta', '--tenant', 'acme');
      expect(output[0]).toMatch(/service token of tenant acme/);
      expect((await store.tenant('acme', journal).tokens.list()).map((t) => t.hash)).toEqual([hashToken(secret)]);
      expect(await defaultTokens().list()).toEqual([]);
      expect(await statusOf('/scim/v2/tenants/acme/Users', secret)).toBe(200);
      expect(await statusOf('/scim/v2/Users', secret)).toBe(401);
    });

    it('--operator creates an operator token: it manages tenants (POST /admin/tenants) and acts in every tenant', async () => {
      const { secret, output } = await createToken('--name', 'ops', '--operator');
      expect(output[0]).toMatch(/operator token/);
      expect((await store.operators.list()).map((t) => t.hash)).toEqual([hashToken(secret)]);
      const created = await request(app).post('/admin/tenants').set('Authorization', `Bearer ${secret}`).send({ id: 'globex', name: 'Globex' });
      expect(created.status).toBe(201);
      expect(await statusOf('/scim/v2/Users', secret)).toBe(200);
      expect(await statusOf('/scim/v2/tenants/acme/Users', secret)).toBe(200);
    });

    it('a tenant\'s service token cannot manage tenants (403)', async () => {
      const { secret } = await createToken('--name', 'okta');
      const refused = await request(app).post('/admin/tenants').set('Authorization', `Bearer ${secret}`).send({ id: 'globex' });
      expect(refused.status).toBe(403);
      expect(await store.tenants.get('globex')).toBeUndefined();
    });

    it.each([
      ['create', ['create', '--name', 'x', '--tenant', 'acme', '--operator']],
      ['list', ['list', '--operator', '--tenant', 'acme']],
      ['revoke', ['revoke', 'some-id', '--tenant', 'acme', '--operator']],
    ])('refuses --tenant and --operator together (%s) with a UsageError', async (_label, args) => {
      await expect(tokensCommand(application, args, print)).rejects.toThrow(UsageError);
      await expect(tokensCommand(application, args, print)).rejects.toThrow(/--tenant or --operator/);
      expect(await store.operators.list()).toEqual([]);
      expect(await store.tenant('acme', journal).tokens.list()).toEqual([]);
    });

    it.each([
      ['create', ['create', '--name', 'x', '--tenant', 'nope']],
      ['list', ['list', '--tenant', 'nope']],
      ['revoke', ['revoke', 'some-id', '--tenant', 'nope']],
    ])('refuses a tenant that does not exist (%s) with a UsageError naming it', async (_label, args) => {
      await expect(tokensCommand(application, args, print)).rejects.toThrow(UsageError);
      await expect(tokensCommand(application, args, print)).rejects.toThrow(/"nope"/);
      expect(lines).toEqual([]);
    });

    it.each([['Acme'], ['-acme'], ['acme_corp'], ['a'.repeat(64)]])('refuses --tenant %j, which is no tenant id, with a UsageError', async (id) => {
      await expect(run('create', '--name', 'x', '--tenant', id)).rejects.toThrow(UsageError);
      expect(lines).toEqual([]);
    });

    it('lists the tokens of one scope only', async () => {
      await createToken('--name', 'default-okta');
      await createToken('--name', 'acme-okta', '--tenant', 'acme');
      await createToken('--name', 'ops', '--operator');
      const listed = async (...args: string[]) => {
        lines = [];
        await run('list', ...args);
        return lines.map((l) => l.split('  ')[1]);
      };
      expect(await listed()).toEqual(['default-okta']);
      expect(await listed('--tenant', 'acme')).toEqual(['acme-okta']);
      expect(await listed('--operator')).toEqual(['ops']);
    });

    it('revokes only in the scope named: another scope\'s token id is not found there, and keeps working', async () => {
      const { secret } = await createToken('--name', 'acme-okta', '--tenant', 'acme');
      const [token] = await store.tenant('acme', journal).tokens.list();
      await expect(run('revoke', token.id)).rejects.toThrow(UsageError);
      await expect(run('revoke', token.id, '--operator')).rejects.toThrow(/No token has the id/);
      expect(await statusOf('/scim/v2/tenants/acme/Users', secret)).toBe(200);

      lines = [];
      await run('revoke', token.id, '--tenant', 'acme');
      expect(lines).toEqual([`Revoked token ${token.id}.`]);
      expect(await statusOf('/scim/v2/tenants/acme/Users', secret)).toBe(401);
    });
  });

  describe('list', () => {
    it('lists every token with its state, never a secret or hash', async () => {
      const active = await createToken('--name', 'active-one');
      const revoked = await createToken('--name', 'revoked-one');
      const tokens = await defaultTokens().list();
      const byName = (name: string) => tokens.find((x) => x.name === name)!;
      await run('revoke', byName('revoked-one').id);

      lines = [];
      await run('list');
      expect(lines).toHaveLength(2);
      const output = lines.join('\n');
      for (const secret of [active.secret, revoked.secret]) {
        expect(output).not.toContain(secret);
        expect(output).not.toContain(secret.slice('roster_'.length));
      }
      for (const token of tokens) expect(output).not.toContain(token.hash);
      const lineOf = (name: string) => lines.find((l) => l.includes(name))!;
      expect(lineOf('active-one')).toMatch(/active-one.*no expiry.*last used never.*active$/);
      expect(lineOf('active-one')).toContain(byName('active-one').id);
      expect(lineOf('revoked-one')).toMatch(/revoked-one.*revoked \d{4}-/);
    });

    it('shows an expired token as expired', async () => {
      await new Tokens(defaultTokens(), () => new Date(Date.now() - 2 * DAY)).create('old', DAY);
      lines = [];
      await run('list');
      expect(lines[0]).toMatch(/old.*expired \d{4}-/);
    });

    it('marks the token registered from SCIM_BOOTSTRAP_TOKEN, an operator token (listed with --operator)', async () => {
      await syncBootstrap(store, 'a-bootstrap-secret-of-at-least-32-characters');
      await createToken('--name', 'okta', '--operator');
      lines = [];
      await run('list', '--operator');
      expect(lines.find((l) => l.includes('bootstrap'))).toMatch(/bootstrap \(SCIM_BOOTSTRAP_TOKEN\)/);
      expect(lines.find((l) => l.includes('okta'))).not.toMatch(/SCIM_BOOTSTRAP_TOKEN/);
      lines = [];
      await run('list');
      expect(lines).toEqual([]);
    });

    it('prints nothing when there are no tokens', async () => {
      await run('list');
      expect(lines).toEqual([]);
    });
  });

  describe('revoke', () => {
    it('revokes the token with that id, which then stops working', async () => {
      const { secret } = await createToken('--name', 'okta');
      const [token] = await defaultTokens().list();
      lines = [];
      await run('revoke', token.id);
      expect(lines).toEqual([`Revoked token ${token.id}.`]);
      expect(await authenticate(store, secret)).toMatchObject({ ok: false, reason: expect.stringMatching(/revoked/) });
    });

    it('refuses an unknown id with a UsageError', async () => {
      await expect(run('revoke', 'no-such-id')).rejects.toThrow(UsageError);
    });
  });

  it.each([
    ['no action', []],
    ['an unknown action', ['delete', 'x']],
    ['create without --name', ['create']],
    ['create with --name but no value', ['create', '--name']],
    ['create with --name followed by another flag', ['create', '--name', '--expires-in', '90d']],
    ['create with an empty --name', ['create', '--name', '']],
    ['create with --expires-in that is not a duration', ['create', '--name', 'x', '--expires-in', 'soon']],
    ['create with a zero --expires-in', ['create', '--name', 'x', '--expires-in', '0d']],
    ['create with --expires-in in seconds', ['create', '--name', 'x', '--expires-in', '30s']],
    ['create with an absurdly long --expires-in', ['create', '--name', 'x', '--expires-in', '99999999999d']],
    ['create with --expires-in but no value', ['create', '--name', 'x', '--expires-in']],
    ['create with --tenant but no value', ['create', '--name', 'x', '--tenant']],
    ['revoke without an id', ['revoke']],
  ])('refuses %s with a UsageError and creates nothing', async (_label, args) => {
    await expect(tokensCommand(application, args, print)).rejects.toThrow(UsageError);
    expect(await defaultTokens().list()).toEqual([]);
    expect(await store.operators.list()).toEqual([]);
    expect(lines.filter((l) => l.startsWith('roster_'))).toEqual([]);
  });
});

describe('parseDuration', () => {
  it.each([
    ['90d', 90 * DAY],
    ['12h', 12 * 3_600_000],
    ['30m', 30 * 60_000],
    [' 7D ', 7 * DAY],
    ['1 d', DAY],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'd', '0d', '-1d', '1.5d', '10s', '1w', '90', 'ninety days', '99999999999d'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
