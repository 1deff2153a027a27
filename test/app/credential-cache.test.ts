import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Application } from '../../src/app/application';
import { FRESH_MS } from '../../src/app/fresh-cache';
import { hashToken } from '../../src/app/tokens';
import { loadConfig } from '../../src/config/config';
import type { Principal } from '../../src/domain/principal';
import { newTokenSecret } from '../../src/domain/token-secret';
import { loadSchemaRegistry } from '../../src/scim/schema/registry';
import { DEFAULT_TENANT_ID, type Store } from '../../src/store/port';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import { clock } from '../support/clock';
import { journal } from '../support/journal';

const OPERATOR: Principal = { kind: 'operator', tokenId: 'test', tokenName: 'test' };
const registry = loadSchemaRegistry();

/**
 * Application.authenticate remembers an accepted token for at most FRESH_MS (one second), so
 * a busy client costs one token look-up a second. Revocation stays bounded: a write in this
 * process that may end a token forgets it at once; a write by another instance (a second
 * server over the same SQLite file, the CLI) takes effect within FRESH_MS; nothing outlives
 * the token's expiry or lets it act in another tenant. Time is a fake clock, never a sleep.
 */
describe('authentication remembered for at most a second', () => {
  let dir: string;
  let stores: Store[];
  let c: ReturnType<typeof clock>;
  /** One instance: its own store connection to the shared file and its own Application. */
  const instance = () => {
    const store = openSqliteStore(join(dir, 'roster.db'));
    stores.push(store);
    const config = loadConfig({ SQLITE_PATH: join(dir, 'roster.db'), LOG_LEVEL: 'silent' });
    return { store, application: new Application({ store, registry, config, now: c.now }) };
  };
  let here: ReturnType<typeof instance>;
  let elsewhere: ReturnType<typeof instance>;
  const directory = (app: Application, tenantId = DEFAULT_TENANT_ID) => app.enter(OPERATOR, tenantId, 'test');
  const serviceToken = async (app: Application, tenantId = DEFAULT_TENANT_ID) => (await directory(app, tenantId)).tokens.create('okta');
  const accepted = async (app: Application, secret: string) => (await app.authenticate(secret)).ok;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-credential-cache-'));
    stores = [];
    c = clock();
    here = instance();
    elsewhere = instance();
    if (!(await here.store.tenants.get(DEFAULT_TENANT_ID))) await here.store.tenants.create({ id: DEFAULT_TENANT_ID, name: 'Default', settings: {} }, journal);
    await here.store.tenants.create({ id: 'acme', name: 'Acme', settings: {} }, journal);
  });
  afterEach(async () => {
    for (const store of stores) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('a revocation by another instance', () => {
    it('takes effect within FRESH_MS of it, however busy the token', async () => {
      const { token, secret } = await serviceToken(here.application);
      expect(await accepted(here.application, secret)).toBe(true);
      await (await directory(elsewhere.application)).tokens.revoke(token.id);
      c.advance(FRESH_MS - 1);
      expect(await accepted(here.application, secret)).toBe(true);
      c.advance(1);
      expect(await here.application.authenticate(secret)).toEqual({ ok: false, reason: 'The bearer token has been revoked' });
    });

    it('of a tenant (a forced delete) ends its tokens within FRESH_MS as well', async () => {
      const { secret } = await serviceToken(here.application, 'acme');
      expect(await here.application.enter((await here.application.authenticate(secret) as { principal: Principal }).principal, 'acme', 'r')).toBeDefined();
      await elsewhere.application.tenants.delete(OPERATOR, 'acme', true);
      c.advance(FRESH_MS);
      expect(await accepted(here.application, secret)).toBe(false);
    });
  });

  describe('a write in this process forgets at once', () => {
    it('a revoked token', async () => {
      const { token, secret } = await serviceToken(here.application);
      expect(await accepted(here.application, secret)).toBe(true);
      await (await directory(here.application)).tokens.revoke(token.id);
      expect(await here.application.authenticate(secret)).toEqual({ ok: false, reason: 'The bearer token has been revoked' });
    });

    it('a removed operator token', async () => {
      const { token, secret } = await here.application.operatorTokens.create('ops');
      expect(await accepted(here.application, secret)).toBe(true);
      await here.application.operatorTokens.remove(token.id);
      expect(await accepted(here.application, secret)).toBe(false);
    });

    it('a user-bound token whose user was deleted', async () => {
      const users = await directory(here.application);
      const user = await users.accounts.create({ data: { userName: 'ada', name: { givenName: 'A', familyName: 'L' }, emails: [{ value: 'ada@example.com' }] } }, OPERATOR);
      const { secret } = await users.tokens.createForUser(user.id, 'laptop');
      expect(await accepted(here.application, secret)).toBe(true);
      await (await directory(here.application)).accounts.delete(user.id, undefined, OPERATOR);
      expect(await accepted(here.application, secret)).toBe(false);
    });

    it('a tenant being deleted: its tokens and its record', async () => {
      const { secret } = await serviceToken(here.application, 'acme');
      const acme = await here.application.authenticate(secret);
      expect(acme.ok && (await here.application.enter(acme.principal, 'acme', 'r'))).toBeTruthy();
      await here.application.tenants.delete(OPERATOR, 'acme', true);
      expect(await accepted(here.application, secret)).toBe(false);
      await expect(here.application.enter(OPERATOR, 'acme', 'r')).rejects.toMatchObject({ status: 404 });
    });
  });

  it('never outlives the token\'s expiry', async () => {
    const { secret } = await (await directory(here.application)).tokens.create('short', FRESH_MS / 2);
    expect(await accepted(here.application, secret)).toBe(true);
    c.advance(FRESH_MS / 2);
    expect(await here.application.authenticate(secret)).toEqual({ ok: false, reason: 'The bearer token has expired' });
  });

  it('never lets a token into a tenant other than its own', async () => {
    const { secret } = await serviceToken(here.application, 'acme');
    const acme = await here.application.authenticate(secret);
    const again = await here.application.authenticate(secret);
    expect(again).toEqual(acme);
    await expect(here.application.enter(again.ok ? again.principal : OPERATOR, DEFAULT_TENANT_ID, 'r')).rejects.toMatchObject({ status: 401 });
  });

  it('does not remember refusals: a token stored a moment after it was refused works at once', async () => {
    const secret = newTokenSecret();
    expect(await accepted(here.application, secret)).toBe(false);
    // Stored by another instance (its write is not seen here), at the same instant.
    await elsewhere.store.tenant(DEFAULT_TENANT_ID, journal).tokens.create({ id: randomUUID(), name: 'late', hash: hashToken(secret), created: c.now().toISOString() });
    expect(await accepted(here.application, secret)).toBe(true);
  });

  it('looks a busy token up once per FRESH_MS', async () => {
    const { secret } = await serviceToken(here.application);
    const lookups = jest.spyOn(here.store.credentials, 'findByHash');
    for (let i = 0; i < 5; i++) expect(await accepted(here.application, secret)).toBe(true);
    c.advance(FRESH_MS);
    expect(await accepted(here.application, secret)).toBe(true);
    expect(lookups).toHaveBeenCalledTimes(2);
  });
});
