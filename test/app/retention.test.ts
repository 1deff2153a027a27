import { Writable } from 'node:stream';
import winston from 'winston';
import { ERASE_CHUNK, RetentionSweep, scheduleRetention } from '../../src/app/retention';
import { Tokens } from '../../src/app/tokens';
import { Users } from '../../src/app/users';
import * as userRetention from '../../src/app/user-retention';
import { LISTED_USERS, PURGE_CHUNK, purgeUsers, type SweptUsers } from '../../src/app/user-retention';
import type { Principal } from '../../src/domain/principal';
import type { PolicyDefaults } from '../../src/domain/tenancy';
import { hashToken } from '../../src/domain/token-secret';
import { loadSchemaRegistry } from '../../src/scim/schema/registry';
import { DEFAULT_TENANT_ID, type PurgedUser, type Store, type StoredUser, type TenantSettings, type TenantStore } from '../../src/store/port';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import { clock } from '../support/clock';
import { journal } from '../support/journal';

const ACCOUNT_URN = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Account';
const DAY = 86_400_000;
const OPERATOR: Principal = { kind: 'operator', tokenId: 'test', tokenName: 'test' };
const POLICY = { maxRoles: 25, usernameImmutable: false, requiredUserAttributes: ['name.givenName', 'name.familyName', 'emails'] as const, usernameFormat: 'any' as const };
const registry = loadSchemaRegistry();


/** A winston logger whose entries land in an array. */
function arrayLogger() {
  const entries: Record<string, any>[] = [];
  const stream = new Writable({ objectMode: true, write(info, _encoding, done) { entries.push(info); done(); } });
  const logger = winston.createLogger({ level: 'info', transports: [new winston.transports.Stream({ stream })] });
  return { logger, entries };
}

/** Lets pending promise callbacks and stream writes run, without moving any clock. */
const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** The server's defaults (the environment variables) with the given retention. */
const defaultsWith = (retentionDeletedDays: number | undefined, retentionInactiveDays: number | undefined): PolicyDefaults =>
  ({ ...POLICY, retentionDeletedDays, retentionInactiveDays });

