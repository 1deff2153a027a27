import { authenticate } from '../../src/app/authenticate';
import { Clients } from '../../src/app/clients';
import { OAuthError, OAuthTokens } from '../../src/app/oauth-token';
import { Tokens } from '../../src/app/tokens';
import type { Principal } from '../../src/domain/principal';
import { DEFAULT_TENANT_ID, type Store } from '../../src/store/port';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import { inMemoryMongoStore } from '../store/contract/mingo-collections';
import { clock } from '../support/clock';
import { journal } from '../support/journal';
import { withTenants } from '../support/store-tenants';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const OPERATOR: Principal = { kind: 'operator', tokenId: 'op', tokenName: 'ops' };
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const GRANT = { grant_type: 'client_credentials' };

/**
 * Issuing access tokens (OAuthTokens, behind POST /oauth/token) and using them (authenticate):
 * the client's secret decides the tenant, the token acts as the client there, and it ends with
 * its lifetime, its secret or its client. On both adapters.
 */
describe.each([
  ['SQLite', () => openSqliteStore(':memory:')],
  ['MongoDB (in-memory collections)', () => inMemoryMongoStore()],
])('OAuthTokens on %s', (_adapter, open: () => Store) => {
  let store: Store;
  let c: ReturnType<typeof clock>;
  const clients = (tenantId = DEFAULT_TENANT_ID) => new Clients(store.tenant(tenantId, journal).clients, OPERATOR, c.now);
  const oauth = (ttlMs = HOUR) => new OAuthTokens(store, ttlMs, c.now);
  const issue = (clientId: string, secret: string, ttlMs?: number) => oauth(ttlMs).issue({ authorization: basic(clientId, secret), form: GRANT });
  const refusal = async (run: Promise<unknown>) => {
    const error = await run.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthError);
    return error as OAuthError;
  };
  const auth = (token: string) => authenticate(store, token, c.now());

  beforeEach(async () => {
    store = open();
    c = clock();
    await withTenants(store, 'acme');
  });
  afterEach(() => store.close());

  it('issues a Bearer token of OAUTH_TOKEN_TTL that acts as a service of the client\'s tenant, named by the client', async () => {
    const entra = await clients('acme').create({ name: 'entra' });
    const { response, principal } = await issue(entra.clientId, entra.clientSecret);
    expect(response).toEqual({ access_token: expect.stringMatching(/^roster_at_/), token_type: 'Bearer', expires_in: 3600 });
    const expected = { kind: 'service', tokenId: entra.clientId, tokenName: 'entra', tenantId: 'acme', clientId: entra.clientId };
    expect(principal).toEqual(expected);
    expect(await auth(response.access_token)).toEqual({ ok: true, principal: expected });
  });

  it('takes the client from form fields as well as from Basic', async () => {
    const entra = await clients().create({ name: 'entra' });
    const { response } = await oauth().issue({ form: { ...GRANT, client_id: entra.clientId, client_secret: entra.clientSecret } });
    expect((await auth(response.access_token)).ok).toBe(true);
  });

  it('lives OAUTH_TOKEN_TTL and not a millisecond more', async () => {
    const entra = await clients().create({ name: 'entra' });
    const { response } = await issue(entra.clientId, entra.clientSecret, 6 * HOUR);
    expect(response.expires_in).toBe(21_600);
    c.advance(6 * HOUR - 1);
    expect((await auth(response.access_token)).ok).toBe(true);
    c.advance(1);
    expect(await auth(response.access_token)).toEqual({ ok: false, reason: 'The bearer token has expired' });
  });

  it('never outlives its secret: issued ten minutes before the secret expires, it lives ten minutes', async () => {
    const entra = await clients().create({ name: 'entra', secretExpiresInDays: 1 });
    c.advance(DAY - 10 * 60_000);
    const { response } = await issue(entra.clientId, entra.clientSecret);
    expect(response.expires_in).toBe(600);
  });

  it('answers a requested scope with the one it grants (RFC 6749 §3.3), and says nothing of scope otherwise', async () => {
    const entra = await clients().create({ name: 'entra' });
    const { response } = await oauth().issue({ authorization: basic(entra.clientId, entra.clientSecret), form: { ...GRANT, scope: 'https://graph.example/.default' } });
    expect(response.scope).toBe('scim');
  });

  it('keeps the access token out of the tenant\'s token list (it is listed with nothing: its client is)', async () => {
    const entra = await clients().create({ name: 'entra' });
    await issue(entra.clientId, entra.clientSecret);
    expect(await new Tokens(store.tenant(DEFAULT_TENANT_ID, journal).tokens).list()).toEqual([]);
  });

  it('records when a secret was last used, at most once a minute', async () => {
    const entra = await clients().create({ name: 'entra' });
    const lastUsed = async () => (await clients().get(entra.clientId)).secrets[0].lastUsed;
    await issue(entra.clientId, entra.clientSecret);
    expect(await lastUsed()).toBe('2030-01-01T00:00:00.000Z');
    c.advance(30_000);
    await issue(entra.clientId, entra.clientSecret);
    expect(await lastUsed()).toBe('2030-01-01T00:00:00.000Z');
    c.advance(31_000);
    await issue(entra.clientId, entra.clientSecret);
    expect(await lastUsed()).toBe('2030-01-01T00:01:01.000Z');
  });

  describe('refuses with invalid_client (401)', () => {
    it('an unknown secret, and a real secret sent with another client\'s id, alike', async () => {
      const entra = await clients().create({ name: 'entra' });
      const other = await clients().create({ name: 'other' });
      const unknown = await refusal(issue(entra.clientId, 'roster_cs_never-issued'));
      const mismatched = await refusal(issue(other.clientId, entra.clientSecret));
      expect([unknown.status, unknown.code]).toEqual([401, 'invalid_client']);
      expect(mismatched.body).toEqual(unknown.body);
    });

    it('a revoked secret', async () => {
      const entra = await clients().create({ name: 'entra' });
      await clients().revokeSecret(entra.clientId, entra.secret.id);
      expect((await refusal(issue(entra.clientId, entra.clientSecret))).description).toMatch(/has been revoked/);
    });

    it('an expired secret, saying how to get a new one', async () => {
      const entra = await clients().create({ name: 'entra', secretExpiresInDays: 1 });
      c.advance(DAY);
      const error = await refusal(issue(entra.clientId, entra.clientSecret));
      expect([error.status, error.code]).toEqual([401, 'invalid_client']);
      expect(error.description).toMatch(/expired at 2030-01-02T00:00:00.000Z; add a new one/);
    });

    it('a secret of a deleted client', async () => {
      const entra = await clients().create({ name: 'entra' });
      await clients().delete(entra.clientId);
      expect((await refusal(issue(entra.clientId, entra.clientSecret))).code).toBe('invalid_client');
    });

    it('a client of a tenant that is being deleted', async () => {
      const entra = await clients('acme').create({ name: 'entra' });
      await store.tenants.markDeleting('acme', c.now().toISOString());
      expect((await refusal(issue(entra.clientId, entra.clientSecret))).code).toBe('invalid_client');
    });
  });

  describe('ends the access tokens', () => {
    it('of a revoked secret at once, and only those: another secret\'s tokens still work', async () => {
      const entra = await clients().create({ name: 'entra' });
      const second = await clients().addSecret(entra.clientId, {});
      const first = (await issue(entra.clientId, entra.clientSecret)).response.access_token;
      const other = (await issue(entra.clientId, second.clientSecret)).response.access_token;
      await clients().revokeSecret(entra.clientId, entra.secret.id);
      expect(await auth(first)).toEqual({ ok: false, reason: 'The bearer token has been revoked' });
      expect((await auth(other)).ok).toBe(true);
    });

    it('of a deleted client at once', async () => {
      const entra = await clients().create({ name: 'entra' });
      const token = (await issue(entra.clientId, entra.clientSecret)).response.access_token;
      await clients().delete(entra.clientId);
      expect((await auth(token)).ok).toBe(false);
    });
  });
});
