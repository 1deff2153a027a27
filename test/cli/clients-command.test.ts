import type { Express } from 'express';
import request from 'supertest';
import type { Application } from '../../src/app/application';
import { clientsCommand } from '../../src/cli/clients-command';
import { UsageError } from '../../src/cli/options';
import { loadConfig } from '../../src/config/config';
import { hashSecret } from '../../src/domain/oauth/credentials';
import { createLogger } from '../../src/logger';
import { assemble } from '../../src/main';
import { loadSchemaRegistry } from '../../src/scim/schema/registry';
import { DEFAULT_TENANT_ID, type Store } from '../../src/store/port';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import { journal } from '../support/journal';

const DAY = 86_400_000;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** `clients create|list|add-secret|revoke-secret|delete`: a tenant's OAuth clients, as an operator. */
describe('clients command', () => {
  let store: Store;
  let application: Application;
  /** The HTTP front over the same application, to show what a printed secret does. */
  let app: Express;
  let lines: string[];
  const run = async (...args: string[]) => {
    lines = [];
    await clientsCommand(application, args, (line) => void lines.push(line));
    return [...lines];
  };
  const secretsIn = (output: string[]) => output.filter((l) => /^roster_cs_\S+$/.test(l));
  const clientsOf = (tenantId = DEFAULT_TENANT_ID) => store.tenant(tenantId, journal).clients;
  const tokenStatus = (clientId: string, secret: string) => request(app).post('/oauth/token').type('form')
    .set('Authorization', `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`).send('grant_type=client_credentials').then((r) => r.status);

  beforeEach(async () => {
    const config = loadConfig({ SQLITE_PATH: ':memory:', LOG_LEVEL: 'silent', RATE_LIMIT_PER_TOKEN: 'off', RATE_LIMIT_AUTH_FAILURES: 'off' });
    store = openSqliteStore(':memory:');
    ({ application, app } = assemble({ config, store, registry: loadSchemaRegistry(), logger: createLogger('silent') }));
    await store.tenants.create({ id: 'acme', name: 'Acme', settings: {} }, journal);
  });
  afterEach(() => store.close());

  describe('create', () => {
    it('creates a client in the built-in tenant and prints its id, the token endpoint and the secret exactly once, on a line of its own', async () => {
      const output = await run('create', '--name', 'entra');
      const [secret] = secretsIn(output);
      expect(secretsIn(output)).toHaveLength(1);
      expect(output.join('\n').split(secret)).toHaveLength(2);
      expect(output.join('\n')).toMatch(/shown only this once/);
      expect(output.join('\n')).toMatch(/\/oauth\/token/);
      const [client] = await clientsOf().list();
      expect(output[0]).toContain(client.id);
      const [stored] = await clientsOf().secrets(client.id);
      expect(stored.hash).toBe(hashSecret(secret));
      expect(Date.parse(stored.expires) - Date.parse(stored.created)).toBe(365 * DAY);
      expect(await tokenStatus(client.id, secret)).toBe(200);
    });

    it('takes --expires-in-days and --tenant', async () => {
      await run('create', '--name', 'entra', '--expires-in-days', '30', '--tenant', 'acme');
      expect(await clientsOf().list()).toEqual([]);
      const [client] = await clientsOf('acme').list();
      const [stored] = await clientsOf('acme').secrets(client.id);
      expect(Date.parse(stored.expires) - Date.parse(stored.created)).toBe(30 * DAY);
    });

    it.each<[string[], RegExp]>([
      [['create'], /needs --name/],
      [['create', '--name', 'entra', '--expires-in-days', 'soon'], /whole number of days from 1 to 1095/],
      [['create', '--name', 'entra', '--expires-in-days', '1096'], /from 1 to 1095/],
      [['create', '--name', 'entra', '--tenant', 'nowhere'], /There is no tenant "nowhere"/],
      [['rotate'], /Usage: clients create/],
      [[], /Usage: clients create/],
    ])('%p is a usage error: %p', async (args, message) => {
      await expect(run(...args)).rejects.toThrow(UsageError);
      await expect(run(...args)).rejects.toThrow(message);
    });
  });

  it('list prints each client with its secrets, never a secret', async () => {
    const created = await run('create', '--name', 'entra');
    const output = await run('list');
    const [client] = await clientsOf().list();
    expect(output).toHaveLength(2);
    expect(output[0]).toMatch(new RegExp(`^${client.id}  "entra"  created \\S+  1 active secret$`));
    expect(output[1]).toMatch(/^ {2}secret {2}\S+ {2}created \S+ {2}expires \S+ {2}last used never {2}active$/);
    expect(output.join('\n')).not.toContain(secretsIn(created)[0]);
  });

  it('add-secret prints a second secret once and how to revoke the old one; revoke-secret ends the old one only', async () => {
    const [oldSecret] = secretsIn(await run('create', '--name', 'entra'));
    const [client] = await clientsOf().list();
    const [first] = await clientsOf().secrets(client.id);
    const added = await run('add-secret', client.id, '--expires-in-days', '90');
    const [newSecret] = secretsIn(added);
    expect(secretsIn(added)).toHaveLength(1);
    expect(added.join('\n')).toContain(`clients revoke-secret ${client.id} <secretId>`);

    const revoked = await run('revoke-secret', client.id, first.id);
    expect(revoked).toEqual([`Revoked secret ${first.id} of client ${client.id}: it and the access tokens issued with it no longer work.`]);
    expect(await tokenStatus(client.id, oldSecret)).toBe(401);
    expect(await tokenStatus(client.id, newSecret)).toBe(200);
    expect((await run('list')).join('\n')).toMatch(/revoked \S+/);
  });

  it('delete removes the client: its secret no longer gets tokens', async () => {
    const [secret] = secretsIn(await run('create', '--name', 'entra'));
    const [client] = await clientsOf().list();
    expect(await run('delete', client.id)).toEqual([`Deleted client ${client.id}, its secrets and its access tokens.`]);
    expect(await clientsOf().list()).toEqual([]);
    expect(await tokenStatus(client.id, secret)).toBe(401);
  });

  it.each<[string[], RegExp]>([
    [['add-secret'], /needs the client id/],
    [['add-secret', 'c0ffee00-0000-4000-8000-000000000000'], /No OAuth client has the id/],
    [['revoke-secret', 'c0ffee00-0000-4000-8000-000000000000'], /needs the client id and the secret id/],
    [['revoke-secret', 'c0ffee00-0000-4000-8000-000000000000', 's1'], /has no secret "s1"/],
    [['delete'], /needs the client id/],
    [['delete', 'c0ffee00-0000-4000-8000-000000000000'], /No OAuth client has the id/],
  ])('%p is a usage error: %p', async (args, message) => {
    await expect(run(...args)).rejects.toThrow(message);
    await expect(run(...args)).rejects.toThrow(UsageError);
  });

  it('a client of another tenant is not found without its --tenant', async () => {
    await run('create', '--name', 'entra', '--tenant', 'acme');
    const [client] = await clientsOf('acme').list();
    await expect(run('delete', client.id)).rejects.toThrow(/No OAuth client has the id/);
    expect(await run('delete', client.id, '--tenant', 'acme')).toEqual([expect.stringMatching(UUID)]);
  });
});