/** Issue 3, 001, 003: the retention sweeps, with time under the test's control. */
describe('retention', () => {
  let store: Store;
  /** The built-in tenant's data. */
  let data: TenantStore;
  let time: ReturnType<typeof clock>;
  let users: Users;
  let seq = 0;

  beforeEach(() => {
    store = openSqliteStore(':memory:');
    data = store.tenant(DEFAULT_TENANT_ID, journal);
    time = clock(Date.now());
    users = new Users(data, POLICY, time.now);
  });
  afterEach(() => store.close());

  const usersOf = (tenantId: string) => (tenantId === DEFAULT_TENANT_ID ? users : new Users(store.tenant(tenantId, journal), POLICY, time.now));
  const createUser = (userName = `ret.${++seq}`, extra: object = {}, tenantId = DEFAULT_TENANT_ID) => usersOf(tenantId).create({
    data: { userName, name: { givenName: 'G', familyName: 'F' }, emails: [{ value: `${userName}@example.com` }], ...extra },
  }, OPERATOR);
  const deactivate = (user: StoredUser, tenantId = DEFAULT_TENANT_ID) =>
    usersOf(tenantId).modify(user.id, undefined, 'patch', (c) => ({ data: { ...c.data, active: false } }), OPERATOR);
  const remove = (user: StoredUser, tenantId = DEFAULT_TENANT_ID) => usersOf(tenantId).delete(user.id, undefined, OPERATOR);
  /** Whether the row is still there at all (deleted or not): restore answers for deleted rows. */
  const isErased = async (user: StoredUser, tenantId = DEFAULT_TENANT_ID) =>
    !(await store.tenant(tenantId, journal).users.get(user.id)) && !(await store.tenant(tenantId, journal).users.restore({ id: user.id }));
  const names = (swept: SweptUsers) => swept.listed.map((u) => u.userName).sort();
  const ids = (swept: SweptUsers) => swept.listed.map((u) => u.id);
  /** A sweep's report of a few users: all of them, named. */
  const swept = (...refs: PurgedUser[]): SweptUsers => ({ count: refs.length, listed: refs });
  const NONE = swept();
  const purge = (retention: { deletedDays?: number; inactiveDays?: number }) => purgeUsers(store.tenant(DEFAULT_TENANT_ID, journal), registry.user, retention, time.now());
  const createTenant = (id: string, settings: TenantSettings) => store.tenants.create({ id, name: id, settings }, journal);

  describe('purgeUsers (one tenant)', () => {
    it('erases users soft-deleted more than deletedDays ago and reports them', async () => {
      const user = await createUser('to.erase');
      await remove(user);
      time.advance(31 * DAY);
      const result = await purge({ deletedDays: 30 });
      expect(result).toEqual({ erased: swept({ id: user.id, userName: 'to.erase' }), deleted: NONE });
      expect(await isErased(user)).toBe(true);
    });

    it('keeps users soft-deleted less than deletedDays ago, restorable', async () => {
      const user = await createUser();
      await remove(user);
      time.advance(29 * DAY);
      expect((await purge({ deletedDays: 30 })).erased).toEqual(NONE);
      expect((await users.restore({ id: user.id }, OPERATOR)).id).toBe(user.id);
    });

    it.each([[0], [-3], [0.5], [Number.NaN]])('never erases a user deleted less than a day ago, even with deletedDays %s', async (days) => {
      const recent = await createUser();
      await remove(recent);
      expect((await purge({ deletedDays: days })).erased).toEqual(NONE);
      time.advance(DAY + 60_000);
      expect(ids((await purge({ deletedDays: days })).erased)).toEqual([recent.id]);
    });

    it('never erases live users, however old', async () => {
      const user = await createUser();
      time.advance(10_000 * DAY);
      expect(await purge({ deletedDays: 1, inactiveDays: undefined })).toEqual({ erased: NONE, deleted: NONE });
      expect(await users.get(user.id)).toBeDefined();
    });

    it('erases for good: the userName is free again, memberships and tokens are gone', async () => {
      // Created last, the erased user has the highest row number: SQLite gives it to the next user.
      const other = await createUser();
      const user = await createUser('Reused.Name');
      const group = await data.groups.create({ displayName: 'G' }, [user.id, other.id]);
      const tokens = new Tokens(data.tokens, time.now, (id, issued) => users.acceptsToken(id, issued));
      const { secret, token } = await tokens.createForUser(user.id, 't');
      const service = await tokens.create('service');
      await remove(user);
      await expect(createUser('reused.name')).rejects.toMatchObject({ status: 409 });

      time.advance(31 * DAY);
      await purge({ deletedDays: 30 });
      const reborn = await createUser('reused.name');
      expect(reborn.id).not.toBe(user.id);
      expect(await data.tokens.get(token.id)).toBeUndefined();
      expect(await store.credentials.findByHash(hashToken(secret))).toBeUndefined();
      expect(await data.tokens.get(service.token.id)).toBeDefined();
      // The new user with the same name (and row number) inherits nothing of the erased one's memberships.
      expect((await data.groups.membersOf([group.id])).get(group.id)!.map((m) => m.id)).toEqual([other.id]);
      expect((await users.groupsOf([reborn.id])).get(reborn.id)).toEqual([]);
    });

    it('soft-deletes users Inactive for more than inactiveDays, keeping them restorable', async () => {
      const old = await createUser('inactive.old');
      await deactivate(old);
      time.advance(10 * DAY);
      const recent = await createUser('inactive.recent');
      await deactivate(recent);
      const active = await createUser('active.forever');
      time.advance(85 * DAY);

      const result = await purge({ inactiveDays: 90 });
      expect(result.deleted).toEqual(swept({ id: old.id, userName: 'inactive.old' }));
      expect(result.erased).toEqual(NONE);
      expect(await data.users.get(old.id)).toBeUndefined();
      expect(await data.users.get(recent.id)).toBeDefined();
      expect(await data.users.get(active.id)).toBeDefined();
      expect((await users.restore({ userName: 'INACTIVE.OLD' }, OPERATOR)).id).toBe(old.id);
    });

    it('counts inactivity from deactivatedAt, not from creation: a user reactivated and deactivated again starts over', async () => {
      const user = await createUser();
      await deactivate(user);
      time.advance(100 * DAY);
      await users.modify(user.id, undefined, 'patch', (c) => ({ data: { ...c.data, active: true } }), OPERATOR);
      await deactivate(user);
      time.advance(10 * DAY);
      expect((await purge({ inactiveDays: 90 })).deleted).toEqual(NONE);
      expect(await data.users.get(user.id)).toBeDefined();
    });

    describe('a restore restarts the inactivity clock', () => {
      const deactivatedAtOf = (user: StoredUser) => (user.data[ACCOUNT_URN] as Record<string, unknown>).deactivatedAt;
      const eventTypes = async () => (await data.events.read({ after: 0, limit: 100, scan: 1000 })).events.map((e) => e.type);

      it('an Inactive user the sweep deleted and an administrator restored stays until inactiveDays after the restore', async () => {
        const user = await createUser('idle.restored');
        await deactivate(user);
        time.advance(100 * DAY);
        expect(ids((await purge({ inactiveDays: 90 })).deleted)).toEqual([user.id]);

        time.advance(3 * DAY);
        const restored = await users.restore({ id: user.id }, OPERATOR);
        expect(restored.data.active).toBe(false);
        expect(restored.data[ACCOUNT_URN]).toMatchObject({ status: 'Inactive', deactivatedAt: time.now().toISOString() });
        expect(await data.users.get(user.id)).toEqual(restored);

        // The next sweep, and every sweep for 90 days, leaves it alone.
        expect((await purge({ inactiveDays: 90 })).deleted).toEqual(NONE);
        time.advance(89 * DAY);
        expect((await purge({ inactiveDays: 90 })).deleted).toEqual(NONE);
        time.advance(2 * DAY);
        expect(ids((await purge({ inactiveDays: 90 })).deleted)).toEqual([user.id]);
      });

      it('is recorded: user.restored, then user.updated with the new deactivatedAt', async () => {
        const user = await createUser('idle.recorded');
        await deactivate(user);
        await remove(user);
        time.advance(DAY);
        await users.restore({ userName: 'idle.recorded' }, OPERATOR);
        expect(await eventTypes()).toEqual(['user.created', 'user.deactivated', 'user.deleted', 'user.restored', 'user.updated']);
        const [updated] = (await data.events.read({ after: 0, limit: 100, scan: 1000 })).events.slice(-1);
        expect(updated.changes).toEqual([expect.objectContaining({ path: `${ACCOUNT_URN}:deactivatedAt` })]);
      });

      it('leaves a restored user that is not Inactive exactly as it was deleted: no clock runs, one write', async () => {
        const active = await createUser('active.restored');
        const created = await createUser('created.restored', { active: false });
        for (const user of [active, created]) await remove(user);
        time.advance(DAY);
        for (const user of [active, created]) {
          const restored = await users.restore({ id: user.id }, OPERATOR);
          expect(restored.data).toEqual(user.data);
          expect(restored.version).toBe(user.version + 2);
        }
        expect((await eventTypes()).filter((type) => type === 'user.updated')).toEqual([]);
        expect(deactivatedAtOf(await users.get(created.id))).toBeUndefined();
      });

      it('restarts only the clock it finds: a user reactivated between the restore and its stamp is left Active', async () => {
        const user = await createUser('raced');
        await deactivate(user);
        await remove(user);
        // Another writer reactivates it right after the store's restore, before the clock is restarted.
        const storeRestore = data.users.restore.bind(data.users);
        const spy = jest.spyOn(data.users, 'restore').mockImplementation(async (key) => {
          const restored = await storeRestore(key);
          await users.modify(user.id, undefined, 'patch', (c) => ({ data: { ...c.data, active: true } }), OPERATOR);
          return restored;
        });
        try {
          const result = await users.restore({ id: user.id }, OPERATOR);
          expect(result.data.active).toBe(true);
          expect(result.data[ACCOUNT_URN]).toMatchObject({ status: 'Active' });
        } finally {
          spy.mockRestore();
        }
      });
    });

    it('soft-deletes nobody for inactivity when inactiveDays is not given (off)', async () => {
      const user = await createUser();
      await deactivate(user);
      time.advance(10_000 * DAY);
      expect(await purge({ deletedDays: 30 })).toEqual({ erased: NONE, deleted: NONE });
      expect(await data.users.get(user.id)).toBeDefined();
    });

    it('erases nobody when deletedDays is not given (off)', async () => {
      const user = await createUser();
      await remove(user);
      time.advance(10_000 * DAY);
      expect(await purge({ inactiveDays: 90 })).toEqual({ erased: NONE, deleted: NONE });
      expect((await users.restore({ id: user.id }, OPERATOR)).id).toBe(user.id);
    });

    it('does not erase in the same sweep a user it has just soft-deleted for inactivity', async () => {
      const user = await createUser();
      await deactivate(user);
      time.advance(200 * DAY);
      const result = await purge({ deletedDays: 30, inactiveDays: 90 });
      expect(names(result.deleted)).toEqual([String(user.data.userName)]);
      expect(result.erased).toEqual(NONE);
      expect((await users.restore({ id: user.id }, OPERATOR)).id).toBe(user.id);
    });

    it('removes a user soft-deleted for inactivity from its groups\' members and moves the group version', async () => {
      const user = await createUser();
      const group = await data.groups.create({ displayName: 'Idle' }, [user.id]);
      await deactivate(user);
      time.advance(91 * DAY);
      await purge({ inactiveDays: 90 });
      expect((await data.groups.membersOf([group.id])).get(group.id)).toEqual([]);
      expect((await data.groups.get(group.id))!.version).toBeGreaterThan(group.version);
    });

    it('leaves an Inactive user without deactivatedAt (stored before the rules) alone', async () => {
      const user = await data.users.create({
        data: { userName: 'legacy', active: false, name: { givenName: 'G', familyName: 'F' }, emails: [{ value: 'l@example.com' }], [ACCOUNT_URN]: { status: 'Inactive' } },
      });
      time.advance(10_000 * DAY);
      expect((await purge({ inactiveDays: 1 })).deleted).toEqual(NONE);
      expect(await data.users.get(user.id)).toBeDefined();
    });

    it('touches only its own tenant: the same userNames elsewhere, deleted and idle as long, stay', async () => {
      await createTenant('acme', {});
      const mine = { deleted: await createUser('same.deleted'), idle: await createUser('same.idle') };
      const theirs = { deleted: await createUser('same.deleted', {}, 'acme'), idle: await createUser('same.idle', {}, 'acme') };
      await remove(mine.deleted);
      await deactivate(mine.idle);
      await remove(theirs.deleted, 'acme');
      await deactivate(theirs.idle, 'acme');
      time.advance(100 * DAY);
      const result = await purge({ deletedDays: 30, inactiveDays: 90 });
      expect(result).toEqual({ erased: swept({ id: mine.deleted.id, userName: 'same.deleted' }), deleted: swept({ id: mine.idle.id, userName: 'same.idle' }) });
      expect(await store.tenant('acme', journal).users.get(theirs.idle.id)).toBeDefined();
      expect(await isErased(theirs.deleted, 'acme')).toBe(false);
    });
  });

  describe('in chunks (issue 13): no sweep holds the event loop for long, nor every user it removes', () => {
    /** `count` users soft-deleted at the test's clock, created straight in the store (the rules are not under test). */
    const deletedUsers = async (count: number) => {
      const gone: StoredUser[] = [];
      for (let i = 0; i < count; i++) {
        const user = await data.users.create({ data: { userName: `chunk.${i}` } });
        await data.users.delete(user.id, undefined);
        gone.push(user);
      }
      return gone;
    };

    it('erases more users than a chunk, all of them, reporting how many and naming only the first LISTED_USERS', async () => {
      const gone = await deletedUsers(PURGE_CHUNK + 30);
      time.advance(31 * DAY);
      const purgeDeleted = jest.spyOn(data.users, 'purgeDeleted');
      try {
        const { erased } = await purgeUsers(data, registry.user, { deletedDays: 30 }, time.now());
        expect(erased.count).toBe(gone.length);
        expect(erased.listed).toHaveLength(LISTED_USERS);
        // Oldest first: the ones named are the first deleted.
        expect(erased.listed.map((u) => u.userName)).toEqual(gone.slice(0, LISTED_USERS).map((u) => String(u.data.userName)));
        expect(purgeDeleted.mock.calls.map(([, limit]) => limit)).toEqual([PURGE_CHUNK, PURGE_CHUNK]);
      } finally {
        purgeDeleted.mockRestore();
      }
      for (const user of gone) expect(await isErased(user)).toBe(true);
    });

    it('lets other callbacks run between its chunks', async () => {
      await deletedUsers(PURGE_CHUNK + 1);
      time.advance(31 * DAY);
      const order: string[] = [];
      setImmediate(() => order.push('other work'));
      await purge({ deletedDays: 30 }).then(() => order.push('sweep done'));
      expect(order).toEqual(['other work', 'sweep done']);
    });

    it('erases events and expired access tokens in chunks too, each call at most ERASE_CHUNK', async () => {
      // Each tenant's store as the sweep gets it, with the two erasing calls' limits noted.
      const calls: (number | undefined)[] = [];
      const tenantOf = store.tenant.bind(store);
      const spy = jest.spyOn(store, 'tenant').mockImplementation((id, j) => {
        const t = tenantOf(id, j);
        const erase = t.events.eraseBefore.bind(t.events);
        const purgeTokens = t.clients.purgeAccessTokens.bind(t.clients);
        return { ...t, events: { ...t.events, eraseBefore: (before: string, limit?: number) => { calls.push(limit); return erase(before, limit); } },
          clients: { ...t.clients, purgeAccessTokens: (before: string, limit?: number) => { calls.push(limit); return purgeTokens(before, limit); } } };
      });
      try {
        await new RetentionSweep(store, registry.user, defaultsWith(undefined, undefined), time.now, 30).run();
        expect(calls).toEqual([ERASE_CHUNK, ERASE_CHUNK]);
      } finally {
        spy.mockRestore();
      }
    });
  });

  describe('RetentionSweep (every tenant, each under its own settings)', () => {
    const sweepWith = (defaults: PolicyDefaults) => new RetentionSweep(store, registry.user, defaults, time.now);
    const ref = (user: StoredUser) => ({ id: user.id, userName: String(user.data.userName) });

    it('purges each tenant by its own settings, the server\'s defaults filling what it leaves unset, and "off" turning a sweep off', async () => {
      // Defaults: erase after 30 days, soft-delete after 60. acme erases after 50 and never soft-deletes; globex never erases and soft-deletes after 35.
      await createTenant('acme', { retentionDeletedDays: 50, retentionInactiveDays: 'off' });
      await createTenant('globex', { retentionDeletedDays: 'off', retentionInactiveDays: 35 });
      const tenants = [DEFAULT_TENANT_ID, 'acme', 'globex'];
      const seeded: Record<string, { deleted: StoredUser; idle: StoredUser }> = {};
      for (const tenantId of tenants) {
        const deleted = await createUser('same.deleted', {}, tenantId);
        const idle = await createUser('same.idle', {}, tenantId);
        await remove(deleted, tenantId);
        await deactivate(idle, tenantId);
        seeded[tenantId] = { deleted, idle };
      }
      const sweep = sweepWith(defaultsWith(30, 60));

      time.advance(40 * DAY);
      expect(await sweep.run()).toEqual([
        { tenantId: 'acme', deletedDays: 50, inactiveDays: undefined, erased: [], erasedCount: 0, deleted: [], deletedCount: 0, eventsErased: 0 },
        { tenantId: DEFAULT_TENANT_ID, deletedDays: 30, inactiveDays: 60, erased: [ref(seeded.default.deleted)], erasedCount: 1, deleted: [], deletedCount: 0, eventsErased: 0 },
        { tenantId: 'globex', deletedDays: undefined, inactiveDays: 35, erased: [], erasedCount: 0, deleted: [ref(seeded.globex.idle)], deletedCount: 1, eventsErased: 0 },
      ]);

      time.advance(21 * DAY);
      const second = await sweep.run();
      expect(second.map((s) => [s.tenantId, s.erased, s.deleted])).toEqual([
        ['acme', [ref(seeded.acme.deleted)], []],
        [DEFAULT_TENANT_ID, [], [ref(seeded.default.idle)]],
        ['globex', [], []],
      ]);
      expect(await store.tenant('acme', journal).users.get(seeded.acme.idle.id)).toBeDefined();
      expect(await isErased(seeded.globex.deleted, 'globex')).toBe(false);
      expect(await isErased(seeded.acme.deleted, 'acme')).toBe(true);
    });

    it('passes each tenant\'s effective retention to its purge', async () => {
      await createTenant('acme', { retentionDeletedDays: 7 });
      const purgeSpy = jest.spyOn(userRetention, 'purgeUsers');
      try {
        await sweepWith(defaultsWith(30, 180)).run();
        expect(purgeSpy.mock.calls.map(([, type, retention]) => [type, retention])).toEqual([
          [registry.user, { deletedDays: 7, inactiveDays: 180 }],
          [registry.user, { deletedDays: 30, inactiveDays: 180 }],
        ]);
      } finally {
        purgeSpy.mockRestore();
      }
    });

    it('skips a tenant being deleted: its data is the forced delete\'s to erase', async () => {
      await createTenant('leaving', { retentionDeletedDays: 1 });
      const user = await createUser('leaving.user', {}, 'leaving');
      await remove(user, 'leaving');
      time.advance(100 * DAY);
      await store.tenants.markDeleting('leaving', time.now().toISOString());
      const sweeps = await sweepWith(defaultsWith(30, undefined)).run();
      expect(sweeps.map((s) => s.tenantId)).toEqual([DEFAULT_TENANT_ID]);
      expect(await store.tenants.contents('leaving')).toEqual({ users: 1, groups: 0 });
    });

    it('erases the OAuth access tokens that expired, and only those, saying how many', async () => {
      const acme = await createTenant('acme', {}).then(() => store.tenant('acme', journal));
      const at = (ms: number) => new Date(time.now().getTime() + ms).toISOString();
      await acme.clients.create({ id: 'client-1', name: 'entra', created: at(0) });
      await acme.clients.addSecret({ id: 'secret-1', clientId: 'client-1', hash: 'h'.repeat(64), created: at(0), expires: at(365 * DAY) });
      const accessToken = (id: string, expires: string) =>
        acme.tokens.create({ id, name: 'entra', hash: id.padEnd(64, '0'), created: at(0), expires, clientId: 'client-1', secretId: 'secret-1' });
      await accessToken('expiring', at(3_600_000));
      await accessToken('fresher', at(3 * DAY));
      time.advance(DAY);

      const sweeps = await sweepWith(defaultsWith(30, undefined)).run();
      expect(sweeps.find((s) => s.tenantId === 'acme')).toMatchObject({ accessTokensErased: 1 });
      expect(sweeps.find((s) => s.tenantId === DEFAULT_TENANT_ID)).not.toHaveProperty('accessTokensErased');
      expect(await acme.tokens.get('expiring')).toBeUndefined();
      expect(await acme.tokens.get('fresher')).toMatchObject({ clientId: 'client-1' });
    });

    it('sweeps every tenant, however many there are (they are read a page at a time)', async () => {
      const tenantIds = Array.from({ length: 230 }, (_, i) => `t${String(i).padStart(3, '0')}`);
      for (const id of tenantIds) await createTenant(id, {});
      const last = await createUser('last.one', {}, tenantIds[tenantIds.length - 1]);
      await remove(last, tenantIds[tenantIds.length - 1]);
      time.advance(31 * DAY);
      const sweeps = await sweepWith(defaultsWith(30, undefined)).run();
      expect(sweeps.map((s) => s.tenantId).sort()).toEqual([DEFAULT_TENANT_ID, ...tenantIds].sort());
      expect(sweeps.find((s) => s.tenantId === tenantIds[tenantIds.length - 1])!.erased).toEqual([ref(last)]);
    });
  });

  describe('scheduleRetention', () => {
    beforeEach(() => { jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }); });
    afterEach(() => { jest.useRealTimers(); });

    const purgeEntries = (entries: Record<string, any>[]) => entries.filter((e) => e.message === 'retention purge');
    const sweepWith = (deletedDays: number | undefined, inactiveDays?: number) =>
      new RetentionSweep(store, registry.user, defaultsWith(deletedDays, inactiveDays), time.now);

    it('runs the purge a minute after start and logs who it erased and soft-deleted, with the tenant', async () => {
      const erased = await createUser('sched.erased');
      await remove(erased);
      const idle = await createUser('sched.idle');
      await deactivate(idle);
      time.advance(100 * DAY);
      const { logger, entries } = arrayLogger();

      const stop = scheduleRetention(sweepWith(30, 90), logger);
      await settle();
      expect(entries).toEqual([]);
      expect(await data.users.get(idle.id)).toBeDefined();

      await jest.advanceTimersByTimeAsync(60_000);
      await settle();
      stop();
      expect(purgeEntries(entries)).toEqual([expect.objectContaining({
        level: 'info',
        tenant: DEFAULT_TENANT_ID,
        softDeletedInactive: [{ id: idle.id, userName: 'sched.idle' }],
        erasedDeleted: [{ id: erased.id, userName: 'sched.erased' }],
      })]);
      expect(await isErased(erased)).toBe(true);
      expect(await data.users.get(idle.id)).toBeUndefined();
    });

    it('logs one line per tenant, each naming its tenant and only what was removed there', async () => {
      await createTenant('acme', {});
      const here = await createUser('same.name');
      const there = await createUser('same.name', {}, 'acme');
      await remove(here);
      await remove(there, 'acme');
      time.advance(31 * DAY);
      const { logger, entries } = arrayLogger();
      const stop = scheduleRetention(sweepWith(30), logger);
      await jest.advanceTimersByTimeAsync(60_000);
      await settle();
      stop();
      const byTenant = Object.fromEntries(purgeEntries(entries).map((e) => [e.tenant, e.erasedDeleted]));
      expect(byTenant).toEqual({
        acme: [{ id: there.id, userName: 'same.name' }],
        [DEFAULT_TENANT_ID]: [{ id: here.id, userName: 'same.name' }],
      });
    });

    it('runs again every 24 hours, each run logging only what it removed then', async () => {
      const { logger, entries } = arrayLogger();
      const stop = scheduleRetention(sweepWith(30), logger);
      await jest.advanceTimersByTimeAsync(60_000);
      await settle();
      expect(purgeEntries(entries)).toEqual([expect.objectContaining({ tenant: DEFAULT_TENANT_ID, softDeletedInactive: [], erasedDeleted: [] })]);

      const user = await createUser('sched.later');
      await remove(user);
      time.advance(31 * DAY);
      await jest.advanceTimersByTimeAsync(DAY - 60_000);
      await settle();
      stop();
      const runs = purgeEntries(entries);
      expect(runs).toHaveLength(2);
      expect(runs[1].erasedDeleted).toEqual([{ id: user.id, userName: 'sched.later' }]);
    });

    it('stops when the returned function is called: no further runs', async () => {
      const { logger, entries } = arrayLogger();
      const run = jest.spyOn(RetentionSweep.prototype, 'run');
      try {
        const stop = scheduleRetention(sweepWith(30), logger);
        stop();
        await jest.advanceTimersByTimeAsync(3 * DAY);
        await settle();
        expect(run).not.toHaveBeenCalled();
        expect(entries).toEqual([]);
      } finally {
        run.mockRestore();
      }
    });

    it('logs a failed purge as an error and keeps the schedule', async () => {
      const { logger, entries } = arrayLogger();
      const removed = { tenantId: DEFAULT_TENANT_ID, deletedDays: 30, inactiveDays: undefined, erased: [{ id: 'u1', userName: 'later' }], erasedCount: 1, deleted: [], deletedCount: 0 };
      const run = jest.fn().mockRejectedValueOnce(new Error('disk on fire')).mockResolvedValue([removed]);
      const stop = scheduleRetention({ run } as unknown as RetentionSweep, logger);
      await jest.advanceTimersByTimeAsync(60_000);
      await settle();
      expect(entries).toEqual([expect.objectContaining({ level: 'error', message: 'retention purge failed', error: expect.objectContaining({ message: 'disk on fire' }) })]);

      await jest.advanceTimersByTimeAsync(DAY);
      await settle();
      stop();
      expect(run).toHaveBeenCalledTimes(2);
      expect(purgeEntries(entries)).toEqual([expect.objectContaining({ tenant: DEFAULT_TENANT_ID, erasedDeleted: [{ id: 'u1', userName: 'later' }] })]);
    });

    it('names at most LISTED_USERS users of a kind in its line, with how many there were in all', async () => {
      const many = Array.from({ length: LISTED_USERS + 5 }, (_, i) => ({ id: `u${i}`, userName: `user${i}` }));
      const report = { tenantId: DEFAULT_TENANT_ID, deletedDays: 30, inactiveDays: undefined, eventsErased: 0,
        erased: many.slice(0, LISTED_USERS), erasedCount: 250_000, deleted: [many[0]], deletedCount: 1 };
      const { logger, entries } = arrayLogger();
      const stop = scheduleRetention({ run: jest.fn().mockResolvedValue([report]) } as unknown as RetentionSweep, logger);
      await jest.advanceTimersByTimeAsync(60_000);
      await settle();
      stop();
      const [line] = purgeEntries(entries);
      expect(line.erasedDeleted).toHaveLength(LISTED_USERS);
      expect(line.erasedDeletedCount).toBe(250_000);
      expect(line.softDeletedInactive).toEqual([many[0]]);
      expect(line).not.toHaveProperty('softDeletedInactiveCount');
    });

    it('skips a run when the previous one is still going, saying so, and runs again once it has finished', async () => {
      const { logger, entries } = arrayLogger();
      let finish = () => {};
      const run = jest.fn()
        .mockImplementationOnce(() => new Promise((resolve) => { finish = () => resolve([]); }))
        .mockResolvedValue([]);
      const stop = scheduleRetention({ run } as unknown as RetentionSweep, logger);
      await jest.advanceTimersByTimeAsync(60_000);
      await jest.advanceTimersByTimeAsync(DAY);
      await settle();
      expect(run).toHaveBeenCalledTimes(1);
      expect(entries).toEqual([expect.objectContaining({ level: 'warn', message: 'retention purge skipped: the previous run is still going' })]);

      finish();
      await settle();
      await jest.advanceTimersByTimeAsync(DAY);
      await settle();
      stop();
      expect(run).toHaveBeenCalledTimes(2);
    });

    it('does not keep the process alive (its timers are unref\'d)', () => {
      jest.useRealTimers();
      const spy = jest.spyOn(global, 'setTimeout');
      const intervalSpy = jest.spyOn(global, 'setInterval');
      const stop = scheduleRetention(sweepWith(undefined), arrayLogger().logger);
      const timeout = spy.mock.results[0].value as NodeJS.Timeout;
      const interval = intervalSpy.mock.results[0].value as NodeJS.Timeout;
      expect(timeout.hasRef()).toBe(false);
      expect(interval.hasRef()).toBe(false);
      stop();
      spy.mockRestore();
      intervalSpy.mockRestore();
    });
  });
});
