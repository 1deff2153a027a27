/**
 * `npm run conformance [-- <collection.json>]`: runs Microsoft's SCIM Postman collection with newman
 * against a fresh Roster. The server listens on a random free port on 127.0.0.1, on a temporary
 * SQLite store (the collection asserts exact totalResults, so the store must start empty), with a
 * new service token made by the real Tokens class. Newman's summary is printed; the server is then
 * stopped and the store deleted. Exit status: 0 when every assertion passed, 1 when any failed (or
 * a request could not be sent), 2 when the collection file is missing or cannot be read.
 *
 * With `--tenant <id>` the run is against that tenant's URL ({SCIM_BASE_PATH}/tenants/{id}, a
 * tenant created for the run, with its own service token) instead of the built-in tenant's.
 *
 * The collection defaults to ../shared/conformance/microsoft/scim-tests.postman_collection.json
 * beside the repository. See /work/shared/conformance/README.md and docs/conformance.md.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { loadConfig } from '../src/config/config';
import { SYSTEM_JOURNAL } from '../src/app/journals';
import { isTenantId, TENANT_ID_RULE } from '../src/domain/tenancy';
import { assemble } from '../src/main';
import { createLogger } from '../src/logger';
import { loadSchemaRegistry } from '../src/scim/schema/registry';
import { DEFAULT_TENANT_ID, type Store } from '../src/store/port';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store';

/** The repository root, from scripts/ (ts) and dist-scripts/scripts/ (compiled) alike. */
const REPO_ROOT = existsSync(join(__dirname, '..', 'package.json')) ? resolve(__dirname, '..') : resolve(__dirname, '..', '..');
const DEFAULT_COLLECTION = resolve(REPO_ROOT, '..', 'shared', 'conformance', 'microsoft', 'scim-tests.postman_collection.json');

/**
 * The folders the shared README says to run, in the collection's order. "Get Token" is left out:
 * it calls a /Token endpoint only Microsoft's sample server has, and overwrites `token`.
 */
const FOLDERS = [
  'Endpoint tests',
  'User tests',
  'Group tests',
  'ComplexAttribute tests',
  'User tests with garbage',
  'Group tests with garbage',
  'Teardown garbage',
];

/** The little of newman's library API used here (newman ships no type declarations). */
interface NewmanSummary {
  readonly run: {
    readonly stats: Record<'requests' | 'assertions' | 'testScripts' | 'prerequestScripts', { readonly total: number; readonly failed: number }>;
    readonly failures: readonly unknown[];
    readonly error?: unknown;
  };
}
interface NewmanOptions {
  readonly collection: object;
  readonly envVar: readonly { key: string; value: string }[];
  readonly folder: readonly string[];
  readonly reporters: readonly string[];
  readonly timeoutRequest: number;
}
interface Newman {
  run(options: NewmanOptions, callback: (error: Error | null, summary: NewmanSummary) => void): unknown;
}

class Usage extends Error {}

const USAGE = 'Usage: npm run conformance [-- [--tenant <id>] <collection.json>]';

/** `--tenant <id>`: the tenant to run against (the built-in one when absent). */
function tenantOf(args: readonly string[]): string {
  const index = args.indexOf('--tenant');
  if (index < 0) return DEFAULT_TENANT_ID;
  const id = args[index + 1];
  if (!isTenantId(id)) throw new Usage(`${USAGE} (--tenant takes a tenant id: ${TENANT_ID_RULE})`);
  return id;
}

function collectionPath(args: readonly string[]): string {
  const tenantAt = args.indexOf('--tenant');
  const given = args.filter((a, i) => a !== '--' && (tenantAt < 0 || (i !== tenantAt && i !== tenantAt + 1)));
  if (given.some((a) => a.startsWith('-'))) throw new Usage(`${USAGE} (unknown option ${given.find((a) => a.startsWith('-'))})`);
  if (given.length > 1) throw new Usage(`${USAGE} (one collection at a time)`);
  if (given.length === 0) return DEFAULT_COLLECTION;
  // npm runs scripts from the package root; a relative path means relative to where npm was run.
  return isAbsolute(given[0]) ? given[0] : resolve(process.env.INIT_CWD ?? process.cwd(), given[0]);
}

