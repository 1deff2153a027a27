import { createServer, type Server } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../src/config/config';
import { ListenError } from '../src/http/server';
import { start, type Roster } from '../src/main';

/** Start-up and stop in-process: `start(env)` wires everything from the environment. */
const BOOTSTRAP = 'bootstrap-secret-of-at-least-32-characters';

let dir: string;
let running: Roster | undefined;
const env = (extra: Record<string, string> = {}) =>
  ({ PORT: '0', HOST: '127.0.0.1', SQLITE_PATH: join(dir, 'roster.db'), LOG_LEVEL: 'silent', ...extra });

beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'roster-main-')); });
afterEach(async () => {
  await running?.stop();
  running = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const healthz = (roster: Roster) => fetch(`${roster.url}/healthz`).then((response) => response.status);

it('listens on HOST and announces the port PORT=0 picked; stopping closes the server and the store', async () => {
  running = await start(env());
  expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(running.url).not.toMatch(/:0$/);
  expect(await healthz(running)).toBe(200);
  await running.stop();
  await expect(healthz(running)).rejects.toThrow();
  // SQLite removes its write-ahead log when the last connection closes.
  expect(existsSync(join(dir, 'roster.db-wal'))).toBe(false);
});

it('stops once, however often it is asked', async () => {
  running = await start(env());
  expect(running.stop('first')).toBe(running.stop('second'));
});

it('refuses a port in use with a ListenError naming it', async () => {
  const taken = await occupiedPort();
  try {
    await expect(start(env({ PORT: String(taken.port) }))).rejects.toThrow(new ListenError(`port ${taken.port} is in use`));
  } finally {
    taken.server.close();
  }
});

it('refuses a SQLITE_PATH that cannot be opened with a ConfigError naming the variable, the path and the cause', async () => {
  const sqlitePath = join(dir, 'db');
  mkdirSync(sqlitePath);
  const refusal = start(env({ SQLITE_PATH: sqlitePath }));
  await expect(refusal).rejects.toThrow(ConfigError);
  await expect(refusal).rejects.toThrow(`SQLITE_PATH=${sqlitePath} cannot be opened: it is a directory`);
});

it('names the resolved file too when SQLITE_PATH is relative', async () => {
  mkdirSync(join(dir, 'db'));
  const relativePath = join('.', 'db');
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    await expect(start(env({ SQLITE_PATH: relativePath }))).rejects.toThrow(`SQLITE_PATH=${relativePath} (${join(dir, 'db')}) cannot be opened: it is a directory`);
  } finally {
    process.chdir(cwd);
  }
});

it('accepts SCIM_BOOTSTRAP_TOKEN only while the variable holds it: a start without it retires the secret', async () => {
  const users = (roster: Roster) => fetch(`${roster.url}/scim/v2/Users`, { headers: { Authorization: `Bearer ${BOOTSTRAP}` } }).then((r) => r.status);
  const withToken = await start(env({ SCIM_BOOTSTRAP_TOKEN: BOOTSTRAP }));
  expect(await users(withToken)).toBe(200);
  await withToken.stop();
  running = await start(env());
  expect(await users(running)).toBe(401);
});

it('accepts SCIM_BOOTSTRAP_TOKEN as an operator token: it creates a tenant, gives it a token, and acts in it', async () => {
  running = await start(env({ SCIM_BOOTSTRAP_TOKEN: BOOTSTRAP }));
  const call = (path: string, init: { method?: string; body?: object; token?: string } = {}) => fetch(`${running!.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${init.token ?? BOOTSTRAP}`, 'Content-Type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  expect((await call('/admin/tenants', { method: 'POST', body: { id: 'acme', name: 'Acme' } })).status).toBe(201);
  const issued = await call('/admin/tenants/acme/tokens', { method: 'POST', body: { name: 'okta' } });
  expect(issued.status).toBe(201);
  const { token } = (await issued.json()) as { token: string };
  expect((await call('/scim/v2/tenants/acme/Users')).status).toBe(200);
  expect((await call('/scim/v2/tenants/acme/Users', { token })).status).toBe(200);
  // The tenant's own token works at its URL only.
  expect((await call('/scim/v2/Users', { token })).status).toBe(401);
});

function occupiedPort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  return new Promise((listening) => server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    listening({ server, port: typeof address === 'object' && address ? address.port : 0 });
  }));
}
