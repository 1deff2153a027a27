import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanUpRoster, compileRoster, spawnRoster } from './support/roster-process';
import { openConnection } from './support/raw-connection';

/**
 * Roster as operators run it (`node dist/main.js`, `npm run cli`): what reaches the terminal and
 * the exit code. A start-up failure is one line on stderr, no stack trace.
 */
const BOOTSTRAP = 'bootstrap-secret-of-at-least-32-characters';
const ONE_LINE = /^[^\n]+\n$/;

let compiled: string;
let dir: string;

beforeAll(() => {
  compiled = compileRoster();
  dir = mkdtempSync(join(tmpdir(), 'roster-process-data-'));
}, 30_000);
afterAll(() => {
  cleanUpRoster(compiled);
  rmSync(dir, { recursive: true, force: true });
});

const env = (extra: Record<string, string>) =>
  ({ PORT: '0', HOST: '127.0.0.1', SQLITE_PATH: join(dir, 'roster.db'), LOG_LEVEL: 'info', ...extra });

it('SIGTERM while a client holds its body open: stops within SHUTDOWN_TIMEOUT, saying so, and exits 0', async () => {
  const roster = spawnRoster(compiled, 'src/main.js', env({ SHUTDOWN_TIMEOUT: '1s', SCIM_BOOTSTRAP_TOKEN: BOOTSTRAP }));
  const serving = JSON.parse(await roster.line(/Roster is serving SCIM/)) as { url: string };
  const port = Number(/^http:\/\/127\.0\.0\.1:(\d+)\/scim\/v2$/.exec(serving.url)?.[1]);
  expect(port).toBeGreaterThan(0);

  const client = openConnection(port, 10_000);
  client.socket.write(`POST /scim/v2/Users HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${BOOTSTRAP}\r\n`
    + 'Content-Type: application/scim+json\r\nContent-Length: 1000\r\n\r\n{"userName":');
  await new Promise((settle) => setTimeout(settle, 200));
  const signalled = Date.now();
  roster.child.kill('SIGTERM');

  const exit = await roster.exited;
  expect(exit.code).toBe(0);
  expect(Date.now() - signalled).toBeLessThan(5000);
  const lifecycle = exit.stdout.trim().split('\n')
    .map((line) => JSON.parse(line) as { message: string; forcedClose?: boolean })
    .filter((line) => line.message.startsWith('Roster'));
  expect(lifecycle.map((line) => line.message)).toEqual(['Roster is serving SCIM', 'Roster is stopping', 'Roster stopped']);
  expect(lifecycle[2].forcedClose).toBe(true);
  expect(exit.stderr).toBe('');
  await client.closed;
}, 20_000);

it('a port in use: one line, a non-zero exit, and no claim to be serving', async () => {
  const taken = await occupiedPort();
  try {
    const exit = await spawnRoster(compiled, 'src/main.js', env({ PORT: String(taken.port) })).exited;
    expect(exit.stderr).toBe(`Roster cannot start: port ${taken.port} is in use\n`);
    expect(exit.code).toBe(1);
    expect(exit.stdout).not.toContain('serving');
  } finally {
    taken.server.close();
  }
}, 20_000);

it('SQLITE_PATH under /proc (this hung for ever): one line naming it, exit 1', async () => {
  const exit = await spawnRoster(compiled, 'src/main.js', env({ SQLITE_PATH: '/proc/roster/roster.db' })).exited;
  expect(exit.stderr).toMatch(ONE_LINE);
  expect(exit.stderr).toMatch(/^Roster cannot start: SQLITE_PATH=\/proc\/roster\/roster\.db cannot be opened: its directory \/proc\/roster cannot be created/);
  expect(exit.code).toBe(1);
}, 20_000);

it('the CLI refuses a SQLITE_PATH that is a directory with the same one line, exit 1', async () => {
  mkdirSync(join(dir, 'a-directory'));
  const exit = await spawnRoster(compiled, 'src/cli/main.js', env({ SQLITE_PATH: join(dir, 'a-directory') }), ['tokens', 'list']).exited;
  expect(exit.stderr).toBe(`SQLITE_PATH=${join(dir, 'a-directory')} cannot be opened: it is a directory\n`);
  expect(exit.code).toBe(1);
}, 20_000);

describe('the CLI with tenants, as operators run it', () => {
  const cli = (args: string[]) => spawnRoster(compiled, 'src/cli/main.js', env({ SQLITE_PATH: join(dir, 'cli.db') }), args).exited;

  it('creates a tenant and a token of it, printing the secret once, exit 0', async () => {
    const created = await cli(['tenants', 'create', 'acme', '--name', 'Acme Corp']);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toMatch(/^Created tenant acme \(Acme Corp\)/);
    const token = await cli(['tokens', 'create', '--tenant', 'acme', '--name', 'okta']);
    expect(token).toMatchObject({ code: 0, stderr: '' });
    expect(token.stdout).toMatch(/service token of tenant acme/);
    expect(token.stdout.split('\n').filter((l) => /^roster_\S+$/.test(l))).toHaveLength(1);
    expect((await cli(['tenants', 'list'])).stdout).toMatch(/^acme {2}"Acme Corp"/m);
  }, 30_000);

  it.each([
    ['an unknown tenant', ['tokens', 'create', '--tenant', 'nope', '--name', 'x'], /"nope"/],
    ['--tenant with --operator', ['tokens', 'list', '--tenant', 'acme', '--operator'], /--tenant or --operator/],
    ['a bad tenant id', ['tenants', 'create', 'Not_An_Id'], /lowercase letters, digits and "-"/],
  ])('refuses %s with one line on stderr and exit 2', async (_label, args, message) => {
    const exit = await cli(args);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toMatch(ONE_LINE);
    expect(exit.stderr).toMatch(message);
  }, 20_000);

  it.each([[['--help']], [['-h']], [['help']], [['tokens', '--help']]])('%j prints the usage on stdout and exits 0, opening no store', async (args) => {
    const exit = await spawnRoster(compiled, 'src/cli/main.js', env({ SQLITE_PATH: join(dir, 'never', 'created.db') }), args).exited;
    expect(exit).toMatchObject({ code: 0, stderr: '' });
    expect(exit.stdout).toMatch(/^Usage: roster <command>/);
    expect(exit.stdout).toMatch(/users deleted/);
    expect(exit.stdout).toMatch(/clients create --name <name>/);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  }, 20_000);

  it('prints the usage on stderr with no command at all: exit 2', async () => {
    const exit = await cli([]);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toMatch(/^Usage: roster <command>/);
  }, 20_000);

  it('prints the usage, tenants included, for an unknown command: exit 2', async () => {
    const exit = await cli(['frobnicate']);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toMatch(/^Unknown command "frobnicate"/);
    expect(exit.stderr).toMatch(/tenants create <id>/);
    expect(exit.stderr).toMatch(/--tenant <id>/);
  }, 20_000);
});

function occupiedPort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  return new Promise((listening) => server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    listening({ server, port: typeof address === 'object' && address ? address.port : 0 });
  }));
}
