import { createHash } from 'node:crypto';
import { authenticate } from '../../src/app/authenticate';
import { Tokens, hashToken } from '../../src/app/tokens';
import { Users } from '../../src/app/users';
import { clock } from '../support/clock';
import type { Principal } from '../../src/domain/principal';
import { DEFAULT_TENANT_ID, type Store, type TokenStore } from '../../src/store/port';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import { journal } from '../support/journal';

const MINUTE = 60_000;
const DAY = 86_400_000;
const OPERATOR: Principal = { kind: 'operator', tokenId: 'test', tokenName: 'test' };
const POLICY = { maxRoles: 25, usernameImmutable: false, requiredUserAttributes: ['name.givenName', 'name.familyName', 'emails'] as const, usernameFormat: 'any' as const };


/** Tokens (src/app/tokens.ts): the tokens of one scope, a tenant's or the operators'. */
describe('Tokens', () => {
  let store: Store;
  /** The built-in tenant's tokens: the scope every rule below is stated in. */
  let scope: TokenStore;
  beforeEach(() => {
    store = openSqliteStore(':memory:');
    scope = store.tenant(DEFAULT_TENANT_ID, journal).tokens;
  });
  afterEach(() => store.close());

  describe('create', () => {
    it('issues a secret of 256 random bits, recognisably prefixed', async () => {
      const { secret } = await new Tokens(scope).create('okta');
      expect(secret).toMatch(/^roster_[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(secret.slice('roster_'.length), 'base64url')).toHaveLength(32);
    });

    it('issues a different secret and id every time', async () => {
      const tokens = new Tokens(scope);
      const issued = await Promise.all(Array.from({ length: 20 }, (_, i) => tokens.create(`t${i}`)));
      expect(new Set(issued.map((i) => i.secret)).size).toBe(20);
      expect(new Set(issued.map((i) => i.token.id)).size).toBe(20);
    });

    it('stores only the SHA-256 hash of the secret, never the secret', async () => {
      const { token, secret } = await new Tokens(scope).create('okta');
      const expected = createHash('sha256').update(secret).digest('hex');
      expect(token.hash).toBe(expected);
      expect(hashToken(secret)).toBe(expected);
      const stored = await scope.list();
      expect(stored).toHaveLength(1);
      expect(stored[0].hash).toBe(expected);
      expect(JSON.stringify(stored)).not.toContain(secret);
      expect(JSON.stringify(stored)).not.toContain(secret.slice('roster_'.length));
    });

    it('records name and creation time, and no expiry unless asked', async () => {
      const c = clock();
      const { token } = await new Tokens(scope, c.now).create('entra');
      expect(token).toMatchObject({ name: 'entra', created: '2030-01-01T00:00:00.000Z' });
      expect(token.expires).toBeUndefined();
      expect(token.revoked).toBeUndefined();
      expect(token.lastUsed).toBeUndefined();
    });

    it('sets the expiry relative to the creation time', async () => {
      const c = clock();
      const { token } = await new Tokens(scope, c.now).create('okta', 90 * DAY);
      expect(token.expires).toBe('2030-04-01T00:00:00.000Z');
    });

    it('issues a service token (bound to no user) that belongs to its scope\'s tenant', async () => {
      await store.tenants.create({ id: 'acme', name: 'Acme', settings: {} }, journal);
      const { token } = await new Tokens(store.tenant('acme', journal).tokens).create('okta');
      expect(token.userId).toBeUndefined();
      expect(token.tenantId).toBe('acme');
      expect((await new Tokens(scope).create('okta')).token.tenantId).toBe(DEFAULT_TENANT_ID);
    });

    it('in the operators\' scope issues an operator token: one of no tenant', async () => {
      const { token } = await new Tokens(store.operators).create('ops');
      expect(token.tenantId).toBeUndefined();
      expect(token.userId).toBeUndefined();
      expect((await store.operators.list()).map((t) => t.id)).toEqual([token.id]);
      expect(await scope.list()).toEqual([]);
    });
  });

  describe('one scope sees only its own tokens', () => {
    it.each([
      ['another tenant\'s', (s: Store) => s.tenant('acme', journal).tokens],
      ['the operators\'', (s: Store) => s.operators],
    ])('a token of %s scope is not listed, found, revoked or removed here', async (_label, otherScope) => {
      await store.tenants.create({ id: 'acme', name: 'Acme', settings: {} }, journal);
      const elsewhere = await new Tokens(otherScope(store)).create('elsewhere');
      const here = new Tokens(scope);
      expect(await here.list()).toEqual([]);
      expect(await here.get(elsewhere.token.id)).toBeUndefined();
      expect(await here.revoke(elsewhere.token.id)).toBe(false);
      expect(await here.remove(elsewhere.token.id)).toBe(false);
      // Untouched where it lives.
      const [kept] = await otherScope(store).list();
      expect(kept).toMatchObject({ id: elsewhere.token.id });
      expect(kept.revoked).toBeUndefined();
    });
  });

  describe('revoke', () => {
    it('returns false for an unknown id', async () => {
      expect(await new Tokens(scope).revoke('no-such-id')).toBe(false);
    });

    it('marks the token revoked at the time of revocation, and leaves other tokens as they were', async () => {
      const c = clock();
      const tokens = new Tokens(scope, c.now);
      const doomed = await tokens.create('doomed');
      const kept = await tokens.create('kept');
      c.advance(MINUTE);
      expect(await tokens.revoke(doomed.token.id)).toBe(true);
      const listed = await tokens.list();
      expect(listed.find((x) => x.id === doomed.token.id)!.revoked).toBe('2030-01-01T00:01:00.000Z');
      expect(listed.find((x) => x.id === kept.token.id)!.revoked).toBeUndefined();
    });

    it('keeps the first revocation time when revoked twice', async () => {
      const c = clock();
      const tokens = new Tokens(scope, c.now);
      const { token } = await tokens.create('okta');
      await tokens.revoke(token.id);
      c.advance(DAY);
      expect(await tokens.revoke(token.id)).toBe(true);
      expect((await tokens.list())[0].revoked).toBe('2030-01-01T00:00:00.000Z');
    });
  });

  describe('createForUser', () => {
    it('issues a token to a user who accepts it, asking with the very time the token records; the token then acts as that user', async () => {
      const c = clock();
      const users = new Users(store.tenant(DEFAULT_TENANT_ID, journal), POLICY, c.now);
      const user = await users.create({ data: { userName: 'jane', name: { givenName: 'J', familyName: 'D' }, emails: [{ value: 'jane@example.com' }] } }, OPERATOR);
      const accepts = jest.fn((userId: string, issued: string) => users.acceptsToken(userId, issued));
      const tokens = new Tokens(scope, c.now, accepts);
      const { token, secret } = await tokens.createForUser(user.id, 'laptop', DAY);
      expect(token).toMatchObject({ userId: user.id, name: 'laptop', created: '2030-01-01T00:00:00.000Z', expires: '2030-01-02T00:00:00.000Z' });
      expect(accepts).toHaveBeenCalledWith(user.id, token.created);
      expect(await authenticate(store, secret, c.now())).toEqual({
        ok: true, principal: { kind: 'user', tokenId: token.id, tokenName: 'laptop', tenantId: DEFAULT_TENANT_ID, userId: user.id },
      });
    });

    it('takes the issue time before asking about the user, so a token that raced a deactivation predates it', async () => {
      const c = clock();
      // The user is deactivated (and the clock moves on) while the check is under way.
      const accepts = jest.fn(async () => { c.advance(MINUTE); return true; });
      const { token } = await new Tokens(scope, c.now, accepts).createForUser('user-1', 'laptop');
      expect(token.created).toBe('2030-01-01T00:00:00.000Z');
    });

    it('refuses a user who would not accept the token: 409, nothing stored', async () => {
      const tokens = new Tokens(scope, undefined, async () => false);
      await expect(tokens.createForUser('user-1', 'laptop')).rejects.toMatchObject({ status: 409, detail: expect.stringMatching(/Active/) });
      expect(await tokens.list('user-1')).toEqual([]);
    });

    it('refuses every user when it cannot tell whether the user accepts tokens (no check given)', async () => {
      const tokens = new Tokens(scope);
      await expect(tokens.createForUser('user-1', 'laptop')).rejects.toMatchObject({ status: 409 });
      expect(await tokens.list('user-1')).toEqual([]);
    });
  });
});
