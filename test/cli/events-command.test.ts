import { getEventListeners } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Application } from '../../src/app/application';
import type { Directory } from '../../src/app/directory';
import { CLI_PRINCIPAL } from '../../src/cli/cli-context';
import { eventsCommand } from '../../src/cli/events-command';
import { UsageError } from '../../src/cli/options';
import { loadConfig } from '../../src/config/config';
import { loadSchemaRegistry } from '../../src/scim/schema/registry';
import { DEFAULT_TENANT_ID, type ChangeEvent, type Store, type StoredUser } from '../../src/store/port';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import { journal } from '../support/journal';

const registry = loadSchemaRegistry();
/** What the account rules require of a new user. */
const userData = (userName: string) => ({ userName, name: { givenName: 'G', familyName: 'F' }, emails: [{ value: `${userName}@example.com` }] });

/**
 * `events [--tenant acme] [--after N] [--type user.*] [--resource <id>] [--actor <tokenId>] [--follow]`
 * (docs/events.md, "The CLI"), on a real SQLite file: one JSON line per event, in id order,
 * until caught up; with --follow, new events as they are recorded, until stopped.
 */
describe('events command', () => {
  let dir: string;
  let store: Store;
  let application: Application;
  let lines: string[];
  let seq = 0;
  const print = (line: string) => void lines.push(line);
  const events = (...args: string[]) => eventsCommand(application, args, print);
  const printed = () => lines.map((line) => JSON.parse(line) as ChangeEvent);

  const directoryOf = (tenantId = DEFAULT_TENANT_ID): Promise<Directory> => application.enter(CLI_PRINCIPAL, tenantId, 'test');
  const createUser = async (tenantId = DEFAULT_TENANT_ID): Promise<StoredUser> =>
    (await directoryOf(tenantId)).accounts.create({ data: userData(`cli.events.${++seq}`) }, CLI_PRINCIPAL);
  /** Every event of a tenant, read from the feed the command reads. */
  const allEvents = async (tenantId = DEFAULT_TENANT_ID) => {
    const feed = (await directoryOf(tenantId)).events;
    const all: ChangeEvent[] = [];
    for (let after = 0; ;) {
      const page = await feed.read({ after: String(after), limit: '1000' });
      all.push(...page.events);
      if (page.next === after) return all;
      after = page.next;
    }
  };
  /** Waits (a few seconds at most) until the command has printed `count` lines. */
  const printedLines = async (count: number) => {
    for (const deadline = Date.now() + 5000; lines.length < count;) {
      if (Date.now() > deadline) throw new Error(`waited for ${count} lines, got ${lines.length}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'roster-events-cli-'));
    store = openSqliteStore(join(dir, 'roster.db'));
    application = new Application({ store, registry, config: loadConfig({ SQLITE_PATH: join(dir, 'roster.db'), LOG_LEVEL: 'silent' }) });
    lines = [];
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints every event of the built-in tenant, one JSON line each, in id order, and returns when caught up', async () => {
    const [a, b] = [await createUser(), await createUser()];
    await (await directoryOf()).accounts.delete(a.id, undefined, CLI_PRINCIPAL);
    await events();
    expect(lines.every((line) => !line.includes('\n'))).toBe(true);
    expect(printed()).toEqual(await allEvents());
    expect(printed().map((e) => [e.type, e.resource.id])).toEqual([['user.created', a.id], ['user.created', b.id], ['user.deleted', a.id]]);
    expect(printed()[0]).toMatchObject({ tenant: DEFAULT_TENANT_ID, actor: { kind: 'operator', tokenId: 'cli', tokenName: 'cli' }, requestId: 'test' });
  });

  it('prints nothing for a tenant without events', async () => {
    await events();
    expect(lines).toEqual([]);
  });

  it('reads on past a full page: 1,500 events are 1,500 lines', async () => {
    await Promise.all(Array.from({ length: 1500 }, (_, i) => store.tenant(DEFAULT_TENANT_ID, journal).users.create({ data: { userName: `many.${i}` } })));
    await events();
    expect(lines).toHaveLength(1500);
    expect(printed()).toEqual(await allEvents());
  });

  it('reads on past pages a filter leaves empty: the match after 10,001 other events is printed', async () => {
    const users = store.tenant(DEFAULT_TENANT_ID, journal).users;
    for (let i = 0; i < 10_001; i += 1000) {
      await Promise.all(Array.from({ length: Math.min(1000, 10_001 - i) }, (_, j) => users.create({ data: { userName: `scan.${i + j}` } })));
    }
    const late = await createUser();
    await (await directoryOf()).accounts.delete(late.id, undefined, CLI_PRINCIPAL);
    await events('--type', 'user.deleted');
    expect(printed().map((e) => [e.type, e.resource.id])).toEqual([['user.deleted', late.id]]);
  }, 60_000);

  describe('filters', () => {
    it('--after prints the events after that id only', async () => {
      await createUser();
      const second = await createUser();
      const [first] = await allEvents();
      await events('--after', String(first.id));
      expect(printed().map((e) => e.resource.id)).toEqual([second.id]);
    });

    it('--type takes comma-separated patterns', async () => {
      const user = await createUser();
      await (await directoryOf()).groups.create({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Ops', members: [{ value: user.id }] });
      await events('--type', 'group.member_*,user.created');
      expect(printed().map((e) => e.type)).toEqual(['user.created', 'group.member_added']);
    });

    it('--resource prints one resource\'s history, member events included', async () => {
      const [user, other] = [await createUser(), await createUser()];
      const group = await (await directoryOf()).groups.create({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Team', members: [{ value: user.id }, { value: other.id }] });
      await events('--resource', user.id);
      expect(printed().map((e) => [e.type, e.resource.id])).toEqual([['user.created', user.id], ['group.member_added', group.id]]);
    });

    it('--actor prints what one token did', async () => {
      const { token } = await (await directoryOf()).tokens.create('okta');
      const okta = await application.enter({ kind: 'service', tokenId: token.id, tokenName: 'okta', tenantId: DEFAULT_TENANT_ID }, DEFAULT_TENANT_ID, 'req-1');
      await createUser();
      const byOkta = await okta.accounts.create({ data: userData('by.okta') }, okta.context.actor);
      await events('--actor', token.id);
      expect(printed()).toEqual([expect.objectContaining({ type: 'user.created', resource: expect.objectContaining({ id: byOkta.id }), requestId: 'req-1' })]);
    });

    it('--tenant prints that tenant\'s events only', async () => {
      await store.tenants.create({ id: 'acme', name: 'Acme', settings: {} }, journal);
      await createUser();
      const theirs = await createUser('acme');
      await events('--tenant', 'acme');
      expect(printed().map((e) => [e.tenant, e.type])).toEqual([['acme', 'tenant.created'], ['acme', 'user.created']]);
      expect(printed()[1].resource.id).toBe(theirs.id);
    });
  });

  describe('--follow', () => {
    it('prints what exists, then each new event as it is recorded, until its signal is aborted', async () => {
      const first = await createUser();
      const stop = new AbortController();
      const following = eventsCommand(application, ['--follow'], print, { signal: stop.signal, pollMs: 10 });
      await printedLines(1);
      const second = await createUser();
      await printedLines(2);
      const third = await createUser();
      await printedLines(3);
      stop.abort();
      await following;
      expect(printed().map((e) => e.resource.id)).toEqual([first.id, second.id, third.id]);
      await createUser();
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(lines).toHaveLength(3);
    });

    it('with filters, prints only the new events that match', async () => {
      const user = await createUser();
      const stop = new AbortController();
      const following = eventsCommand(application, ['--follow', '--type', 'user.deleted', '--after', '0'], print, { signal: stop.signal, pollMs: 10 });
      await createUser();
      await (await directoryOf()).accounts.delete(user.id, undefined, CLI_PRINCIPAL);
      await printedLines(1);
      stop.abort();
      await following;
      expect(printed().map((e) => [e.type, e.resource.id])).toEqual([['user.deleted', user.id]]);
    });

    it('holds one abort listener at most, however many times it polls', async () => {
      const stop = new AbortController();
      const following = eventsCommand(application, ['--follow'], print, { signal: stop.signal, pollMs: 1 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(getEventListeners(stop.signal, 'abort').length).toBeLessThanOrEqual(1);
      stop.abort();
      await following;
    });

    it('stops at once when aborted while waiting, however long the poll interval', async () => {
      const stop = new AbortController();
      const following = eventsCommand(application, ['--follow'], print, { signal: stop.signal, pollMs: 60_000 });
      await new Promise((resolve) => setTimeout(resolve, 20));
      const aborted = Date.now();
      stop.abort();
      await following;
      expect(Date.now() - aborted).toBeLessThan(1000);
    });
  });

  describe('usage errors', () => {
    beforeEach(() => createUser());

    it.each([
      ['a --type that matches no event type', ['--type', 'nosuch.*'], /matches no event type/],
      ['a --type with a "*" inside', ['--type', 'us*er'], /"\*" before its end/],
      ['--type without a value', ['--type'], /--type needs a value/],
      ['an --after that is not a whole number', ['--after', '-1'], /after must be a whole number/],
      ['an --after of letters', ['--after', 'abc'], /after must be a whole number/],
      ['a --resource over 256 characters', ['--resource', 'r'.repeat(257)], /resourceId must be an id of 1 to 256 characters/],
      ['an unknown --tenant', ['--tenant', 'nosuch'], /There is no tenant "nosuch"/],
      ['a --tenant that cannot be a tenant id', ['--tenant', 'Not A Tenant!'], /--tenant takes a tenant id/],
    ])('refuses %s with a UsageError, printing nothing', async (_label, args, message) => {
      const run = events(...args);
      await expect(run).rejects.toThrow(UsageError);
      await expect(events(...args)).rejects.toThrow(message);
      expect(lines).toEqual([]);
    });

    it('refuses a bad --type with --follow at once, rather than polling', async () => {
      await expect(eventsCommand(application, ['--follow', '--type', 'usr.*'], print, { pollMs: 10 })).rejects.toThrow(UsageError);
    });
  });
});
