import { Clients } from '../../src/app/clients';
import { hashSecret } from '../../src/domain/oauth/credentials';
import type { Principal } from '../../src/domain/principal';
import { ScimError } from '../../src/scim/errors';
import { DEFAULT_TENANT_ID, type Store } from '../../src/store/port';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import { inMemoryMongoStore } from '../store/contract/mingo-collections';
import { clock } from '../support/clock';
import { journal } from '../support/journal';
import { withTenants } from '../support/store-tenants';

const DAY = 86_400_000;
const OPERATOR: Principal = { kind: 'operator', tokenId: 'op', tokenName: 'ops' };
const SERVICE: Principal = { kind: 'service', tokenId: 'svc', tokenName: 'okta', tenantId: DEFAULT_TENANT_ID };
const ACCESS_TOKEN: Principal = { kind: 'service', tokenId: 'c1', tokenName: 'entra', tenantId: DEFAULT_TENANT_ID, clientId: 'c1' };
const USER: Principal = { kind: 'user', tokenId: 'u', tokenName: 'laptop', tenantId: DEFAULT_TENANT_ID, userId: 'u1' };

/** Awaits a use case expected to refuse and returns its ScimError. */
async function refused(run: Promise<unknown>, status: number, scimType?: string): Promise<ScimError> {
  const error = await run.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ScimError);
  expect((error as ScimError).status).toBe(status);
  if (scimType) expect((error as ScimError).scimType).toBe(scimType);
  return error as ScimError;
}

/**
 * The admin use case of a tenant's OAuth clients: a client with its first secret, secrets added
 * for rotation and revoked, the limits, and who may. On both adapters.
 */
