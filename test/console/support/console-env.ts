import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { seededStore, type Seeded } from '../../../bench/seed';
import { syncBootstrap } from '../../../src/app/authenticate';
import type { Application } from '../../../src/app/application';
import { loadConfig } from '../../../src/config/config';
import { listen } from '../../../src/http/server';
import { createLogger } from '../../../src/logger';
import { assemble } from '../../../src/main';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import type { Store } from '../../../src/store/port';
import { openSqliteStore } from '../../../src/store/sqlite/sqlite-store';
import { launchChromium } from './chromium';

/** How many users the console's store holds: enough for the 100,000-member group of issue 14. */
export const SEEDED_USERS = 100_000;

/**
 * One real Roster for the browser specs: the built console, the real HTTP app on a loopback
 * port, over a real SQLite file seeded with 100,000 users and a group of all of them (bench/seed.ts,
 * cached between runs on one machine), and one Chromium.
 */
export interface ConsoleEnv {
  /** The console's URL, e.g. http://127.0.0.1:41234/console/ */
  readonly consoleUrl: string;
  readonly origin: string;
  /** The bootstrap operator token. */
  readonly operatorToken: string;
  readonly store: Store;
  readonly application: Application;
  readonly seeded: Seeded;
  readonly browser: Browser;
  /** A fresh page (its own sessionStorage), its console errors collected in `problems`. */
  newPage(): Promise<Page>;
  /** Console errors and failed requests to other hosts, seen by any page so far. */
  readonly problems: string[];
  close(): Promise<void>;
}

export const OPERATOR_TOKEN = 'console-e2e-operator-token-0123456789abcdef';

/** Builds the console's current source into `dir` (its own folder: parallel runs never share a build). */
function buildConsole(dir: string): string {
  const root = join(__dirname, '..', '..', '..');
  const out = join(dir, 'console');
  execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'console', '--outDir', out, '--emptyOutDir', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' });
  return out;
}

export async function startConsoleEnv(chromiumPath: string): Promise<ConsoleEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'roster-console-'));
  const consoleDirectory = buildConsole(dir);
  const sqlitePath = join(dir, 'roster.db');
  const config = loadConfig({
    SQLITE_PATH: sqlitePath, LOG_LEVEL: 'silent', RATE_LIMIT_PER_TOKEN: 'off', RATE_LIMIT_AUTH_FAILURES: 'off', SCIM_BOOTSTRAP_TOKEN: OPERATOR_TOKEN,
  });
  const registry = loadSchemaRegistry();
  const seedPath = join(dir, 'seed.db');
  const seeded = await quietly(() => seededStore(seedPath, SEEDED_USERS, config, registry));
  copyFileSync(seedPath, sqlitePath);
  rmSync(seedPath, { force: true });
  const store = openSqliteStore(sqlitePath);
  await syncBootstrap(store, OPERATOR_TOKEN);
  const { application, app } = assemble({ config, store, registry, logger: createLogger('silent'), consoleDirectory });
  const server: Server = await listen(app, { requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000, port: 0, host: '127.0.0.1' });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchChromium(chromiumPath);
  const problems: string[] = [];
  return {
    consoleUrl: `${origin}/console/`, origin, operatorToken: OPERATOR_TOKEN, store, application, seeded, browser, problems,
    async newPage() {
      const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
      const page = await context.newPage();
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('request', (request) => {
        if (!request.url().startsWith(origin) && !request.url().startsWith('data:')) problems.push(`request to another host: ${request.url()}`);
      });
      return page;
    },
    async close() {
      await browser.close();
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The seeding's progress lines are for benchmarks; a test run prints only its one summary. */
async function quietly<T>(run: () => Promise<T>): Promise<T> {
  const log = console.log;
  console.log = () => undefined;
  try {
    return await run();
  } finally {
    console.log = log;
  }
}

/** Signs `page` in with `token` and waits for the first signed-in screen. */
export async function signInAs(page: Page, env: ConsoleEnv, token: string): Promise<void> {
  await page.goto(env.consoleUrl);
  await page.getByLabel('Token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}
