import { deactivateExpired, EXPIRY_PAGE } from '../../src/app/account-expiry';
import { RetentionSweep } from '../../src/app/retention';
import { Tokens } from '../../src/app/tokens';
import { Users } from '../../src/app/users';
import type { Principal } from '../../src/domain/principal';
import { loadSchemaRegistry } from '../../src/scim/schema/registry';
import { DEFAULT_TENANT_ID, type Store, type StoredUser, type TenantStore } from '../../src/store/port';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import { inMemoryMongoStore } from '../store/contract/mingo-collections';
import type { JsonObject } from '../../src/scim/values/json';
import { clock } from '../support/clock';
import { journal } from '../support/journal';

const ACCOUNT_URN = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Account';
const DAY = 86_400_000;
const OPERATOR: Principal = { kind: 'operator', tokenId: 'test', tokenName: 'test' };
const POLICY = { maxRoles: 25, usernameImmutable: false, requiredUserAttributes: ['name.givenName', 'name.familyName', 'emails'] as const, usernameFormat: 'any' as const };
const registry = loadSchemaRegistry();


/**
 * 001: an account past its expiresAt stops working, and the retention sweep deactivates it. On
 * both stores: the sweep's filter and cursor pages are compiled by each adapter (MongoDB's over
 * in-memory collections answered by mingo, as in test/store/contract).
 */