describe.each([
  ['SQLite', () => openSqliteStore(':memory:')],
  ['MongoDB (in-memory collections)', () => inMemoryMongoStore()],
])('Clients on %s', (_adapter, open: () => Store) => {
  let store: Store;
  let c: ReturnType<typeof clock>;
  const clientsAs = (actor: Principal, tenantId = DEFAULT_TENANT_ID) => new Clients(store.tenant(tenantId, journal).clients, actor, c.now);
  const clients = () => clientsAs(OPERATOR);

  beforeEach(async () => {
    store = open();
    c = clock();
    await withTenants(store, 'acme');
  });
  afterEach(() => store.close());

  describe('create', () => {
    it('makes a client with a first secret of 365 days, shown once and stored only as its hash', async () => {
      const created = await clients().create({ name: ' entra ' });
      expect(created).toEqual({
        clientId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'entra',
        created: '2030-01-01T00:00:00.000Z',
        clientSecret: expect.stringMatching(/^roster_cs_/),
        secret: { id: expect.any(String), created: '2030-01-01T00:00:00.000Z', expires: '2031-01-01T00:00:00.000Z', revoked: null, lastUsed: null, state: 'active' },
      });
      const [stored] = await store.tenant(DEFAULT_TENANT_ID, journal).clients.secrets(created.clientId);
      expect(stored.hash).toBe(hashSecret(created.clientSecret));
      expect(JSON.stringify(await clients().list())).not.toContain(created.clientSecret);
    });

    it('takes the first secret\'s lifetime in days', async () => {
      const created = await clients().create({ name: 'entra', secretExpiresInDays: 1095 });
      expect(Date.parse(created.secret.expires) - c.now().getTime()).toBe(1095 * DAY);
    });

    it.each<[string, object, RegExp]>([
      ['no name', {}, /Name the client/],
      ['an empty name', { name: '  ' }, /Name the client/],
      ['a name that is not a string', { name: 42 }, /Name the client/],
      ['a name over 256 characters', { name: 'x'.repeat(257) }, /at most 256 characters/],
      ['an unknown field', { name: 'entra', secret: 'mine' }, /takes name, secretExpiresInDays; not secret/],
      ['a lifetime over three years', { name: 'entra', secretExpiresInDays: 1096 }, /from 1 to 1095/],
      ['a lifetime of 0 days', { name: 'entra', secretExpiresInDays: 0 }, /from 1 to 1095/],
    ])('refuses %s with 400 invalidValue', async (_case, body, detail) => {
      expect((await refused(clients().create(body as never), 400, 'invalidValue')).detail).toMatch(detail);
      expect(await clients().list()).toEqual([]);
    });

    it('allows 20 clients per tenant, and the 21st is a 400 saying so; another tenant has its own 20', async () => {
      for (let i = 0; i < 20; i++) await clients().create({ name: `idp-${i}` });
      expect((await refused(clients().create({ name: 'one-more' }), 400, 'invalidValue')).detail).toMatch(/at most 20 OAuth clients/);
      await expect(clientsAs(OPERATOR, 'acme').create({ name: 'entra' })).resolves.toBeDefined();
    });
  });

  describe('list and get', () => {
    it('show each client with its secrets (never the secret), in creation order', async () => {
      const a = await clients().create({ name: 'entra' });
      c.advance(1000);
      const b = await clients().create({ name: 'other' });
      const list = await clients().list();
      expect(list.map((x) => x.clientId)).toEqual([a.clientId, b.clientId]);
      expect(list[0]).toEqual({ clientId: a.clientId, name: 'entra', created: a.created, secrets: [a.secret] });
      expect(await clients().get(b.clientId)).toEqual(list[1]);
    });

    it('say when a secret has expired', async () => {
      const a = await clients().create({ name: 'entra', secretExpiresInDays: 1 });
      c.advance(DAY);
      expect((await clients().get(a.clientId)).secrets[0].state).toBe('expired');
    });

    it('a client of another tenant is 404', async () => {
      const other = await clientsAs(OPERATOR, 'acme').create({ name: 'entra' });
      expect((await refused(clients().get(other.clientId), 404)).detail).toMatch(/No OAuth client has the id/);
      await refused(clients().delete(other.clientId), 404);
      await refused(clients().addSecret(other.clientId, {}), 404);
      await refused(clients().revokeSecret(other.clientId, other.secret.id), 404);
    });
  });

  describe('secrets', () => {
    it('adds a second secret beside the first (rotation), shown once', async () => {
      const a = await clients().create({ name: 'entra' });
      c.advance(1000);
      const added = await clients().addSecret(a.clientId, { expiresInDays: 30 });
      expect(added).toEqual({ clientId: a.clientId, clientSecret: expect.stringMatching(/^roster_cs_/), secret: expect.objectContaining({ state: 'active', expires: new Date(c.now().getTime() + 30 * DAY).toISOString() }) });
      expect(added.clientSecret).not.toBe(a.clientSecret);
      expect((await clients().get(a.clientId)).secrets.map((s) => s.id)).toEqual([a.secret.id, added.secret.id]);
    });

    it('refuses unknown fields and bad lifetimes', async () => {
      const a = await clients().create({ name: 'entra' });
      expect((await refused(clients().addSecret(a.clientId, { expiresIn: '30d' }), 400, 'invalidValue')).detail).toMatch(/takes expiresInDays; not expiresIn/);
      await refused(clients().addSecret(a.clientId, { expiresInDays: 2000 }), 400, 'invalidValue');
    });

    it('allows 5 active secrets; revoked and expired ones do not count', async () => {
      const a = await clients().create({ name: 'entra', secretExpiresInDays: 1 });
      for (let i = 0; i < 4; i++) await clients().addSecret(a.clientId, {});
      expect((await refused(clients().addSecret(a.clientId, {}), 400, 'invalidValue')).detail).toMatch(/at most 5 active secrets/);
      // Any secret but the first (the one that expires in a day): all were created in the same instant.
      const other = (await clients().get(a.clientId)).secrets.find((secret) => secret.id !== a.secret.id)!;
      await clients().revokeSecret(a.clientId, other.id);
      await clients().addSecret(a.clientId, {});
      await refused(clients().addSecret(a.clientId, {}), 400, 'invalidValue');
      c.advance(DAY);
      await expect(clients().addSecret(a.clientId, {})).resolves.toBeDefined();
    });

    it('revokes a secret: it shows as revoked, at the time it was revoked; revoking again changes nothing', async () => {
      const a = await clients().create({ name: 'entra' });
      c.advance(5000);
      await clients().revokeSecret(a.clientId, a.secret.id);
      c.advance(5000);
      await clients().revokeSecret(a.clientId, a.secret.id);
      expect((await clients().get(a.clientId)).secrets[0]).toMatchObject({ state: 'revoked', revoked: '2030-01-01T00:00:05.000Z' });
    });

    it('revoking a secret the client does not have is 404', async () => {
      const a = await clients().create({ name: 'entra' });
      const b = await clients().create({ name: 'other' });
      expect((await refused(clients().revokeSecret(a.clientId, b.secret.id), 404)).detail).toMatch(/has no secret/);
    });
  });

  describe('delete', () => {
    it('removes the client and its secrets; deleting again is 404', async () => {
      const a = await clients().create({ name: 'entra' });
      await clients().delete(a.clientId);
      expect(await clients().list()).toEqual([]);
      expect(await store.credentials.findClientSecret(hashSecret(a.clientSecret))).toBeUndefined();
      await refused(clients().delete(a.clientId), 404);
    });
  });

  describe('who may', () => {
    it('an operator and a static service token of the tenant may', async () => {
      await expect(clientsAs(SERVICE).create({ name: 'entra' })).resolves.toBeDefined();
      await expect(clientsAs(OPERATOR).list()).resolves.toHaveLength(1);
    });

    it.each<[string, Principal, RegExp]>([
      ['an OAuth access token', ACCESS_TOKEN, /OAuth access token may only provision/],
      ['a user-bound token', USER, /user-bound token may not/],
    ])('%s may do nothing with clients (403), checked before anything is looked up', async (_who, actor, detail) => {
      const a = await clients().create({ name: 'entra' });
      const as = clientsAs(actor);
      for (const run of [as.create({ name: 'x' }), as.list(), as.get(a.clientId), as.addSecret(a.clientId, {}), as.revokeSecret(a.clientId, a.secret.id), as.delete(a.clientId), as.get('no-such-client')]) {
        expect((await refused(run, 403)).detail).toMatch(detail);
      }
      expect((await clients().get(a.clientId)).secrets).toHaveLength(1);
    });
  });
});
