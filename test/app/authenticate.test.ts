import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { authenticate, syncBootstrap } from '../../src/app/authenticate';
import { Tokens, hashToken } from '../../src/app/tokens';
import { Users } from '../../src/app/users';
import { clock } from '../support/clock';
import type { Principal } from '../../src/domain/principal';
import { newTokenSecret } from '../../src/domain/token-secret';
import { createLogger } from '../../src/logger';
import { loadSchemaRegistry } from '../../src/scim/schema/registry';
import { adoptTenantlessDocuments } from '../../src/store/mongo/mongo-migration';
import { mongoStoreOn } from '../../src/store/mongo/mongo-store';
import { DEFAULT_TENANT_ID, type Store, type StoredUser } from '../../src/store/port';
import { migrations } from '../../src/store/sqlite/migrations';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import { FakeDatabase, inMemoryMongoStore } from '../store/contract/mingo-collections';
import { journal } from '../support/journal';
import { withTenants } from '../support/store-tenants';

const MINUTE = 60_000;
const DAY = 86_400_000;
const OPERATOR: Principal = { kind: 'operator', tokenId: 'test', tokenName: 'test' };
const POLICY = { maxRoles: 25, usernameImmutable: false, requiredUserAttributes: ['name.givenName', 'name.familyName', 'emails'] as const, usernameFormat: 'any' as const };


/**
 * authenticate(store, secret, now): the token is found by its hash across every tenant, and its
 * record decides who it is: no tenant, an operator; a tenant's token, a service of that tenant;
 * a user-bound one, that user of that tenant (while the user accepts it). Both adapters.
 */
