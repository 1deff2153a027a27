import { DEFAULT_TENANT_ID, type ClientSecretRecord, type Store, type TenantStore } from '../../../src/store/port';
import { DAY, iso } from './contract-support';
import { journal } from '../../support/journal';

const NOW = Date.UTC(2030, 0, 10);
const HOUR = 3_600_000;
const YEAR = 365 * DAY;

/**
 * OAuth clients and their secrets (store port: ClientStore, Credentials.findClientSecret): a
 * client of one tenant, found across tenants by a secret's hash; several secrets active at once;
 * access tokens that are ordinary tokens with clientId and secretId, left out of the token list,
 * recording no event, revoked with their secret, erased with their client, when expired, and
 * with their tenant.
 */
export function clientsContract(getStore: () => Store): void {
  describe('OAuth clients and their secrets', () => {
    let store: Store;
    let t: TenantStore;
    const client = (tenant: TenantStore, id: string, name = 'entra') => tenant.clients.create({ id, name, created: iso(NOW) });
    const secret = (tenant: TenantStore, clientId: string, id: string, expires = iso(NOW + YEAR)) =>
      tenant.clients.addSecret({ id, clientId, hash: `hash-of-${id}`, created: iso(NOW), expires });
    /** An access token as POST /oauth/token issues it: a token of the client's tenant that expires within hours. */
    const accessToken = (tenant: TenantStore, id: string, clientId: string, secretId: string, expires = iso(NOW + HOUR)) =>
      tenant.tokens.create({ id, name: `oauth:${clientId}`, hash: `hash-of-${id}`, created: iso(NOW), expires, clientId, secretId });
    const eventTypes = async (tenant = t) => (await tenant.events.read({ after: 0, limit: 100, scan: 1000 })).events.map((e) => e.type);

    beforeEach(async () => {
      store = getStore();
      t = store.tenant(DEFAULT_TENANT_ID, journal);
      await store.tenants.create({ id: 'acme', name: 'Acme', settings: {} }, journal);
    });

    it('creates a client in its tenant, got by id and listed in creation order; another tenant sees none of it', async () => {
      const entra = await client(t, 'c-entra');
      expect(entra).toEqual({ id: 'c-entra', tenantId: DEFAULT_TENANT_ID, name: 'entra', created: iso(NOW) });
      const other = await t.clients.create({ id: 'c-later', name: 'later', created: iso(NOW + 1) });
      expect(await t.clients.get('c-entra')).toEqual(entra);
      expect(await t.clients.list()).toEqual([entra, other]);
      const acme = store.tenant('acme', journal);
      expect(await acme.clients.get('c-entra')).toBeUndefined();
      expect(await acme.clients.list()).toEqual([]);
      expect(await t.clients.get('nobody')).toBeUndefined();
    });

    it('records client.created naming the client, and nothing of another tenant', async () => {
      await client(t, 'c-entra');
      const [created] = (await t.events.read({ after: 0, limit: 10, scan: 100 })).events;
      expect(created).toMatchObject({ type: 'client.created', tenant: DEFAULT_TENANT_ID, resource: { type: 'Client', id: 'c-entra', name: 'entra' } });
      expect(await eventTypes(store.tenant('acme', journal))).toEqual(['tenant.created']);
    });

    it('adds several secrets to a client, each with its expiry, listed in creation order; never to a client it does not have', async () => {
      await client(t, 'c-entra');
      const first = await secret(t, 'c-entra', 's-1');
      const second = await secret(t, 'c-entra', 's-2', iso(NOW + 2 * YEAR));
      expect(first).toEqual<ClientSecretRecord>({ id: 's-1', clientId: 'c-entra', hash: 'hash-of-s-1', created: iso(NOW), expires: iso(NOW + YEAR) });
      expect(await t.clients.secrets('c-entra')).toEqual([first, second]);
      expect(await secret(t, 'nobody', 's-3')).toBeUndefined();
      expect(await secret(store.tenant('acme', journal), 'c-entra', 's-4')).toBeUndefined();
      expect(await store.tenant('acme', journal).clients.secrets('c-entra')).toEqual([]);
      expect(await store.credentials.findClientSecret('hash-of-s-4')).toBeUndefined();
    });

    it('records client.secret_added with the secret\'s id and expiry, never its hash', async () => {
      await client(t, 'c-entra');
      await secret(t, 'c-entra', 's-1');
      const events = (await t.events.read({ after: 0, limit: 10, scan: 100 })).events;
      expect(events[1]).toMatchObject({
        type: 'client.secret_added', resource: { type: 'Client', id: 'c-entra', name: 'entra' },
        changes: [{ path: 'secret.expires', after: iso(NOW + YEAR) }, { path: 'secret.id', after: 's-1' }],
      });
      expect(JSON.stringify(events)).not.toContain('hash-of-');
    });

    it('finds a secret by its hash from any tenant, with its client; records when it was last used', async () => {
      const acme = store.tenant('acme', journal);
      const registered = await client(acme, 'c-acme', 'acme-entra');
      const added = await secret(acme, 'c-acme', 's-acme');
      expect(await store.credentials.findClientSecret('hash-of-s-acme')).toEqual({ client: registered, secret: added });
      expect(await store.credentials.findClientSecret('hash-of-nothing')).toBeUndefined();
      await store.credentials.touchClientSecret('s-acme', iso(NOW + HOUR));
      expect((await store.credentials.findClientSecret('hash-of-s-acme'))?.secret.lastUsed).toBe(iso(NOW + HOUR));
      expect((await acme.clients.secrets('c-acme'))[0].lastUsed).toBe(iso(NOW + HOUR));
    });

    it('finds revoked and expired secrets too (the caller says why it refuses)', async () => {
      await client(t, 'c-entra');
      await secret(t, 'c-entra', 's-old', iso(NOW - DAY));
      await secret(t, 'c-entra', 's-revoked');
      await t.clients.revokeSecret('c-entra', 's-revoked', iso(NOW));
      expect((await store.credentials.findClientSecret('hash-of-s-old'))?.secret.expires).toBe(iso(NOW - DAY));
      expect((await store.credentials.findClientSecret('hash-of-s-revoked'))?.secret.revoked).toBe(iso(NOW));
    });

    it('keeps access tokens as tokens of the tenant, with their client and secret, found by hash; not listed, no event', async () => {
      await client(t, 'c-entra');
      await secret(t, 'c-entra', 's-1');
      const service = await t.tokens.create({ id: 't-okta', name: 'okta', hash: 'hash-of-t-okta', created: iso(NOW) });
      const before = await eventTypes();
      const issued = await accessToken(t, 'a-1', 'c-entra', 's-1');
      expect(issued).toMatchObject({ id: 'a-1', tenantId: DEFAULT_TENANT_ID, clientId: 'c-entra', secretId: 's-1', expires: iso(NOW + HOUR) });
      expect(await store.credentials.findByHash('hash-of-a-1')).toEqual(issued);
      expect(await t.tokens.get('a-1')).toEqual(issued);
      expect(await t.tokens.list()).toEqual([service]);
      expect(await eventTypes()).toEqual(before);
    });

    it('revokes a secret and, with it, the access tokens issued with it, keeping the other secret\'s; once', async () => {
      await client(t, 'c-entra');
      await secret(t, 'c-entra', 's-1');
      await secret(t, 'c-entra', 's-2');
      await accessToken(t, 'a-1', 'c-entra', 's-1');
      await accessToken(t, 'a-2', 'c-entra', 's-2');
      expect(await t.clients.revokeSecret('c-entra', 's-1', iso(NOW + HOUR / 2))).toBe(true);
      expect((await t.clients.secrets('c-entra')).map((s) => [s.id, s.revoked])).toEqual([['s-1', iso(NOW + HOUR / 2)], ['s-2', undefined]]);
      expect((await store.credentials.findByHash('hash-of-a-1'))?.revoked).toBe(iso(NOW + HOUR / 2));
      expect((await store.credentials.findByHash('hash-of-a-2'))?.revoked).toBeUndefined();

      expect(await t.clients.revokeSecret('c-entra', 's-1', iso(NOW + HOUR))).toBe(true);
      expect((await t.clients.secrets('c-entra'))[0].revoked).toBe(iso(NOW + HOUR / 2));
      const events = (await t.events.read({ after: 0, limit: 100, scan: 1000 })).events.filter((e) => e.type === 'client.secret_revoked');
      expect(events).toEqual([expect.objectContaining({
        resource: { type: 'Client', id: 'c-entra', name: 'entra' },
        changes: [{ path: 'secret.id', after: 's-1' }, { path: 'secret.revoked', after: iso(NOW + HOUR / 2) }],
      })]);
    });

    it('revokes no secret of another client or tenant, nor one it does not have', async () => {
      await client(t, 'c-entra');
      await client(t, 'c-other', 'other');
      await secret(t, 'c-entra', 's-1');
      expect(await t.clients.revokeSecret('c-other', 's-1', iso(NOW))).toBe(false);
      expect(await t.clients.revokeSecret('c-entra', 's-none', iso(NOW))).toBe(false);
      expect(await store.tenant('acme', journal).clients.revokeSecret('c-entra', 's-1', iso(NOW))).toBe(false);
      expect((await t.clients.secrets('c-entra'))[0].revoked).toBeUndefined();
    });

    it('removes a client with its secrets and access tokens, recording client.deleted; once, and only in its tenant', async () => {
      await client(t, 'c-entra');
      await client(t, 'c-keep', 'keep');
      await secret(t, 'c-entra', 's-1');
      await secret(t, 'c-keep', 's-keep');
      await accessToken(t, 'a-1', 'c-entra', 's-1');
      await accessToken(t, 'a-keep', 'c-keep', 's-keep');
      expect(await store.tenant('acme', journal).clients.remove('c-entra')).toBe(false);
      expect(await t.clients.remove('c-entra')).toBe(true);
      expect(await t.clients.remove('c-entra')).toBe(false);
      expect(await t.clients.get('c-entra')).toBeUndefined();
      expect(await t.clients.secrets('c-entra')).toEqual([]);
      expect(await store.credentials.findClientSecret('hash-of-s-1')).toBeUndefined();
      expect(await store.credentials.findByHash('hash-of-a-1')).toBeUndefined();
      expect((await t.clients.list()).map((c) => c.id)).toEqual(['c-keep']);
      expect(await store.credentials.findByHash('hash-of-a-keep')).toBeDefined();
      const events = await eventTypes();
      expect(events.filter((type) => type === 'client.deleted')).toHaveLength(1);
      expect(events[events.length - 1]).toBe('client.deleted');
    });

    it('purges the access tokens of its tenant that expired before a time, and nothing else', async () => {
      const acme = store.tenant('acme', journal);
      for (const tenant of [t, acme]) {
        await client(tenant, `c-${tenant.tenantId}`);
        await secret(tenant, `c-${tenant.tenantId}`, `s-${tenant.tenantId}`);
        await accessToken(tenant, `old-${tenant.tenantId}`, `c-${tenant.tenantId}`, `s-${tenant.tenantId}`, iso(NOW - 2 * HOUR));
        await accessToken(tenant, `new-${tenant.tenantId}`, `c-${tenant.tenantId}`, `s-${tenant.tenantId}`, iso(NOW + HOUR));
      }
      const expiredService = await t.tokens.create({ id: 't-expired', name: 'expired', hash: 'hash-of-t-expired', created: iso(NOW - DAY), expires: iso(NOW - DAY) });
      expect(await t.clients.purgeAccessTokens(iso(NOW))).toBe(1);
      expect(await t.clients.purgeAccessTokens(iso(NOW))).toBe(0);
      expect(await store.credentials.findByHash(`hash-of-old-${DEFAULT_TENANT_ID}`)).toBeUndefined();
      expect(await store.credentials.findByHash(`hash-of-new-${DEFAULT_TENANT_ID}`)).toBeDefined();
      expect(await store.credentials.findByHash('hash-of-old-acme')).toBeDefined();
      expect(await t.tokens.get(expiredService.id)).toEqual(expiredService);
    });

    it('is erased with its tenant: clients, secrets and access tokens', async () => {
      const acme = store.tenant('acme', journal);
      await client(acme, 'c-acme');
      await secret(acme, 'c-acme', 's-acme');
      await accessToken(acme, 'a-acme', 'c-acme', 's-acme');
      await client(t, 'c-default');
      await secret(t, 'c-default', 's-default');
      await store.tenants.markDeleting('acme', iso(NOW));
      await store.tenants.eraseData('acme');
      expect(await store.credentials.findClientSecret('hash-of-s-acme')).toBeUndefined();
      expect(await store.credentials.findByHash('hash-of-a-acme')).toBeUndefined();
      expect(await acme.clients.list()).toEqual([]);
      expect(await store.tenants.remove('acme')).toBe(true);
      expect((await store.credentials.findClientSecret('hash-of-s-default'))?.client.id).toBe('c-default');
    });
  });
}
