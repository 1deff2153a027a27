import { createHash } from 'node:crypto';
import { Tokens, hashToken } from '../../src/domain/tokens';
import type { Store } from '../../src/store/port';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** A clock the test moves by hand. */
function clock(start = Date.parse('2030-01-01T00:00:00Z')) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => { now += ms; } };
}

describe('Tokens', () => {
  let store: Store;
  beforeEach(() => { store = openSqliteStore(':memory:'); });
  afterEach(() => store.close());

  describe('create', () => {
    it('issues a secret of 256 random bits, recognisably prefixed', async () => {
      const { secret } = await new Tokens(store.tokens).create('okta');
      expect(secret).toMatch(/^roster_[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(secret.slice('roster_'.length), 'base64url')).toHaveLength(32);
    });

    it('issues a different secret and id every time', async () => {
      const tokens = new Tokens(store.tokens);
      const issued = await Promise.all(Array.from({ length: 20 }, (_, i) => tokens.create(`t${i}`)));
      expect(new Set(issued.map((i) => i.secret)).size).toBe(20);
      expect(new Set(issued.map((i) => i.token.id)).size).toBe(20);
    });

    it('stores only the SHA-256 hash of the secret, never the secret', async () => {
      const { token, secret } = await new Tokens(store.tokens).create('okta');
      const expected = createHash('sha256').update(secret).digest('hex');
      expect(token.hash).toBe(expected);
      expect(hashToken(secret)).toBe(expected);
      const stored = await store.tokens.list();
      expect(stored).toHaveLength(1);
      expect(stored[0].hash).toBe(expected);
      expect(JSON.stringify(stored)).not.toContain(secret);
      expect(JSON.stringify(stored)).not.toContain(secret.slice('roster_'.length));
    });

    it('records name and creation time, and no expiry unless asked', async () => {
      const c = clock();
      const { token } = await new Tokens(store.tokens, c.now).create('entra');
      expect(token).toMatchObject({ name: 'entra', created: '2030-01-01T00:00:00.000Z' });
      expect(token.expires).toBeUndefined();
      expect(token.revoked).toBeUndefined();
      expect(token.lastUsed).toBeUndefined();
    });

    it('sets the expiry relative to the creation time', async () => {
      const c = clock();
      const { token } = await new Tokens(store.tokens, c.now).create('okta', 90 * DAY);
      expect(token.expires).toBe('2030-04-01T00:00:00.000Z');
    });
  });

  describe('authenticate', () => {
    it('accepts the secret it issued, as the named principal', async () => {
      const tokens = new Tokens(store.tokens);
      const { token, secret } = await tokens.create('okta');
      expect(await tokens.authenticate(secret)).toEqual({ ok: true, principal: { kind: 'service', tokenId: token.id, tokenName: 'okta' } });
    });

    it('accepts a user-bound token as that user while the user is active, and asks only about that user', async () => {
      const userIsActive = jest.fn(async (userId: string) => userId === 'user-1');
      const tokens = new Tokens(store.tokens, undefined, userIsActive);
      const { token, secret } = await tokens.create('laptop', undefined, 'user-1');
      expect(token.userId).toBe('user-1');
      expect(await tokens.authenticate(secret)).toEqual({ ok: true, principal: { kind: 'user', tokenId: token.id, tokenName: 'laptop', userId: 'user-1' } });
      expect(userIsActive).toHaveBeenCalledWith('user-1');
    });

    it('refuses a user-bound token whose user is no longer active, and does not record its use', async () => {
      const tokens = new Tokens(store.tokens, undefined, async () => false);
      const { secret } = await tokens.create('laptop', undefined, 'user-1');
      expect(await tokens.authenticate(secret)).toEqual({ ok: false, reason: expect.stringMatching(/no longer active/) });
      expect((await tokens.list('user-1'))[0].lastUsed).toBeUndefined();
    });

    it('refuses user-bound tokens when it cannot tell whether their user is active', async () => {
      const tokens = new Tokens(store.tokens);
      const { secret } = await tokens.create('laptop', undefined, 'user-1');
      expect((await tokens.authenticate(secret)).ok).toBe(false);
    });

    it('does not ask about users for a service token', async () => {
      const userIsActive = jest.fn(async () => false);
      const tokens = new Tokens(store.tokens, undefined, userIsActive);
      const { secret } = await tokens.create('okta');
      expect((await tokens.authenticate(secret)).ok).toBe(true);
      expect(userIsActive).not.toHaveBeenCalled();
    });

    it.each([
      ['an unknown secret', 'roster_unknown'],
      ['the stored hash itself', 'HASH'],
      ['the secret without its prefix', 'UNPREFIXED'],
      ['an empty string', ''],
    ])('refuses %s', async (_label, kind) => {
      const tokens = new Tokens(store.tokens);
      const { token, secret } = await tokens.create('okta');
      const presented = kind === 'HASH' ? token.hash : kind === 'UNPREFIXED' ? secret.slice('roster_'.length) : kind;
      expect(await tokens.authenticate(presented)).toEqual({ ok: false, reason: expect.stringMatching(/not valid/) });
    });

    it('refuses a token once it has expired, and accepts it until then', async () => {
      const c = clock();
      const tokens = new Tokens(store.tokens, c.now);
      const { secret } = await tokens.create('short', DAY);
      c.advance(DAY - 1);
      expect((await tokens.authenticate(secret)).ok).toBe(true);
      c.advance(1);
      expect(await tokens.authenticate(secret)).toEqual({ ok: false, reason: expect.stringMatching(/expired/) });
    });

    it('refuses a revoked token, and revoking leaves other tokens working', async () => {
      const c = clock();
      const tokens = new Tokens(store.tokens, c.now);
      const doomed = await tokens.create('doomed');
      const kept = await tokens.create('kept');
      expect(await tokens.revoke(doomed.token.id)).toBe(true);
      expect(await tokens.authenticate(doomed.secret)).toEqual({ ok: false, reason: expect.stringMatching(/revoked/) });
      expect((await tokens.authenticate(kept.secret)).ok).toBe(true);
      const listed = (await tokens.list()).find((x) => x.id === doomed.token.id)!;
      expect(listed.revoked).toBe('2030-01-01T00:00:00.000Z');
    });

    it('records when a token was last used, at most once a minute', async () => {
      const c = clock();
      const tokens = new Tokens(store.tokens, c.now);
      const { token, secret } = await tokens.create('okta');
      const lastUsed = async () => (await tokens.list()).find((x) => x.id === token.id)!.lastUsed;
      const touch = jest.spyOn(store.tokens, 'touch');

      await tokens.authenticate(secret);
      expect(await lastUsed()).toBe('2030-01-01T00:00:00.000Z');
      c.advance(30_000);
      await tokens.authenticate(secret);
      expect(await lastUsed()).toBe('2030-01-01T00:00:00.000Z');
      c.advance(MINUTE);
      await tokens.authenticate(secret);
      expect(await lastUsed()).toBe('2030-01-01T00:01:30.000Z');
      expect(touch).toHaveBeenCalledTimes(2);
    });

    it('does not record use of a refused token', async () => {
      const tokens = new Tokens(store.tokens);
      const { token, secret } = await tokens.create('okta');
      await tokens.revoke(token.id);
      await tokens.authenticate(secret);
      expect((await tokens.list())[0].lastUsed).toBeUndefined();
    });
  });

  describe('revoke', () => {
    it('returns false for an unknown id', async () => {
      expect(await new Tokens(store.tokens).revoke('no-such-id')).toBe(false);
    });

    it('keeps the first revocation time when revoked twice', async () => {
      const c = clock();
      const tokens = new Tokens(store.tokens, c.now);
      const { token } = await tokens.create('okta');
      await tokens.revoke(token.id);
      c.advance(DAY);
      expect(await tokens.revoke(token.id)).toBe(true);
      expect((await tokens.list())[0].revoked).toBe('2030-01-01T00:00:00.000Z');
    });
  });

  describe('ensureBootstrap', () => {
    const BOOTSTRAP = 'a-bootstrap-secret-of-at-least-32-characters';

    it('registers the bootstrap secret by its hash only, and accepts it', async () => {
      const tokens = new Tokens(store.tokens);
      const record = await tokens.ensureBootstrap(BOOTSTRAP);
      expect(record).toMatchObject({ name: 'bootstrap', hash: hashToken(BOOTSTRAP) });
      expect(JSON.stringify(await tokens.list())).not.toContain(BOOTSTRAP);
      expect(await tokens.authenticate(BOOTSTRAP)).toEqual({ ok: true, principal: { kind: 'service', tokenId: record.id, tokenName: 'bootstrap' } });
    });

    it('is idempotent', async () => {
      const tokens = new Tokens(store.tokens);
      const first = await tokens.ensureBootstrap(BOOTSTRAP);
      expect((await tokens.ensureBootstrap(BOOTSTRAP)).id).toBe(first.id);
      expect(await tokens.list()).toHaveLength(1);
    });
  });
});
