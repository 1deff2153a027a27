import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Application } from '../../src/app/application';
import type { Directory } from '../../src/app/directory';
import { CLI_PRINCIPAL } from '../../src/cli/cli-context';
import { UsageError } from '../../src/cli/tokens-command';
import { purgeCommand, usersCommand } from '../../src/cli/users-command';
import { loadConfig, type Config } from '../../src/config/config';
import { hashToken } from '../../src/domain/token-secret';
import { loadSchemaRegistry } from '../../src/scim/schema/registry';
import { DEFAULT_TENANT_ID, type Store, type StoredUser } from '../../src/store/port';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import { journal } from '../support/journal';

const ACCOUNT_URN = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Account';
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const registry = loadSchemaRegistry();

/** `users restore <userName|id> [--tenant <id>]`, `users deleted` and `purge`, on a real SQLite file. */
describe('users and purge commands', () => {
  let dir: string;
  let store: Store;
  let db: Database.Database;
  let lines: string[];
  let seq = 0;
  const print = (line: string) => void lines.push(line);
  const configWith = (overrides: Partial<Config> = {}) => loadConfig({ SQLITE_PATH: join(dir, 'roster.db'), LOG_LEVEL: 'silent' }, overrides);
  /** The application as the CLI builds it, under a configuration (its retention defaults). */
  const applicationWith = (overrides: Partial<Config> = {}) => new Application({ store, registry, config: configWith(overrides) });
  const users = (...args: string[]) => usersCommand(applicationWith(), args, print);
  const purge = (overrides: Partial<Config> = {}) => purgeCommand(applicationWith(overrides), print);
  /** A tenant's directory, entered as the CLI does. */
  const directoryOf = (tenantId = DEFAULT_TENANT_ID): Promise<Directory> => applicationWith().enter(CLI_PRINCIPAL, tenantId, 'test');
  const data = (tenantId = DEFAULT_TENANT_ID) => store.tenant(tenantId, journal);

  const createUser = async (userName = `cli.user.${++seq}`, tenantId = DEFAULT_TENANT_ID) =>
    (await directoryOf(tenantId)).accounts.create({
      data: { userName, name: { givenName: 'G', familyName: 'F' }, emails: [{ value: `${userName.toLowerCase()}@example.com` }] },
    }, CLI_PRINCIPAL);
  const deleteUser = async (user: StoredUser, tenantId = DEFAULT_TENANT_ID) => (await directoryOf(tenantId)).accounts.delete(user.id, undefined, CLI_PRINCIPAL);
  const membersOf = async (groupId: string) => ((await data().groups.membersOf([groupId])).get(groupId) ?? []).map((m) => m.id);
  /** Backdates a soft delete, as if it had happened `days` ago. */
  const deletedDaysAgo = (user: StoredUser, days: number) =>
    db.prepare('UPDATE users SET deleted_at = ? WHERE id = ?').run(daysAgo(days), user.id);
  /** Backdates a deactivation in the stored Account extension. */
  const deactivatedDaysAgo = (user: StoredUser, days: number) =>
    db.prepare(`UPDATE users SET data = json_set(data, '$."${ACCOUNT_URN}".deactivatedAt', ?) WHERE id = ?`).run(daysAgo(days), user.id);
  const deactivate = async (user: StoredUser) =>
    (await directoryOf()).accounts.modify(user.id, undefined, 'patch', (current) => ({ data: { ...current.data, active: false } }), CLI_PRINCIPAL);
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
      const group = await data().groups.create({ displayName: 'Ops' }, [user.id]);
      await deleteUser(user);
      expect(await data().users.get(user.id)).toBeUndefined();
      expect(await membersOf(group.id)).toEqual([]);

      await users('restore', 'cli.restore');
      expect(lines).toEqual([`Restored user ${user.id} (Cli.Restore) with its group memberships.`]);
      expect((await data().users.get(user.id))?.data).toEqual(user.data);
      expect(await membersOf(group.id)).toEqual([user.id]);
    });

    it('restores a deleted user by id', async () => {
      const user = await createUser();
      await deleteUser(user);
      await users('restore', user.id);
      expect(await data().users.get(user.id)).toBeDefined();
      expect(lines[0]).toContain(user.id);
    });

    it('refuses an unknown key with a UsageError naming it', async () => {
      await expect(users('restore', 'nobody')).rejects.toThrow(UsageError);
      await expect(users('restore', 'nobody')).rejects.toThrow(/"nobody"/);
      expect(lines).toEqual([]);
    });

    it('refuses a user that is not deleted with a UsageError and leaves it unchanged', async () => {
      const user = await createUser();
      await expect(users('restore', String(user.data.userName))).rejects.toThrow(UsageError);
      await expect(users('restore', user.id)).rejects.toThrow(UsageError);
      expect((await data().users.get(user.id))?.version).toBe(user.version);
    });

    it.each([
      ['no action', []],
      ['an unknown action', ['purge', 'x']],
      ['restore without a key', ['restore']],
      ['restore with an empty key', ['restore', '']],
      ['restore with --tenant but no key', ['restore', '--tenant', 'acme']],
      ['restore with --tenant but no value', ['restore', 'someone', '--tenant']],
    ])('refuses %s with a UsageError', async (_label, args) => {
      await store.tenants.create({ id: 'acme', name: 'Acme', settings: {} }, journal);
      await expect(users(...args)).rejects.toThrow(UsageError);
    });

    describe('--tenant', () => {
      beforeEach(() => store.tenants.create({ id: 'acme', name: 'Acme', settings: {} }, journal));

      it('restores in that tenant only: the same userName deleted in default stays deleted', async () => {
        const mine = await createUser('same.name', 'acme');
        const other = await createUser('same.name');
        await deleteUser(mine, 'acme');
        await deleteUser(other);

        await users('restore', 'same.name', '--tenant', 'acme');
        expect(lines).toEqual([`Restored user ${mine.id} (same.name) with its group memberships.`]);
        expect(await data('acme').users.get(mine.id)).toBeDefined();
        expect(await data().users.get(other.id)).toBeUndefined();
      });

      it('does not find a user of another tenant by id: without --tenant, acme\'s user is not found', async () => {
        const user = await createUser('acme.only', 'acme');
        await deleteUser(user, 'acme');
        await expect(users('restore', user.id)).rejects.toThrow(UsageError);
        await expect(users('restore', 'acme.only')).rejects.toThrow(UsageError);
        expect(await data('acme').users.get(user.id)).toBeUndefined();
        await users('restore', '--tenant', 'acme', user.id);
        expect(await data('acme').users.get(user.id)).toBeDefined();
      });

      it('refuses a tenant that does not exist with a UsageError naming it', async () => {
        await expect(users('restore', 'someone', '--tenant', 'nope')).rejects.toThrow(UsageError);
        await expect(users('restore', 'someone', '--tenant', 'nope')).rejects.toThrow(/"nope"/);
      });
    });
  });

  describe('users deleted', () => {
    /** The rows a table of these users prints, as `users deleted` aligns them. */
    const table = (users: readonly { userName: string; id: string; deletedAt: string }[]) => {
      const rows = [['userName', 'id', 'deletedAt'], ...users.map((u) => [u.userName, u.id, u.deletedAt])];
      const width = (column: number) => Math.max(...rows.map((row) => row[column].length));
      return rows.map((row) => `${row[0].padEnd(width(0))}  ${row[1].padEnd(width(1))}  ${row[2]}`);
    };
    /** Deletes the users, returning them as the table shows them. */
    const deleteAll = async (...names: string[]) => {
      const shown: { userName: string; id: string; deletedAt: string }[] = [];
      for (const userName of names) {
        const user = await createUser(userName);
        await deleteUser(user);
        const { deleted_at } = rowOf(user.id)!;
        shown.push({ userName, id: user.id, deletedAt: deleted_at! });
      }
      return shown;
    };
    const HINT = 'Restore one with: npm run cli -- users restore <userName|id>';

    it('prints the deleted users only, as a table of userName, id and deletedAt, with how to restore one', async () => {
      await createUser('still.here');
      const gone = await deleteAll('gone.one', 'gone.two.longer');
      await users('deleted');
      expect(lines).toEqual([...table(gone), 'Deleted users 1–2 of 2 in tenant default.', HINT]);

      lines = [];
      await users('restore', 'gone.one');
      lines = [];
      await users('deleted');
      expect(lines).toEqual([...table(gone.slice(1)), 'Deleted users 1–1 of 1 in tenant default.', HINT]);
    });

    it('narrows the list with --filter, a SCIM filter as GET /Users takes it', async () => {
      const [alice, , albert] = await deleteAll('alice', 'bob', 'Albert');
      await users('deleted', '--filter', 'userName sw "al"');
      expect(lines).toEqual([...table([alice, albert]), 'Deleted users 1–2 of 2 in tenant default.', HINT]);
    });

    it('pages with --count and --start-index, saying where the next page starts', async () => {
      const gone = await deleteAll('p.1', 'p.2', 'p.3');
      await users('deleted', '--count', '2');
      expect(lines).toEqual([...table(gone.slice(0, 2)), 'Deleted users 1–2 of 3 in tenant default; the next page: --start-index 3.', HINT]);
      lines = [];
      await users('deleted', '--count', '2', '--start-index', '3');
      expect(lines).toEqual([...table(gone.slice(2)), 'Deleted users 3–3 of 3 in tenant default.', HINT]);
      lines = [];
      await users('deleted', '--start-index', '9');
      expect(lines).toEqual(['No deleted users from 9 on (3 in all) in tenant default.', HINT]);
    });

    it('says so when there are none, or none that match', async () => {
      await createUser('live.only');
      await users('deleted');
      await users('deleted', '--filter', 'userName eq "live.only"');
      expect(lines).toEqual(['No deleted users in tenant default.', 'No deleted users match the filter in tenant default.']);
    });

    it('lists one tenant\'s deleted users with --tenant, and its restore hint names the tenant', async () => {
      await store.tenants.create({ id: 'acme', name: 'Acme', settings: {} }, journal);
      await deleteAll('in.default');
      const mine = await createUser('in.acme', 'acme');
      await deleteUser(mine, 'acme');
      await users('deleted', '--tenant', 'acme');
      expect(lines[1]).toContain(mine.id);
      expect(lines.slice(2)).toEqual(['Deleted users 1–1 of 1 in tenant acme.', `${HINT} --tenant acme`]);
      expect(lines.join('\n')).not.toContain('in.default');
    });

    it.each([
      ['a filter that does not parse', ['--filter', 'userName sw'], /filter/i],
      ['a filter on an unknown attribute', ['--filter', 'userNmae eq "x"'], /userNmae/],
      ['a count that is not a number', ['--count', 'ten'], /count/],
      ['--filter without a value', ['--filter'], /--filter needs a value/],
      ['a stray argument', ['bjensen'], /"bjensen"/],
      ['a tenant that does not exist', ['--tenant', 'nope'], /"nope"/],
    ])('refuses %s with a UsageError saying what is wrong', async (_label, args, message) => {
      const error = await users('deleted', ...args).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(message);
      expect(lines).toEqual([]);
    });
  });

  describe('purge', () => {
    it('erases users deleted more than RETENTION_DELETED_DAYS ago, for good, and keeps more recent ones', async () => {
      const old = await createUser('old.deleted');
      const recent = await createUser('recent.deleted');
      const live = await createUser('live.user');
      const group = await data().groups.create({ displayName: 'Team' }, [old.id, recent.id, live.id]);
      const { secret } = await (await directoryOf()).tokens.createForUser(old.id, 'old-token');
      await deleteUser(old);
      await deleteUser(recent);
      deletedDaysAgo(old, 31);
      deletedDaysAgo(recent, 29);

      await purge({ retentionDeletedDays: 30 });
      expect(lines).toContain('Tenant default: erased 1 user(s) deleted more than 30 days ago: old.deleted.');

      expect(rowOf(old.id)).toBeUndefined();
      expect(rowOf(recent.id)?.deleted_at).toEqual(expect.any(String));
      expect(await data().users.get(live.id)).toBeDefined();
      // The userName is free again; the memberships and tokens are gone with the user.
      expect((await createUser('OLD.DELETED')).id).not.toBe(old.id);
      expect(db.prepare('SELECT count(*) AS n FROM memberships m JOIN users u ON u.tenant_id = m.tenant_id AND u.seq = m.user_seq WHERE u.id = ?').get(old.id)).toEqual({ n: 0 });
      expect(await store.credentials.findByHash(hashToken(secret))).toBeUndefined();
      expect(await data().users.restore({ id: old.id })).toBeUndefined();
      // The recently deleted user can still be restored, with its membership.
      await users('restore', 'recent.deleted');
      expect((await membersOf(group.id)).sort()).toEqual([recent.id, live.id].sort());
    });

    it('soft-deletes users Inactive for more than RETENTION_INACTIVE_DAYS, who can still be restored', async () => {
      const longGone = await createUser('long.inactive');
      const lately = await createUser('lately.inactive');
      const active = await createUser('still.active');
      for (const user of [longGone, lately]) await deactivate(user);
      deactivatedDaysAgo(longGone, 91);
      deactivatedDaysAgo(lately, 89);

      await purge({ retentionInactiveDays: 90, retentionDeletedDays: 30 });
      expect(lines).toContain('Tenant default: soft-deleted 1 user(s) inactive for more than 90 days: long.inactive.');
      expect(lines).toContain('Tenant default: erased 0 user(s) deleted more than 30 days ago.');
      expect(await data().users.get(longGone.id)).toBeUndefined();
      expect(rowOf(longGone.id)?.deleted_at).toEqual(expect.any(String));
      expect(await data().users.get(lately.id)).toBeDefined();
      expect(await data().users.get(active.id)).toBeDefined();

      await users('restore', 'long.inactive');
      expect(await data().users.get(longGone.id)).toBeDefined();
    });

    it('soft-deletes nobody for inactivity when RETENTION_INACTIVE_DAYS is off (the default)', async () => {
      expect(configWith().retentionInactiveDays).toBeUndefined();
      const user = await createUser('ancient.inactive');
      await deactivate(user);
      deactivatedDaysAgo(user, 10_000);

      await purge();
      expect(await data().users.get(user.id)).toBeDefined();
      expect(lines[0]).toBe('Tenant default: soft-deleted 0 user(s) inactive for more than (off) days.');
    });

    it('erases nobody when RETENTION_DELETED_DAYS is off', async () => {
      const user = await createUser();
      await deleteUser(user);
      deletedDaysAgo(user, 10_000);
      await purge({ retentionDeletedDays: undefined });
      expect(rowOf(user.id)).toBeDefined();
      expect(lines[1]).toBe('Tenant default: erased 0 user(s) deleted more than (off) days ago.');
    });

    it('erases users deleted 30 days ago by default (RETENTION_DELETED_DAYS=30)', async () => {
      expect(configWith().retentionDeletedDays).toBe(30);
      const user = await createUser('default.retention');
      await deleteUser(user);
      deletedDaysAgo(user, 31);
      await purge();
      expect(rowOf(user.id)).toBeUndefined();
    });

    it('is idempotent: a second run erases and soft-deletes nothing more', async () => {
      const deleted = await createUser('twice.deleted');
      await deleteUser(deleted);
      deletedDaysAgo(deleted, 40);
      const retention = { retentionDeletedDays: 30, retentionInactiveDays: 90 };
      await purge(retention);
      lines = [];
      await purge(retention);
      expect(lines).toEqual([
        'Tenant default: soft-deleted 0 user(s) inactive for more than 90 days.',
        'Tenant default: erased 0 user(s) deleted more than 30 days ago.',
      ]);
    });

    it('sweeps every tenant, each under its own settings, and reports each', async () => {
      await store.tenants.create({ id: 'acme', name: 'Acme', settings: { retentionDeletedDays: 7, retentionInactiveDays: 'off' } }, journal);
      await store.tenants.create({ id: 'globex', name: 'Globex', settings: { retentionInactiveDays: 60 } }, journal);
      const inAcme = await createUser('same.name', 'acme');
      const inDefault = await createUser('same.name');
      const idleInGlobex = await createUser('idle.one', 'globex');
      await deleteUser(inAcme, 'acme');
      await deleteUser(inDefault);
      deletedDaysAgo(inAcme, 10);
      deletedDaysAgo(inDefault, 10);
      await (await directoryOf('globex')).accounts.modify(idleInGlobex.id, undefined, 'patch', (current) => ({ data: { ...current.data, active: false } }), CLI_PRINCIPAL);
      deactivatedDaysAgo(idleInGlobex, 61);

      await purge({ retentionDeletedDays: 30, retentionInactiveDays: 90 });
      expect(lines).toEqual([
        'Tenant acme: soft-deleted 0 user(s) inactive for more than (off) days.',
        'Tenant acme: erased 1 user(s) deleted more than 7 days ago: same.name.',
        'Tenant default: soft-deleted 0 user(s) inactive for more than 90 days.',
        'Tenant default: erased 0 user(s) deleted more than 30 days ago.',
        'Tenant globex: soft-deleted 1 user(s) inactive for more than 60 days: idle.one.',
        'Tenant globex: erased 0 user(s) deleted more than 30 days ago.',
      ]);
      expect(rowOf(inAcme.id)).toBeUndefined();
      expect(rowOf(inDefault.id)?.deleted_at).toEqual(expect.any(String));
      expect(await data('globex').users.get(idleInGlobex.id)).toBeUndefined();
    });
  });
});
