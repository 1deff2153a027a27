import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config/config';
import { UsageError } from '../../src/cli/tokens-command';
import { CLI_PRINCIPAL, accountsOf, purgeCommand, usersCommand } from '../../src/cli/users-command';
import { Tokens, hashToken } from '../../src/domain/tokens';
import type { Store, StoredUser } from '../../src/store/port';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';

const ACCOUNT_URN = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Account';
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

/** `users restore <userName|id>` and `purge`, on a real SQLite file. */
describe('users and purge commands', () => {
  let dir: string;
  let store: Store;
  let db: Database.Database;
  let lines: string[];
  let seq = 0;
  const print = (line: string) => void lines.push(line);
  const configWith = (overrides: Partial<Config> = {}) => loadConfig({ SQLITE_PATH: join(dir, 'roster.db'), LOG_LEVEL: 'silent' }, overrides);

  const createUser = async (userName = `cli.user.${++seq}`, extra: object = {}) =>
    accountsOf(store, configWith()).create({
      data: { userName, name: { givenName: 'G', familyName: 'F' }, emails: [{ value: `${userName.toLowerCase()}@example.com` }], ...extra },
    }, CLI_PRINCIPAL);
  const deleteUser = (user: StoredUser) => accountsOf(store, configWith()).delete(user.id, undefined, CLI_PRINCIPAL);
  const membersOf = async (groupId: string) => ((await store.groups.membersOf([groupId])).get(groupId) ?? []).map((m) => m.id);
  /** Backdates a soft delete, as if it had happened `days` ago. */
  const deletedDaysAgo = (user: StoredUser, days: number) =>
    db.prepare('UPDATE users SET deleted_at = ? WHERE id = ?').run(daysAgo(days), user.id);
  /** Backdates a deactivation in the stored Account extension. */
  const deactivatedDaysAgo = (user: StoredUser, days: number) =>
    db.prepare(`UPDATE users SET data = json_set(data, '$."${ACCOUNT_URN}".deactivatedAt', ?) WHERE id = ?`).run(daysAgo(days), user.id);
  const deactivate = (user: StoredUser) =>
    accountsOf(store, configWith()).modify(user.id, undefined, 'patch', (current) => ({ data: { ...current.data, active: false } }), CLI_PRINCIPAL);
  const rowOf = (id: string) => db.prepare('SELECT deleted_at FROM users WHERE id = ?').get(id) as { deleted_at: string | null } | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'roster-users-cli-'));
    store = openSqliteStore(join(dir, 'roster.db'));
    db = new Database(join(dir, 'roster.db'));
    lines = [];
  });
  afterEach(async () => {
    db.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('users restore', () => {
    it('restores a deleted user by userName, without regard to case, with its group memberships', async () => {
      const user = await createUser('Cli.Restore');
      const group = await store.groups.create({ displayName: 'Ops' }, [user.id]);
      await deleteUser(user);
      expect(await store.users.get(user.id)).toBeUndefined();
      expect(await membersOf(group.id)).toEqual([]);

      await usersCommand(store, configWith(), ['restore', 'cli.restore'], print);
      expect(lines).toEqual([`Restored user ${user.id} (Cli.Restore) with its group memberships.`]);
      expect((await store.users.get(user.id))?.data).toEqual(user.data);
      expect(await membersOf(group.id)).toEqual([user.id]);
    });

    it('restores a deleted user by id', async () => {
      const user = await createUser();
      await deleteUser(user);
      await usersCommand(store, configWith(), ['restore', user.id], print);
      expect(await store.users.get(user.id)).toBeDefined();
      expect(lines[0]).toContain(user.id);
    });

    it('refuses an unknown key with a UsageError naming it', async () => {
      await expect(usersCommand(store, configWith(), ['restore', 'nobody'], print)).rejects.toThrow(UsageError);
      await expect(usersCommand(store, configWith(), ['restore', 'nobody'], print)).rejects.toThrow(/"nobody"/);
      expect(lines).toEqual([]);
    });

    it('refuses a user that is not deleted with a UsageError and leaves it unchanged', async () => {
      const user = await createUser();
      await expect(usersCommand(store, configWith(), ['restore', String(user.data.userName)], print)).rejects.toThrow(UsageError);
      await expect(usersCommand(store, configWith(), ['restore', user.id], print)).rejects.toThrow(UsageError);
      expect((await store.users.get(user.id))?.version).toBe(user.version);
    });

    it.each([
      ['no action', []],
      ['an unknown action', ['purge', 'x']],
      ['restore without a key', ['restore']],
      ['restore with an empty key', ['restore', '']],
    ])('refuses %s with a UsageError', async (_label, args) => {
      await expect(usersCommand(store, configWith(), args, print)).rejects.toThrow(UsageError);
    });
  });

  describe('purge', () => {
    it('erases users deleted more than RETENTION_DELETED_DAYS ago, for good, and keeps more recent ones', async () => {
      const old = await createUser('old.deleted');
      const recent = await createUser('recent.deleted');
      const live = await createUser('live.user');
      const group = await store.groups.create({ displayName: 'Team' }, [old.id, recent.id, live.id]);
      const { secret } = await new Tokens(store.tokens).create('old-token', undefined, old.id);
      await deleteUser(old);
      await deleteUser(recent);
      deletedDaysAgo(old, 31);
      deletedDaysAgo(recent, 29);

      await purgeCommand(store, configWith({ retentionDeletedDays: 30 }), print);
      expect(lines).toContain('Erased 1 user(s) deleted more than 30 days ago: old.deleted.');

      expect(rowOf(old.id)).toBeUndefined();
      expect(rowOf(recent.id)?.deleted_at).toEqual(expect.any(String));
      expect(await store.users.get(live.id)).toBeDefined();
      // The userName is free again; the memberships and tokens are gone with the user.
      expect((await createUser('OLD.DELETED')).id).not.toBe(old.id);
      expect(db.prepare('SELECT count(*) AS n FROM memberships m JOIN users u ON u.seq = m.user_seq WHERE u.id = ?').get(old.id)).toEqual({ n: 0 });
      expect(await store.tokens.findByHash(hashToken(secret))).toBeUndefined();
      expect(await store.users.restore({ id: old.id })).toBeUndefined();
      // The recently deleted user can still be restored, with its membership.
      await usersCommand(store, configWith(), ['restore', 'recent.deleted'], print);
      expect((await membersOf(group.id)).sort()).toEqual([recent.id, live.id].sort());
    });

    it('soft-deletes users Inactive for more than RETENTION_INACTIVE_DAYS, who can still be restored', async () => {
      const longGone = await createUser('long.inactive');
      const lately = await createUser('lately.inactive');
      const active = await createUser('still.active');
      for (const user of [longGone, lately]) await deactivate(user);
      deactivatedDaysAgo(longGone, 91);
      deactivatedDaysAgo(lately, 89);

      await purgeCommand(store, configWith({ retentionInactiveDays: 90, retentionDeletedDays: 30 }), print);
      expect(lines).toContain('Soft-deleted 1 user(s) inactive for more than 90 days: long.inactive.');
      expect(lines).toContain('Erased 0 user(s) deleted more than 30 days ago.');
      expect(await store.users.get(longGone.id)).toBeUndefined();
      expect(rowOf(longGone.id)?.deleted_at).toEqual(expect.any(String));
      expect(await store.users.get(lately.id)).toBeDefined();
      expect(await store.users.get(active.id)).toBeDefined();

      await usersCommand(store, configWith(), ['restore', 'long.inactive'], print);
      expect(await store.users.get(longGone.id)).toBeDefined();
    });

    it('soft-deletes nobody for inactivity when RETENTION_INACTIVE_DAYS is off (the default)', async () => {
      const config = configWith();
      expect(config.retentionInactiveDays).toBeUndefined();
      const user = await createUser('ancient.inactive');
      await deactivate(user);
      deactivatedDaysAgo(user, 10_000);

      await purgeCommand(store, config, print);
      expect(await store.users.get(user.id)).toBeDefined();
      expect(lines[0]).toBe('Soft-deleted 0 user(s) inactive for more than (off) days.');
    });

    it('erases nobody when RETENTION_DELETED_DAYS is off', async () => {
      const user = await createUser();
      await deleteUser(user);
      deletedDaysAgo(user, 10_000);
      await purgeCommand(store, configWith({ retentionDeletedDays: undefined }), print);
      expect(rowOf(user.id)).toBeDefined();
      expect(lines[1]).toBe('Erased 0 user(s) deleted more than (off) days ago.');
    });

    it('erases users deleted 30 days ago by default (RETENTION_DELETED_DAYS=30)', async () => {
      const config = configWith();
      expect(config.retentionDeletedDays).toBe(30);
      const user = await createUser('default.retention');
      await deleteUser(user);
      deletedDaysAgo(user, 31);
      await purgeCommand(store, config, print);
      expect(rowOf(user.id)).toBeUndefined();
    });

    it('is idempotent: a second run erases and soft-deletes nothing more', async () => {
      const deleted = await createUser('twice.deleted');
      await deleteUser(deleted);
      deletedDaysAgo(deleted, 40);
      const config = configWith({ retentionDeletedDays: 30, retentionInactiveDays: 90 });
      await purgeCommand(store, config, print);
      lines = [];
      await purgeCommand(store, config, print);
      expect(lines).toEqual([
        'Soft-deleted 0 user(s) inactive for more than 90 days.',
        'Erased 0 user(s) deleted more than 30 days ago.',
      ]);
    });
  });
});
