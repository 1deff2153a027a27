import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { loadConfig, type Config } from '../../src/config/config';
import { createLogger } from '../../src/logger';
import { assemble } from '../../src/main';
import { loadSchemaRegistry } from '../../src/scim/schema/registry';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import type { Store } from '../../src/store/port';

/** README "Console": the admin console is static files at CONSOLE_PATH, with headers that keep it to this server. */
describe('the console\'s files (CONSOLE_PATH)', () => {
  let dir: string;
  let build: string;
  const stores: Store[] = [];

  const appWith = (env: Record<string, string> = {}, consoleDirectory = build): Express => {
    const config: Config = loadConfig({ SQLITE_PATH: join(dir, `${stores.length}.db`), LOG_LEVEL: 'silent', ...env });
    const store = openSqliteStore(config.sqlitePath);
    stores.push(store);
    return assemble({ config, store, registry: loadSchemaRegistry(), logger: createLogger('silent'), consoleDirectory }).app;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'roster-console-http-'));
    build = join(dir, 'build');
    mkdirSync(join(build, 'assets'), { recursive: true });
    writeFileSync(join(build, 'index.html'), '<!doctype html><title>Roster console</title><script type="module" src="./assets/index-abc.js"></script>');
    writeFileSync(join(build, 'assets', 'index-abc.js'), 'console.log("console")');
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('redirects /console to /console/, where the page\'s relative asset URLs resolve', async () => {
    const response = await request(appWith()).get('/console');
    expect(response.status).toBe(301);
    expect(response.headers.location).toBe('/console/');
  });

  it('serves the page without a token, revalidated on every load, with headers that allow only this server', async () => {
    const response = await request(appWith()).get('/console/');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.text).toContain('Roster console');
    expect(response.headers['cache-control']).toBe('no-cache');
    const csp = response.headers['content-security-policy'];
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(response.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' });
  });

  it('serves hashed assets as immutable for a year', async () => {
    const response = await request(appWith()).get('/console/assets/index-abc.js');
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toMatch(/max-age=31536000.*immutable/);
  });

  it('answers 404 for a file the build does not have', async () => {
    expect((await request(appWith()).get('/console/assets/missing.js')).status).toBe(404);
    expect((await request(appWith()).get('/console/secret.txt')).status).toBe(404);
  });

  it('says how to build the console when it is not built, instead of a bare 404', async () => {
    const response = await request(appWith({}, join(dir, 'nothing-here'))).get('/console/');
    expect(response.status).toBe(503);
    expect(response.text).toMatch(/npm run build/);
  });

  it('is served at CONSOLE_PATH, and not at all with CONSOLE_ENABLED=false', async () => {
    const moved = appWith({ CONSOLE_PATH: '/ui' });
    expect((await request(moved).get('/ui/')).status).toBe(200);
    expect((await request(moved).get('/console/')).status).toBe(404);
    const off = appWith({ CONSOLE_ENABLED: 'false' });
    expect((await request(off).get('/console/')).status).toBe(404);
    expect((await request(off).get('/console')).status).toBe(404);
  });

  it('adds no privilege: the APIs the page calls still ask for a token', async () => {
    const app = appWith();
    expect((await request(app).get('/admin/whoami')).status).toBe(401);
    expect((await request(app).get('/scim/v2/Users').set('Referer', 'http://localhost/console/')).status).toBe(401);
  });
});