function readCollection(file: string): object {
  if (!existsSync(file)) throw new Usage(`Conformance collection not found: ${file} (pass its path: npm run conformance -- <collection.json>)`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as object;
  } catch (error) {
    throw new Usage(`Conformance collection ${file} cannot be read as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

interface Running {
  readonly port: number;
  readonly token: string;
  readonly basePath: string;
  stop(): Promise<void>;
}

/** A fresh Roster on a temporary SQLite store, on a free port of 127.0.0.1. */
async function startRoster(tenantId: string): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'roster-conformance-'));
  let store: Store | undefined;
  let server: Server | undefined;
  const stop = async () => {
    if (server) {
      const closing = server;
      server = undefined;
      await new Promise<void>((done) => {
        closing.close(() => done());
        closing.closeAllConnections();
      });
    }
    if (store) {
      const closing = store;
      store = undefined;
      await closing.close();
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // Only what this run needs: nothing from the caller's environment but LOG_LEVEL (default silent,
    // so newman's report is not interleaved with request logs).
    const config = loadConfig({ SQLITE_PATH: join(dir, 'roster.db'), LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' });
    store = openSqliteStore(config.sqlitePath);
    if (tenantId !== DEFAULT_TENANT_ID) await store.tenants.create({ id: tenantId, name: `Conformance (${tenantId})`, settings: {} }, SYSTEM_JOURNAL);
    const { application, app } = assemble({ config, store, registry: loadSchemaRegistry(join(REPO_ROOT, 'schemas')), logger: createLogger(config.logLevel) });
    const directory = await application.enter({ kind: 'operator', tokenId: 'conformance', tokenName: 'conformance' }, tenantId, 'conformance');
    const { secret } = await directory.tokens.create('conformance');
    const basePath = tenantId === DEFAULT_TENANT_ID ? config.basePath : `${config.basePath}/tenants/${tenantId}`;
    const listening = app.listen(0, '127.0.0.1');
    server = listening;
    await new Promise<void>((done, fail) => {
      listening.once('listening', () => done());
      listening.once('error', fail);
    });
    return { port: (listening.address() as AddressInfo).port, token: secret, basePath, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function runNewman(collection: object, roster: Running): Promise<NewmanSummary> {
  const newman = require('newman') as Newman;
  const envVar = [
    { key: 'Protocol', value: 'http' },
    { key: 'Server', value: '127.0.0.1' },
    { key: 'Port', value: `:${roster.port}` }, // the collection writes {{Server}}{{Port}}: the colon is part of Port
    { key: 'Api', value: roster.basePath.replace(/^\//, '') },
    { key: 'token', value: roster.token },
  ];
  return new Promise((done, fail) => {
    newman.run({ collection, envVar, folder: FOLDERS, reporters: ['cli'], timeoutRequest: 30_000 }, (error, summary) => (error ? fail(error) : done(summary)));
  });
}

async function main(): Promise<number> {
  let collection: object;
  let file: string;
  let tenantId: string;
  try {
    tenantId = tenantOf(process.argv.slice(2));
    file = collectionPath(process.argv.slice(2));
    collection = readCollection(file);
  } catch (error) {
    if (error instanceof Usage) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }

  const roster = await startRoster(tenantId);
  // Interrupted (Ctrl-C, a CI timeout): still stop the server and delete the temporary store.
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => void roster.stop().finally(() => process.exit(code)));
  }
  let summary: NewmanSummary;
  try {
    console.log(`Roster conformance: ${file}`);
    console.log(`Roster on http://127.0.0.1:${roster.port}${roster.basePath} (temporary SQLite store), folders: ${FOLDERS.join(', ')}`);
    summary = await runNewman(collection, roster);
  } finally {
    await roster.stop();
  }

  const { assertions, requests } = summary.run.stats;
  const failed = summary.run.failures.length > 0 || summary.run.error !== undefined || assertions.failed > 0 || requests.failed > 0;
  // One plain closing line, whatever newman printed above it.
  console.log(`conformance: ${assertions.total - assertions.failed} passed, ${assertions.failed} failed`);
  return failed ? 1 : 0;
}

// Exits explicitly: nothing newman may leave scheduled should keep the process alive.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('conformance run failed:', error);
    process.exit(1);
  },
);