describe.each([
  ['SQLite', () => openSqliteStore(':memory:')],
  ['MongoDB adapter (in-memory collections)', () => inMemoryMongoStore()],
])('account expiry on %s', (_store, openStore: () => Store) => {
  let store: Store;
  let data: TenantStore;
  let time: ReturnType<typeof clock>;
  let users: Users;
  let seq = 0;

  beforeEach(() => {
    store = openStore();
    data = store.tenant(DEFAULT_TENANT_ID, journal);
    time = clock(Date.now());
    users = new Users(data, POLICY, time.now);
  });
  afterEach(() => store.close());

  const inDays = (days: number) => new Date(time.now().getTime() + days * DAY).toISOString();
  const createUser = (account: JsonObject = {}, extra: JsonObject = {}) => {
    const userName = `exp.${++seq}`;
    return users.create({ data: { userName, name: { givenName: 'G', familyName: 'F' }, emails: [{ value: `${userName}@example.com` }], [ACCOUNT_URN]: account, ...extra } }, OPERATOR);
  };
  const ref = (user: StoredUser) => ({ id: user.id, userName: user.data.userName });
  /** A sweep's report of a few users: all of them, named. */
  const swept = (...refs: object[]) => ({ count: refs.length, listed: refs });
  const sweep = () => deactivateExpired(users, time.now());
  const accountOf = async (user: StoredUser) => (await users.get(user.id)).data[ACCOUNT_URN] as Record<string, unknown>;

  describe('deactivateExpired (one tenant)', () => {
    it('deactivates the Active users whose expiresAt has passed, and only those', async () => {
      const expiring = await createUser({ expiresAt: inDays(1) });
      const later = await createUser({ expiresAt: inDays(3) });
      const forever = await createUser();
      const pending = await createUser({ status: 'Pending', expiresAt: inDays(1) });
      time.advance(2 * DAY);

      expect(await sweep()).toEqual({ deactivated: swept(ref(expiring)), failed: swept() });
      expect(await accountOf(expiring)).toMatchObject({ status: 'Inactive', deactivatedAt: time.now().toISOString() });
      expect((await users.get(expiring.id)).data.active).toBe(false);
      for (const user of [later, forever]) expect((await users.get(user.id)).data.active).toBe(true);
      expect((await accountOf(pending)).status).toBe('Pending');
    });

    it('deactivates a user whose expiresAt is the very instant of the sweep', async () => {
      const user = await createUser({ expiresAt: inDays(1) });
      time.advance(DAY);
      expect((await sweep()).deactivated).toEqual(swept(ref(user)));
    });

    it('records each deactivation as a user.deactivated event of Roster itself', async () => {
      const user = await createUser({ expiresAt: inDays(1) });
      time.advance(2 * DAY);
      await sweep();
      const { events } = await data.events.read({ after: 0, limit: 100, scan: 1000 });
      const deactivated = events.filter((e) => e.type === 'user.deactivated');
      expect(deactivated).toHaveLength(1);
      expect(deactivated[0]).toMatchObject({ resource: { id: user.id }, actor: { kind: 'system' } });
    });

    it('revokes the user\'s tokens, as any deactivation does', async () => {
      const user = await createUser({ expiresAt: new Date(Date.now() + DAY).toISOString() });
      const tokens = new Tokens(data.tokens, time.now, (userId, issued) => users.acceptsToken(userId, issued));
      await tokens.createForUser(user.id, 'app');
      time.advance(2 * DAY);
      await sweep();
      expect((await data.tokens.list(user.id)).every((t) => t.revoked !== undefined)).toBe(true);
    });

    it('reads every user a page at a time, by cursor and without a filter (a filtered list would scan the tenant for its count), and deactivates all that expired', async () => {
      const expired: StoredUser[] = [];
      for (let i = 0; i < 2 * EXPIRY_PAGE + 50; i++) expired.push(await createUser({ expiresAt: inDays(1) }));
      await createUser({ expiresAt: inDays(5) });
      time.advance(2 * DAY);
      const list = jest.spyOn(users, 'list');

      const order: string[] = [];
      setImmediate(() => order.push('other work'));
      const result = await sweep().finally(() => order.push('sweep done'));
      // It let other callbacks run while it worked.
      expect(order[0]).toBe('other work');
      expect(result.deactivated.count).toBe(expired.length);
      expect(result.deactivated.listed.map((u) => u.id).every((id) => expired.some((user) => user.id === id))).toBe(true);
      expect(list.mock.calls.length).toBe(3);
      for (const [query] of list.mock.calls) {
        expect(query).toMatchObject({ limit: EXPIRY_PAGE, after: expect.any(Array) });
        expect(query.filter).toBeUndefined();
      }
      // None is left: a second sweep finds nobody.
      expect((await sweep()).deactivated.count).toBe(0);
    });

    it('reports a user the account rules will not deactivate, and goes on with the others', async () => {
      // Stored directly, as an old import might have: an account type the rules do not know.
      const broken = await data.users.create({ data: { userName: 'exp.broken', active: true, [ACCOUNT_URN]: { status: 'Active', accountType: 'Retired', expiresAt: inDays(1) } } });
      const fine = await createUser({ expiresAt: inDays(1) });
      time.advance(2 * DAY);

      const result = await sweep();
      expect(result.deactivated).toEqual(swept(ref(fine)));
      expect(result.failed).toEqual(swept({ ...ref(broken), reason: expect.stringContaining('accountType') }));
    });

    it('does nothing to a tenant with no expired account', async () => {
      await createUser({ expiresAt: inDays(10) });
      expect(await sweep()).toEqual({ deactivated: swept(), failed: swept() });
    });
  });

  describe('tokens stop at expiresAt, before any sweep', () => {
    it('Users.acceptsToken refuses the token of an Active user past expiresAt', async () => {
      const user = await createUser({ expiresAt: new Date(Date.now() - 1000).toISOString() });
      expect((await users.get(user.id)).data.active).toBe(true);
      expect(await users.acceptsToken(user.id, new Date().toISOString())).toBe(false);
    });

    it('and accepts it while expiresAt is still ahead', async () => {
      const user = await createUser({ expiresAt: new Date(Date.now() + DAY).toISOString() });
      expect(await users.acceptsToken(user.id, new Date().toISOString())).toBe(true);
    });
  });

  describe('RetentionSweep.run', () => {
    const defaults = { ...POLICY, retentionDeletedDays: undefined, retentionInactiveDays: undefined };

    it('deactivates expired accounts in every tenant, reporting them per tenant', async () => {
      await store.tenants.create({ id: 'acme', name: 'acme', settings: {} }, journal);
      const acme = new Users(store.tenant('acme', journal), POLICY, time.now);
      const expiredHere = await createUser({ expiresAt: inDays(1) });
      const expiredThere = await acme.create({ data: { userName: 'exp.acme', name: { givenName: 'G', familyName: 'F' }, emails: [{ value: 'a@example.com' }], [ACCOUNT_URN]: { expiresAt: inDays(1) } } }, OPERATOR);
      time.advance(2 * DAY);

      const sweeps = await new RetentionSweep(store, registry.user, defaults, time.now).run();
      const byTenant = Object.fromEntries(sweeps.map((s) => [s.tenantId, s.expired]));
      expect(byTenant).toEqual({ [DEFAULT_TENANT_ID]: [ref(expiredHere)], acme: [ref(expiredThere)] });
      expect((await acme.get(expiredThere.id)).data.active).toBe(false);
    });

    it('leaves `expired` out of a tenant\'s report when nothing expired', async () => {
      await createUser({ expiresAt: inDays(10) });
      const [only] = await new RetentionSweep(store, registry.user, defaults, time.now).run();
      expect(only).not.toHaveProperty('expired');
      expect(only).not.toHaveProperty('expiryFailures');
      expect(only).not.toHaveProperty('expiredCount');
    });
  });
});
