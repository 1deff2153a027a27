import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadSchemaRegistry } from '../../src/scim/schema/registry';
import { mongoStoreOn } from '../../src/store/mongo/mongo-store';
import { migrations } from '../../src/store/sqlite/migrations';
import { FakeDatabase } from '../store/contract/mingo-collections';
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

    it('accepts a user-bound token as that user while the user accepts it, asking about that user and the token\'s issue time', async () => {
      const userIsActive = jest.fn(async (userId: string) => userId === 'user-1');
      const tokens = new Tokens(store.tokens, undefined, userIsActive);
      const { token, secret } = await tokens.create('laptop', undefined, 'user-1');
      expect(token.userId).toBe('user-1');
      expect(await tokens.authenticate(secret)).toEqual({ ok: true, principal: { kind: 'user', tokenId: token.id, tokenName: 'laptop', userId: 'user-1' } });
      expect(userIsActive).toHaveBeenCalledWith('user-1', token.created);
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

  describe('createForUser', () => {
    it('issues a token to a user who accepts it, asking with the very time the token records', async () => {
      const c = clock();
      const accepts = jest.fn(async () => true);
      const tokens = new Tokens(store.tokens, c.now, accepts);
      const { token, secret } = await tokens.createForUser('user-1', 'laptop', DAY);
      expect(token).toMatchObject({ userId: 'user-1', name: 'laptop', created: '2030-01-01T00:00:00.000Z', expires: '2030-01-02T00:00:00.000Z' });
      expect(accepts).toHaveBeenCalledWith('user-1', token.created);
      expect((await tokens.authenticate(secret)).ok).toBe(true);
    });

    it('takes the issue time before asking about the user, so a token that raced a deactivation predates it', async () => {
      const c = clock();
      // The user is deactivated (and the clock moves on) while the check is under way.
      const accepts = jest.fn(async () => { c.advance(MINUTE); return true; });
      const { token } = await new Tokens(store.tokens, c.now, accepts).createForUser('user-1', 'laptop');
      expect(token.created).toBe('2030-01-01T00:00:00.000Z');
    });

    it('refuses a user who would not accept the token: 409, nothing stored', async () => {
      const tokens = new Tokens(store.tokens, undefined, async () => false);
      await expect(tokens.createForUser('user-1', 'laptop')).rejects.toMatchObject({ status: 409, detail: expect.stringMatching(/Active/) });
      expect(await tokens.list('user-1')).toEqual([]);
    });
  });

  describe('syncBootstrap (SCIM_BOOTSTRAP_TOKEN at every start)', () => {
    const A = 'a-bootstrap-secret-of-at-least-32-characters';
    const B = 'another-bootstrap-secret-of-32-characters-or-more';

    it('registers the secret by its hash only, flagged as the bootstrap token, and accepts it', async () => {
      const tokens = new Tokens(store.tokens);
      await tokens.syncBootstrap(A);
      const [record] = await store.tokens.listBootstrap();
      expect(record).toMatchObject({ name: 'bootstrap', hash: hashToken(A), bootstrap: true });
      expect(JSON.stringify(await tokens.list())).not.toContain(A);
      expect(await tokens.authenticate(A)).toEqual({ ok: true, principal: { kind: 'service', tokenId: record.id, tokenName: 'bootstrap' } });
    });

    it('keeps one token however often, and however many instances at once, start with the same secret', async () => {
      const tokens = new Tokens(store.tokens);
      await Promise.all([tokens.syncBootstrap(A), tokens.syncBootstrap(A), tokens.syncBootstrap(A)]);
      const [first, ...others] = await store.tokens.listBootstrap();
      expect(others).toEqual([]);
      await tokens.syncBootstrap(A);
      expect(await store.tokens.listBootstrap()).toEqual([first]);
    });

    it('retires the old secret when the variable is removed: A is refused', async () => {
      const tokens = new Tokens(store.tokens);
      await tokens.syncBootstrap(A);
      await tokens.syncBootstrap(undefined);
      expect(await tokens.authenticate(A)).toEqual({ ok: false, reason: expect.stringMatching(/not valid/) });
      expect(await store.tokens.listBootstrap()).toEqual([]);
    });

    it('retires the old secret when the variable changes: A is refused, B accepted', async () => {
      const tokens = new Tokens(store.tokens);
      await tokens.syncBootstrap(A);
      await tokens.syncBootstrap(B);
      expect((await tokens.authenticate(A)).ok).toBe(false);
      expect((await tokens.authenticate(B)).ok).toBe(true);
      expect((await store.tokens.listBootstrap()).map((t) => t.hash)).toEqual([hashToken(B)]);
    });

    it('leaves every other token alone, service tokens named "bootstrap" included', async () => {
      const tokens = new Tokens(store.tokens);
      const service = await tokens.create('bootstrap');
      const user = await tokens.create('laptop', undefined, 'user-1');
      await tokens.syncBootstrap(A);
      await tokens.syncBootstrap(undefined);
      expect((await tokens.list()).map((t) => t.id)).toEqual([service.token.id]);
      expect((await tokens.list('user-1')).map((t) => t.id)).toEqual([user.token.id]);
    });

    it('keeps a bootstrap token someone revoked revoked', async () => {
      const tokens = new Tokens(store.tokens);
      await tokens.syncBootstrap(A);
      const [record] = await store.tokens.listBootstrap();
      await tokens.revoke(record.id);
      await tokens.syncBootstrap(A);
      expect(await tokens.authenticate(A)).toEqual({ ok: false, reason: expect.stringMatching(/revoked/) });
    });
  });

  describe('a bootstrap token stored by an earlier version (the service token named "bootstrap", no flag)', () => {
    const OLD = 'an-old-bootstrap-secret-of-at-least-32-chars';

    it('is retired on SQLite: the migration flags it', async () => {
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
        expect((await legacy.tokens.listBootstrap()).map((t) => t.id)).toEqual(['old-bootstrap']);
        await new Tokens(legacy.tokens).syncBootstrap(undefined);
        expect(await new Tokens(legacy.tokens).authenticate(OLD)).toMatchObject({ ok: false });
        expect(await legacy.tokens.get('user-token')).toBeDefined();
      } finally {
        await legacy.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('is retired on MongoDB: a document without the flag named "bootstrap" counts as one', async () => {
      const database = new FakeDatabase();
      const mongo = mongoStoreOn(database.asCollections(), loadSchemaRegistry(), { description: 'in-memory', ready: () => true, close: async () => undefined });
      const raw = database.collection('tokens');
      await raw.insertOne({ _id: 'old-bootstrap', name: 'bootstrap', hash: hashToken(OLD), created: '2024-01-01T00:00:00.000Z', userId: null });
      await raw.insertOne({ _id: 'new-service', name: 'bootstrap', hash: 'hash-s', created: '2024-01-01T00:00:00.000Z', userId: null, bootstrap: false });
      expect((await mongo.tokens.listBootstrap()).map((t) => t.id)).toEqual(['old-bootstrap']);
      await new Tokens(mongo.tokens).syncBootstrap(undefined);
      expect(await mongo.tokens.get('old-bootstrap')).toBeUndefined();
      expect(await mongo.tokens.get('new-service')).toBeDefined();
    });
  });
});
