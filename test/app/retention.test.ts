import { Writable } from 'node:stream';
import winston from 'winston';
import { scheduleRetention } from '../../src/domain/retention-schedule';
import { Tokens, hashToken } from '../../src/domain/tokens';
import { Users } from '../../src/domain/users';
import type { Principal } from '../../src/domain/tokens';
import type { Store, StoredUser } from '../../src/store/port';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';

const ACCOUNT_URN = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Account';
const DAY = 86_400_000;
const SERVICE: Principal = { kind: 'service', tokenId: 'test', tokenName: 'test' };
const POLICY = { maxRoles: 25, usernameImmutable: false };

/** A clock the test moves by hand. */
function clock(start = Date.now()) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => { now += ms; } };
}

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

/** Issue 3, 001, 003: the retention sweeps, with time under the test's control. */
describe('retention', () => {
  let store: Store;
  let time: ReturnType<typeof clock>;
  let users: Users;
  let seq = 0;

  beforeEach(() => {
    store = openSqliteStore(':memory:');
    time = clock();
    users = new Users(store, POLICY, time.now);
  });
  afterEach(() => store.close());

  const createUser = (userName = `ret.${++seq}`, extra: object = {}) => users.create({
    data: { userName, name: { givenName: 'G', familyName: 'F' }, emails: [{ value: `${userName}@example.com` }], ...extra },
  }, SERVICE);
  const deactivate = (user: StoredUser) => users.modify(user.id, undefined, 'patch', (c) => ({ data: { ...c.data, active: false } }), SERVICE);
  const remove = (user: StoredUser) => users.delete(user.id, undefined, SERVICE);
  /** Whether the row is still there at all (deleted or not): restore answers for deleted rows. */
  const isErased = async (user: StoredUser) => !(await store.users.get(user.id)) && !(await store.users.restore({ id: user.id }));
  const names = (list: readonly { userName: string }[]) => list.map((u) => u.userName).sort();

  describe('Users.purge', () => {
    it('erases users soft-deleted more than deletedDays ago and reports them', async () => {
      const user = await createUser('to.erase');
      await remove(user);
      time.advance(31 * DAY);
      const result = await users.purge({ deletedDays: 30 });
      expect(result).toEqual({ erased: [{ id: user.id, userName: 'to.erase' }], deleted: [] });
      expect(await isErased(user)).toBe(true);
    });

    it('keeps users soft-deleted less than deletedDays ago, restorable', async () => {
      const user = await createUser();
      await remove(user);
      time.advance(29 * DAY);
      expect((await users.purge({ deletedDays: 30 })).erased).toEqual([]);
      expect((await users.restore({ id: user.id }, SERVICE)).id).toBe(user.id);
    });

    it.each([[0], [-3], [0.5], [Number.NaN]])('never erases a user deleted less than a day ago, even with deletedDays %s', async (days) => {
      const recent = await createUser();
      await remove(recent);
      expect((await users.purge({ deletedDays: days })).erased).toEqual([]);
      time.advance(DAY + 60_000);
      expect((await users.purge({ deletedDays: days })).erased.map((u) => u.id)).toEqual([recent.id]);
    });

    it('never erases live users, however old', async () => {
      const user = await createUser();
      time.advance(10_000 * DAY);
      expect(await users.purge({ deletedDays: 1, inactiveDays: undefined })).toEqual({ erased: [], deleted: [] });
      expect(await users.get(user.id)).toBeDefined();
    });

    it('erases for good: the userName is free again, memberships and tokens are gone', async () => {
      // Created last, the erased user has the highest row number: SQLite gives it to the next user.
      const other = await createUser();
      const user = await createUser('Reused.Name');
      const group = await store.groups.create({ displayName: 'G' }, [user.id, other.id]);
      const tokens = new Tokens(store.tokens, time.now, (id) => users.isActive(id));
      const { secret, token } = await tokens.create('t', undefined, user.id);
      const service = await tokens.create('service');
      await remove(user);
      await expect(createUser('reused.name')).rejects.toMatchObject({ status: 409 });

      time.advance(31 * DAY);
      await users.purge({ deletedDays: 30 });
      const reborn = await createUser('reused.name');
      expect(reborn.id).not.toBe(user.id);
      expect(await store.tokens.get(token.id)).toBeUndefined();
      expect(await store.tokens.findByHash(hashToken(secret))).toBeUndefined();
      expect(await store.tokens.get(service.token.id)).toBeDefined();
      // The new user with the same name (and row number) inherits nothing of the erased one's memberships.
      expect((await store.groups.membersOf([group.id])).get(group.id)!.map((m) => m.id)).toEqual([other.id]);
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

      const result = await users.purge({ inactiveDays: 90 });
      expect(result.deleted).toEqual([{ id: old.id, userName: 'inactive.old' }]);
      expect(result.erased).toEqual([]);
      expect(await store.users.get(old.id)).toBeUndefined();
      expect(await store.users.get(recent.id)).toBeDefined();
      expect(await store.users.get(active.id)).toBeDefined();
      expect((await users.restore({ userName: 'INACTIVE.OLD' }, SERVICE)).id).toBe(old.id);
    });

    it('counts inactivity from deactivatedAt, not from creation: a user reactivated and deactivated again starts over', async () => {
      const user = await createUser();
      await deactivate(user);
      time.advance(100 * DAY);
      await users.modify(user.id, undefined, 'patch', (c) => ({ data: { ...c.data, active: true } }), SERVICE);
      await deactivate(user);
      time.advance(10 * DAY);
      expect((await users.purge({ inactiveDays: 90 })).deleted).toEqual([]);
      expect(await store.users.get(user.id)).toBeDefined();
    });

    it('soft-deletes nobody for inactivity when inactiveDays is not given (off)', async () => {
      const user = await createUser();
      await deactivate(user);
      time.advance(10_000 * DAY);
      expect(await users.purge({ deletedDays: 30 })).toEqual({ erased: [], deleted: [] });
      expect(await store.users.get(user.id)).toBeDefined();
    });

    it('erases nobody when deletedDays is not given (off)', async () => {
      const user = await createUser();
      await remove(user);
      time.advance(10_000 * DAY);
      expect(await users.purge({ inactiveDays: 90 })).toEqual({ erased: [], deleted: [] });
      expect((await users.restore({ id: user.id }, SERVICE)).id).toBe(user.id);
    });

    it('does not erase in the same sweep a user it has just soft-deleted for inactivity', async () => {
      const user = await createUser();
      await deactivate(user);
      time.advance(200 * DAY);
      const result = await users.purge({ deletedDays: 30, inactiveDays: 90 });
      expect(names(result.deleted)).toEqual([String(user.data.userName)]);
      expect(result.erased).toEqual([]);
      expect((await users.restore({ id: user.id }, SERVICE)).id).toBe(user.id);
    });

    it('removes a user soft-deleted for inactivity from its groups\' members and moves the group version', async () => {
      const user = await createUser();
      const group = await store.groups.create({ displayName: 'Idle' }, [user.id]);
      await deactivate(user);
      time.advance(91 * DAY);
      await users.purge({ inactiveDays: 90 });
      expect((await store.groups.membersOf([group.id])).get(group.id)).toEqual([]);
      expect((await store.groups.get(group.id))!.version).toBeGreaterThan(group.version);
    });

    it('leaves an Inactive user without deactivatedAt (stored before the rules) alone', async () => {
      const user = await store.users.create({
        data: { userName: 'legacy', active: false, name: { givenName: 'G', familyName: 'F' }, emails: [{ value: 'l@example.com' }], [ACCOUNT_URN]: { status: 'Inactive' } },
      });
      time.advance(10_000 * DAY);
      expect((await users.purge({ inactiveDays: 1 })).deleted).toEqual([]);
      expect(await store.users.get(user.id)).toBeDefined();
    });
  });

  describe('scheduleRetention', () => {
    beforeEach(() => { jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }); });
    afterEach(() => { jest.useRealTimers(); });

    const purgeEntries = (entries: Record<string, any>[]) => entries.filter((e) => e.message === 'retention purge');

    it('runs the purge a minute after start and logs who it erased and soft-deleted', async () => {
      const erased = await createUser('sched.erased');
      await remove(erased);
      const idle = await createUser('sched.idle');
      await deactivate(idle);
      time.advance(100 * DAY);
      const { logger, entries } = arrayLogger();

      const stop = scheduleRetention(users, { deletedDays: 30, inactiveDays: 90 }, logger);
      await settle();
      expect(entries).toEqual([]);
      expect(await store.users.get(idle.id)).toBeDefined();

      await jest.advanceTimersByTimeAsync(60_000);
      await settle();
      stop();
      expect(purgeEntries(entries)).toEqual([expect.objectContaining({
        level: 'info',
        softDeletedInactive: [{ id: idle.id, userName: 'sched.idle' }],
        erasedDeleted: [{ id: erased.id, userName: 'sched.erased' }],
      })]);
      expect(await isErased(erased)).toBe(true);
      expect(await store.users.get(idle.id)).toBeUndefined();
    });

    it('runs again every 24 hours, each run logging only what it removed then', async () => {
      const { logger, entries } = arrayLogger();
      const stop = scheduleRetention(users, { deletedDays: 30 }, logger);
      await jest.advanceTimersByTimeAsync(60_000);
      await settle();
      expect(purgeEntries(entries)).toEqual([expect.objectContaining({ softDeletedInactive: [], erasedDeleted: [] })]);

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
      const stop = scheduleRetention(users, { deletedDays: 30 }, logger);
      stop();
      await jest.advanceTimersByTimeAsync(3 * DAY);
      await settle();
      expect(entries).toEqual([]);
    });

    it('logs a failed purge as an error and keeps the schedule', async () => {
      const { logger, entries } = arrayLogger();
      const failing = { purge: jest.fn().mockRejectedValueOnce(new Error('disk on fire')).mockResolvedValue({ erased: [], deleted: [] }) } as unknown as Users;
      const stop = scheduleRetention(failing, { deletedDays: 30 }, logger);
      await jest.advanceTimersByTimeAsync(60_000);
      await settle();
      expect(entries).toEqual([expect.objectContaining({ level: 'error', message: 'retention purge failed', error: expect.objectContaining({ message: 'disk on fire' }) })]);

      await jest.advanceTimersByTimeAsync(DAY);
      await settle();
      stop();
      expect(purgeEntries(entries)).toHaveLength(1);
    });

    it('passes the configured retention to the purge', async () => {
      const { logger } = arrayLogger();
      const purge = jest.fn().mockResolvedValue({ erased: [], deleted: [] });
      const stop = scheduleRetention({ purge } as unknown as Users, { deletedDays: 7, inactiveDays: 180 }, logger);
      await jest.advanceTimersByTimeAsync(60_000);
      stop();
      expect(purge).toHaveBeenCalledWith({ deletedDays: 7, inactiveDays: 180 });
    });

    it('does not keep the process alive (its timers are unref\'d)', () => {
      jest.useRealTimers();
      const spy = jest.spyOn(global, 'setTimeout');
      const intervalSpy = jest.spyOn(global, 'setInterval');
      const stop = scheduleRetention(users, {}, arrayLogger().logger);
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
