import { parseDuration } from '../../src/config/duration';
import { UsageError, tokensCommand } from '../../src/cli/tokens-command';
import { Tokens, hashToken } from '../../src/domain/tokens';
import type { Store } from '../../src/store/port';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';

const DAY = 86_400_000;

describe('tokens command', () => {
  let store: Store;
  let lines: string[];
  const print = (line: string) => void lines.push(line);
  const run = (...args: string[]) => tokensCommand(store, args, print);
  /** Runs `tokens create` and returns the one printed line that is a secret. */
  const createToken = async (...args: string[]) => {
    lines = [];
    await run('create', ...args);
    const secrets = lines.filter((l) => /^roster_\S+$/.test(l));
    expect(secrets).toHaveLength(1);
    return { secret: secrets[0], output: [...lines] };
  };

  beforeEach(() => {
    store = openSqliteStore(':memory:');
    lines = [];
  });
  afterEach(() => store.close());

  describe('create', () => {
    it('creates a token with a 90-day expiry and prints its secret exactly once', async () => {
      const before = Date.now();
      const { secret, output } = await createToken('--name', 'okta', '--expires-in', '90d');
      expect(output.join('\n').split(secret)).toHaveLength(2);
      expect(output.join('\n')).toMatch(/shown only this once/);

      const [token] = await store.tokens.list();
      expect(token.name).toBe('okta');
      expect(token.hash).toBe(hashToken(secret));
      expect(Date.parse(token.expires!) - before).toBeGreaterThanOrEqual(90 * DAY);
      expect(Date.parse(token.expires!) - before).toBeLessThan(90 * DAY + 60_000);
      expect(output[0]).toContain(token.id);
      expect(output[0]).toContain(token.expires);
      expect((await new Tokens(store.tokens).authenticate(secret)).ok).toBe(true);
    });

    it('creates a token without expiry when --expires-in is not given', async () => {
      await createToken('--name', 'entra');
      const [token] = await store.tokens.list();
      expect(token.expires).toBeUndefined();
    });

    it('accepts the options in any order', async () => {
      await createToken('--expires-in', '12h', '--name', 'late-name');
      const [token] = await store.tokens.list();
      expect(token.name).toBe('late-name');
      expect(token.expires).toBeDefined();
    });
  });

  describe('list', () => {
    it('lists every token with its state, never a secret or hash', async () => {
      const active = await createToken('--name', 'active-one');
      const revoked = await createToken('--name', 'revoked-one');
      const tokens = await store.tokens.list();
      const byName = (name: string) => tokens.find((x) => x.name === name)!;
      await run('revoke', byName('revoked-one').id);

      lines = [];
      await run('list');
      expect(lines).toHaveLength(2);
      const output = lines.join('\n');
      for (const secret of [active.secret, revoked.secret]) {
        expect(output).not.toContain(secret);
        expect(output).not.toContain(secret.slice('roster_'.length));
      }
      for (const token of tokens) expect(output).not.toContain(token.hash);
      const lineOf = (name: string) => lines.find((l) => l.includes(name))!;
      expect(lineOf('active-one')).toMatch(/active-one.*no expiry.*last used never.*active$/);
      expect(lineOf('active-one')).toContain(byName('active-one').id);
      expect(lineOf('revoked-one')).toMatch(/revoked-one.*revoked \d{4}-/);
    });

    it('shows an expired token as expired', async () => {
      await new Tokens(store.tokens, () => new Date(Date.now() - 2 * DAY)).create('old', DAY);
      lines = [];
      await run('list');
      expect(lines[0]).toMatch(/old.*expired \d{4}-/);
    });

    it('marks the token registered from SCIM_BOOTSTRAP_TOKEN', async () => {
      await new Tokens(store.tokens).syncBootstrap('a-bootstrap-secret-of-at-least-32-characters');
      await createToken('--name', 'okta');
      lines = [];
      await run('list');
      expect(lines.find((l) => l.includes('bootstrap'))).toMatch(/bootstrap \(SCIM_BOOTSTRAP_TOKEN\)/);
      expect(lines.find((l) => l.includes('okta'))).not.toMatch(/SCIM_BOOTSTRAP_TOKEN/);
    });

    it('prints nothing when there are no tokens', async () => {
      await run('list');
      expect(lines).toEqual([]);
    });
  });

  describe('revoke', () => {
    it('revokes the token with that id, which then stops working', async () => {
      const { secret } = await createToken('--name', 'okta');
      const [token] = await store.tokens.list();
      lines = [];
      await run('revoke', token.id);
      expect(lines).toEqual([`Revoked token ${token.id}.`]);
      expect(await new Tokens(store.tokens).authenticate(secret)).toMatchObject({ ok: false, reason: expect.stringMatching(/revoked/) });
    });

    it('refuses an unknown id with a UsageError', async () => {
      await expect(run('revoke', 'no-such-id')).rejects.toThrow(UsageError);
    });
  });

  it.each([
    ['no action', []],
    ['an unknown action', ['delete', 'x']],
    ['create without --name', ['create']],
    ['create with --name but no value', ['create', '--name']],
    ['create with --name followed by another flag', ['create', '--name', '--expires-in', '90d']],
    ['create with an empty --name', ['create', '--name', '']],
    ['create with --expires-in that is not a duration', ['create', '--name', 'x', '--expires-in', 'soon']],
    ['create with a zero --expires-in', ['create', '--name', 'x', '--expires-in', '0d']],
    ['create with --expires-in in seconds', ['create', '--name', 'x', '--expires-in', '30s']],
    ['create with an absurdly long --expires-in', ['create', '--name', 'x', '--expires-in', '99999999999d']],
    ['create with --expires-in but no value', ['create', '--name', 'x', '--expires-in']],
    ['revoke without an id', ['revoke']],
  ])('refuses %s with a UsageError and creates nothing', async (_label, args) => {
    await expect(tokensCommand(store, args, print)).rejects.toThrow(UsageError);
    expect(await store.tokens.list()).toEqual([]);
    expect(lines.filter((l) => l.startsWith('roster_'))).toEqual([]);
  });
});

describe('parseDuration', () => {
  it.each([
    ['90d', 90 * DAY],
    ['12h', 12 * 3_600_000],
    ['30m', 30 * 60_000],
    [' 7D ', 7 * DAY],
    ['1 d', DAY],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'd', '0d', '-1d', '1.5d', '10s', '1w', '90', 'ninety days', '99999999999d'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
