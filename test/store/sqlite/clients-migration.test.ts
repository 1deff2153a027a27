import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TENANT_ID, type Credentials, type TenantStore } from '../../../src/store/port';
import { migrations } from '../../../src/store/sqlite/migrations';
import { openDatabase, type Db } from '../../../src/store/sqlite/open-database';
import { openSqliteStore, sqliteTenantStore } from '../../../src/store/sqlite/sqlite-store';
import { sqliteCredentials } from '../../../src/store/sqlite/sqlite-tokens';
import { journal } from '../../support/journal';
import { statementRecorder } from '../../support/sqlite-plans';

/**
 * Migration 7 (clients-migration.ts) on a database file written by the schema before it (6:
 * events): every token survives as it was, none of them an access token; the clients' tables and
 * the access-token indexes are there, and the queries of sqlite-clients.ts use them.
 */
const BEFORE_CLIENTS = 6;
const T0 = '2024-05-01T10:00:00.000Z';
const LATER = '2024-05-02T10:00:00.000Z';

function writeVersionSix(file: string): void {
  const db = new Database(file);
  // As openDatabase runs them: migration 5 rebuilds tables, which foreign keys would cascade into.
  db.pragma('foreign_keys = OFF');
  for (const migration of migrations.slice(0, BEFORE_CLIENTS)) db.exec(migration);
  db.pragma(`user_version = ${BEFORE_CLIENTS}`);
  db.prepare(`INSERT INTO tenants (id, name, created, last_modified, settings) VALUES ('acme', 'Acme', '${T0}', '${T0}', '{}')`).run();
  db.prepare(`INSERT INTO users (seq, tenant_id, id, user_name, user_name_key, active, created, last_modified, version, data)
    VALUES (1, 'default', 'u-alice', 'alice', 'alice', 1, '${T0}', '${T0}', 1, '{"userName":"alice"}')`).run();
  const token = db.prepare(`INSERT INTO tokens (id, tenant_id, name, hash, created, expires, revoked, user_id, bootstrap) VALUES (?, ?, ?, ?, '${T0}', ?, NULL, ?, ?)`);
  token.run('t-boot', null, 'bootstrap', 'h-boot', null, null, 1);
  token.run('t-okta', 'default', 'okta', 'h-okta', T0, null, 0);
  token.run('t-alice', 'default', 'laptop', 'h-alice', null, 'u-alice', 0);
  token.run('t-acme', 'acme', 'okta', 'h-acme', null, null, 0);
  db.close();
}

describe('the clients migration, on a database written by the previous version', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'roster-migrate-clients-'));
    file = join(dir, 'roster.db');
    writeVersionSix(file);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every token as it was, none of them an access token, and adds the clients\' tables and indexes', () => {
    const db = openDatabase(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
      expect(db.prepare('SELECT id, tenant_id, user_id, expires, client_id, secret_id FROM tokens ORDER BY id').all()).toEqual([
        { id: 't-acme', tenant_id: 'acme', user_id: null, expires: null, client_id: null, secret_id: null },
        { id: 't-alice', tenant_id: 'default', user_id: 'u-alice', expires: null, client_id: null, secret_id: null },
        { id: 't-boot', tenant_id: null, user_id: null, expires: null, client_id: null, secret_id: null },
        { id: 't-okta', tenant_id: 'default', user_id: null, expires: T0, client_id: null, secret_id: null },
      ]);
      const indexes = (table: string) => (db.prepare(`SELECT name FROM pragma_index_list('${table}') WHERE origin = 'c' ORDER BY name`).pluck().all());
      expect(indexes('tokens')).toEqual(expect.arrayContaining(['tokens_access_expires', 'tokens_client', 'tokens_secret']));
      expect(indexes('clients')).toEqual(['clients_tenant_id']);
      expect(indexes('client_secrets')).toEqual(['client_secrets_client']);
      expect(db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('leaves a store whose old tokens work and are listed as before, beside new clients and their access tokens', async () => {
    const store = openSqliteStore(file);
    try {
      const tenant = store.tenant(DEFAULT_TENANT_ID, journal);
      expect((await tenant.tokens.list()).map((t) => t.id)).toEqual(['t-okta']);
      expect(await store.credentials.findByHash('h-alice')).toEqual({ id: 't-alice', name: 'laptop', hash: 'h-alice', created: T0, userId: 'u-alice', tenantId: DEFAULT_TENANT_ID });
      // An expired service token is not an access token: the sweep of access tokens leaves it.
      expect(await tenant.clients.purgeAccessTokens(LATER)).toBe(0);
      await tenant.clients.create({ id: 'c-entra', name: 'entra', created: LATER });
      await tenant.clients.addSecret({ id: 's-1', clientId: 'c-entra', hash: 'h-secret', created: LATER, expires: '2025-05-02T10:00:00.000Z' });
      await tenant.tokens.create({ id: 'a-1', name: 'entra', hash: 'h-access', created: LATER, expires: LATER, clientId: 'c-entra', secretId: 's-1' });
      expect((await store.credentials.findClientSecret('h-secret'))?.client).toEqual({ id: 'c-entra', tenantId: DEFAULT_TENANT_ID, name: 'entra', created: LATER });
      expect((await tenant.tokens.list()).map((t) => t.id)).toEqual(['t-okta']);
      expect(await store.credentials.findByHash('h-okta')).toMatchObject({ id: 't-okta' });
    } finally {
      await store.close();
    }
  });
});

describe('the statements of sqlite-clients.ts', () => {
  let dir: string;
  let db: Db;
  const recorder = statementRecorder();
  let tenant: TenantStore;
  let credentials: Credentials;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-clients-plans-'));
    db = openDatabase(join(dir, 'roster.db'), { verbose: recorder.verbose });
    tenant = sqliteTenantStore(db, DEFAULT_TENANT_ID, journal);
    credentials = sqliteCredentials(db);
    await tenant.clients.create({ id: 'c-entra', name: 'entra', created: T0 });
    await tenant.clients.addSecret({ id: 's-1', clientId: 'c-entra', hash: 'h-secret', created: T0, expires: LATER });
    await tenant.tokens.create({ id: 'a-1', name: 'entra', hash: 'h-access', created: T0, expires: LATER, clientId: 'c-entra', secretId: 's-1' });
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The query plan of every statement `run` made on tokens or client secrets (the adapter's, its parameters written in). */
  const plansOf = (run: () => Promise<unknown>) => recorder.plansOf(db, run, /^\s*(SELECT|UPDATE|DELETE)\b.*\b(tokens|client_secrets)\b/is);

  it.each([
    ['finding a secret by its hash', () => credentials.findClientSecret('h-secret'), 'SEARCH s USING INDEX sqlite_autoindex_client_secrets_2 (hash=?)'],
    ['listing a client\'s secrets', () => tenant.clients.secrets('c-entra'), 'SEARCH client_secrets USING INDEX client_secrets_client (tenant_id=? AND client_id=?)'],
    ['revoking a secret\'s access tokens', () => tenant.clients.revokeSecret('c-entra', 's-1', LATER), 'SEARCH tokens USING INDEX tokens_secret (secret_id=?)'],
    ['purging expired access tokens', () => tenant.clients.purgeAccessTokens(LATER), 'SEARCH tokens USING INDEX tokens_access_expires (tenant_id=? AND expires<?)'],
    ['erasing a client\'s access tokens', () => tenant.clients.remove('c-entra'), 'SEARCH tokens USING COVERING INDEX tokens_client (client_id=? AND tenant_id=?)'],
  ])('%s goes through its index', async (_label, run, step) => {
    expect(await plansOf(run)).toContain(step);
  });
});