describe.each([
  ['SQLite', () => openSqliteStore(':memory:')],
  ['MongoDB (in-memory collections)', () => inMemoryMongoStore()],
])('authenticate and syncBootstrap on %s', (_adapter, open: () => Store) => {
  let store: Store;
  let c: ReturnType<typeof clock>;
  const auth = (secret: string) => authenticate(store, secret, c.now());
  const tokensOf = (tenantId: string) => new Tokens(store.tenant(tenantId, journal).tokens, c.now);

  beforeEach(async () => {
    store = open();
    c = clock();
    await withTenants(store, 'acme');
  });
  afterEach(() => store.close());

  const usersOf = (tenantId: string) => new Users(store.tenant(tenantId, journal), POLICY, c.now);
  const createUser = (tenantId: string, userName: string) =>
    usersOf(tenantId).create({ data: { userName, name: { givenName: 'G', familyName: 'F' }, emails: [{ value: `${userName}@example.com` }] } }, OPERATOR);
  /**
   * A user-bound token stored through the port as it is (not marked revoked), issued at `created`:
   * what a crash between a deactivation and the revocation of its tokens would leave behind.
   */
  const storeUserToken = async (tenantId: string, userId: string, created = c.now().toISOString()) => {
    const secret = newTokenSecret();
    const token = await store.tenant(tenantId, journal).tokens.create({ id: randomUUID(), name: 'laptop', hash: hashToken(secret), created, userId });
    return { token, secret };
  };

  describe('authenticate', () => {
    it('accepts a tenant\'s service token as a service of that tenant', async () => {
      const { token, secret } = await tokensOf(DEFAULT_TENANT_ID).create('okta');
      expect(await auth(secret)).toEqual({ ok: true, principal: { kind: 'service', tokenId: token.id, tokenName: 'okta', tenantId: DEFAULT_TENANT_ID } });
    });

    it('finds a token of any tenant by its secret alone: acme\'s token is a service of acme', async () => {
      const { token, secret } = await tokensOf('acme').create('okta');
      expect(await auth(secret)).toEqual({ ok: true, principal: { kind: 'service', tokenId: token.id, tokenName: 'okta', tenantId: 'acme' } });
    });

    it('accepts an operator token (no tenant) as an operator, with no tenant', async () => {
      const { token, secret } = await new Tokens(store.operators, c.now).create('ops');
      expect(await auth(secret)).toEqual({ ok: true, principal: { kind: 'operator', tokenId: token.id, tokenName: 'ops' } });
    });

    it('accepts a user-bound token as that user of its tenant while the user is Active', async () => {
      const user = await createUser('acme', 'jane');
      const { token, secret } = await storeUserToken('acme', user.id);
      expect(await auth(secret)).toEqual({ ok: true, principal: { kind: 'user', tokenId: token.id, tokenName: 'laptop', tenantId: 'acme', userId: user.id } });
    });

    describe('refuses a user-bound token, and does not record its use, when its user in its tenant', () => {
      const NO_LONGER = /no longer/;
      const deactivate = (tenantId: string, user: StoredUser) =>
        usersOf(tenantId).modify(user.id, undefined, 'patch', (current) => ({ data: { ...current.data, active: false } }), OPERATOR);

      it('is no longer Active (even when the token was never marked revoked)', async () => {
        const user = await createUser('acme', 'idle');
        const issued = c.now().toISOString();
        c.advance(MINUTE);
        await deactivate('acme', user);
        const { token, secret } = await storeUserToken('acme', user.id, issued);
        expect(await auth(secret)).toEqual({ ok: false, reason: expect.stringMatching(NO_LONGER) });
        expect((await store.tenant('acme', journal).tokens.get(token.id))!.lastUsed).toBeUndefined();
      });

      it('was deleted', async () => {
        const user = await createUser('acme', 'gone');
        const issued = c.now().toISOString();
        c.advance(MINUTE);
        await usersOf('acme').delete(user.id, undefined, OPERATOR);
        const { token, secret } = await storeUserToken('acme', user.id, issued);
        expect(await auth(secret)).toEqual({ ok: false, reason: expect.stringMatching(NO_LONGER) });
        expect((await store.tenant('acme', journal).tokens.get(token.id))!.lastUsed).toBeUndefined();
      });

      it('does not exist: the user is looked up in the token\'s own tenant, never in another', async () => {
        const elsewhere = await createUser(DEFAULT_TENANT_ID, 'jane');
        // An acme token naming the id of a user of default (which the API never issues).
        const { secret } = await storeUserToken('acme', elsewhere.id);
        expect(await auth(secret)).toEqual({ ok: false, reason: expect.stringMatching(NO_LONGER) });
        expect((await storeUserToken(DEFAULT_TENANT_ID, elsewhere.id).then((t) => auth(t.secret))).ok).toBe(true);
      });
    });

    it('reads no user for a service or an operator token', async () => {
      const service = await tokensOf('acme').create('okta');
      const operator = await new Tokens(store.operators, c.now).create('ops');
      const tenant = jest.spyOn(store, 'tenant');
      expect((await auth(service.secret)).ok).toBe(true);
      expect((await auth(operator.secret)).ok).toBe(true);
      expect(tenant).not.toHaveBeenCalled();
      tenant.mockRestore();
    });

    it.each([
      ['an unknown secret', 'roster_unknown'],
      ['the stored hash itself', 'HASH'],
      ['the secret without its prefix', 'UNPREFIXED'],
      ['an empty string', ''],
    ])('refuses %s', async (_label, kind) => {
      const { token, secret } = await tokensOf(DEFAULT_TENANT_ID).create('okta');
      const presented = kind === 'HASH' ? token.hash : kind === 'UNPREFIXED' ? secret.slice('roster_'.length) : kind;
      expect(await auth(presented)).toEqual({ ok: false, reason: expect.stringMatching(/not valid/) });
    });

    it('refuses a token once it has expired, and accepts it until then', async () => {
      const { secret } = await tokensOf(DEFAULT_TENANT_ID).create('short', DAY);
      c.advance(DAY - 1);
      expect((await auth(secret)).ok).toBe(true);
      c.advance(1);
      expect(await auth(secret)).toEqual({ ok: false, reason: expect.stringMatching(/expired/) });
    });

    it('refuses a revoked token, and revoking leaves other tokens working', async () => {
      const tokens = tokensOf(DEFAULT_TENANT_ID);
      const doomed = await tokens.create('doomed');
      const kept = await tokens.create('kept');
      expect(await tokens.revoke(doomed.token.id)).toBe(true);
      expect(await auth(doomed.secret)).toEqual({ ok: false, reason: expect.stringMatching(/revoked/) });
      expect((await auth(kept.secret)).ok).toBe(true);
    });

    it('records when a token was last used, at most once a minute', async () => {
      const tokens = tokensOf('acme');
      const { token, secret } = await tokens.create('okta');
      const lastUsed = async () => (await tokens.get(token.id))!.lastUsed;
      const touch = jest.spyOn(store.credentials, 'touch');

      await auth(secret);
      expect(await lastUsed()).toBe('2030-01-01T00:00:00.000Z');
      c.advance(30_000);
      await auth(secret);
      expect(await lastUsed()).toBe('2030-01-01T00:00:00.000Z');
      c.advance(MINUTE);
      await auth(secret);
      expect(await lastUsed()).toBe('2030-01-01T00:01:30.000Z');
      expect(touch).toHaveBeenCalledTimes(2);
      touch.mockRestore();
    });

    it('does not record use of a refused token', async () => {
      const tokens = tokensOf(DEFAULT_TENANT_ID);
      const { token, secret } = await tokens.create('okta');
      await tokens.revoke(token.id);
      await auth(secret);
      expect((await tokens.list())[0].lastUsed).toBeUndefined();
    });
  });

  describe('syncBootstrap (SCIM_BOOTSTRAP_TOKEN at every start)', () => {
    const A = 'a-bootstrap-secret-of-at-least-32-characters';
    const B = 'another-bootstrap-secret-of-32-characters-or-more';
    const sync = (secret: string | undefined) => syncBootstrap(store, secret, c.now());

    it('registers the secret by its hash only, flagged as the bootstrap token, and accepts it as an operator', async () => {
      await sync(A);
      const [record] = await store.credentials.listBootstrap();
      expect(record).toMatchObject({ name: 'bootstrap', hash: hashToken(A), bootstrap: true, created: '2030-01-01T00:00:00.000Z' });
      expect(JSON.stringify(await store.operators.list())).not.toContain(A);
      expect(await auth(A)).toEqual({ ok: true, principal: { kind: 'operator', tokenId: record.id, tokenName: 'bootstrap' } });
    });

    it('is an operator token: of no tenant, listed with the operators\' tokens and with no tenant\'s', async () => {
      await sync(A);
      const [record] = await store.credentials.listBootstrap();
      expect(record.tenantId).toBeUndefined();
      expect((await store.operators.list()).map((t) => t.id)).toEqual([record.id]);
      expect(await store.tenant(DEFAULT_TENANT_ID, journal).tokens.list()).toEqual([]);
    });

    it('keeps one token however often, and however many instances at once, start with the same secret', async () => {
      await Promise.all([sync(A), sync(A), sync(A)]);
      const [first, ...others] = await store.credentials.listBootstrap();
      expect(others).toEqual([]);
      await sync(A);
      expect(await store.credentials.listBootstrap()).toEqual([first]);
    });

    it('retires the old secret when the variable is removed: A is refused', async () => {
      await sync(A);
      await sync(undefined);
      expect(await auth(A)).toEqual({ ok: false, reason: expect.stringMatching(/not valid/) });
      expect(await store.credentials.listBootstrap()).toEqual([]);
    });

    it('retires the old secret when the variable changes: A is refused, B accepted', async () => {
      await sync(A);
      await sync(B);
      expect((await auth(A)).ok).toBe(false);
      expect((await auth(B)).ok).toBe(true);
      expect((await store.credentials.listBootstrap()).map((t) => t.hash)).toEqual([hashToken(B)]);
    });

    it('leaves every other token alone, service and operator tokens named "bootstrap" included', async () => {
      const service = await tokensOf(DEFAULT_TENANT_ID).create('bootstrap');
      const operator = await new Tokens(store.operators, c.now).create('bootstrap');
      const user = await createUser(DEFAULT_TENANT_ID, 'jane');
      const bound = await storeUserToken(DEFAULT_TENANT_ID, user.id);
      await sync(A);
      await sync(undefined);
      expect((await store.tenant(DEFAULT_TENANT_ID, journal).tokens.list()).map((t) => t.id)).toEqual([service.token.id]);
      expect((await store.tenant(DEFAULT_TENANT_ID, journal).tokens.list(user.id)).map((t) => t.id)).toEqual([bound.token.id]);
      expect((await store.operators.list()).map((t) => t.id)).toEqual([operator.token.id]);
    });

    it('keeps a bootstrap token someone revoked revoked', async () => {
      await sync(A);
      const [record] = await store.credentials.listBootstrap();
      await new Tokens(store.operators, c.now).revoke(record.id);
      await sync(A);
      expect(await auth(A)).toEqual({ ok: false, reason: expect.stringMatching(/revoked/) });
    });
  });
});

describe('a bootstrap token stored by an earlier version (the service token named "bootstrap", no flag, no tenant)', () => {
  const OLD = 'an-old-bootstrap-secret-of-at-least-32-chars';

  it('is retired on SQLite: the migrations flag it and make it an operator token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-legacy-'));
    const file = join(dir, 'roster.db');
    const db = new Database(file);
    for (const migration of migrations.slice(0, 3)) db.exec(migration);
    db.pragma('user_version = 3');
    const insert = db.prepare('INSERT INTO tokens (id, name, hash, created, user_id) VALUES (?, ?, ?, ?, ?)');
    insert.run('old-bootstrap', 'bootstrap', hashToken(OLD), '2024-01-01T00:00:00.000Z', null);
    insert.run('user-token', 'bootstrap', 'hash-u', '2024-01-01T00:00:00.000Z', 'user-1');
    db.close();
    const legacy = openSqliteStore(file);
    try {
      expect((await legacy.credentials.listBootstrap()).map((t) => t.id)).toEqual(['old-bootstrap']);
      expect(await authenticate(legacy, OLD)).toMatchObject({ ok: true, principal: { kind: 'operator', tokenId: 'old-bootstrap' } });
      await syncBootstrap(legacy, undefined);
      expect(await authenticate(legacy, OLD)).toMatchObject({ ok: false });
      expect(await legacy.tenant(DEFAULT_TENANT_ID, journal).tokens.get('user-token')).toBeDefined();
    } finally {
      await legacy.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is retired on MongoDB: once start-up adopts the documents, one without the flag named "bootstrap" counts as one', async () => {
    const database = new FakeDatabase();
    const raw = database.collection('tokens');
    await raw.insertOne({ _id: 'old-bootstrap', name: 'bootstrap', hash: hashToken(OLD), created: '2024-01-01T00:00:00.000Z', userId: null });
    await raw.insertOne({ _id: 'new-service', name: 'bootstrap', hash: 'hash-s', created: '2024-01-01T00:00:00.000Z', userId: null, bootstrap: false });
    await adoptTenantlessDocuments(database.asCollections(), createLogger('silent'));
    const mongo = mongoStoreOn(database.asCollections(), loadSchemaRegistry(), { description: 'in-memory', ready: () => true, close: async () => undefined }, database.runtime());
    expect((await mongo.credentials.listBootstrap()).map((t) => t.id)).toEqual(['old-bootstrap']);
    expect(await authenticate(mongo, OLD)).toMatchObject({ ok: true, principal: { kind: 'operator', tokenId: 'old-bootstrap' } });
    await syncBootstrap(mongo, undefined);
    expect(await mongo.operators.get('old-bootstrap')).toBeUndefined();
    expect(await mongo.tenant(DEFAULT_TENANT_ID, journal).tokens.get('new-service')).toBeDefined();
  });
});
