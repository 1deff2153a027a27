import request from 'supertest';
import type { Express } from 'express';
import type { Application } from '../../src/app/application';
import { CLI_PRINCIPAL } from '../../src/cli/cli-context';
import { tenantsCommand } from '../../src/cli/tenants-command';
import { tokensCommand } from '../../src/cli/tokens-command';
import { UsageError } from '../../src/cli/options';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logger';
import { assemble } from '../../src/main';
import { loadSchemaRegistry } from '../../src/scim/schema/registry';
import { DEFAULT_TENANT_ID, type Store } from '../../src/store/port';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import { userBody } from '../support/test-app';
import { journal } from '../support/journal';

/** `tenants create|list|show|delete`: the tenant registry, as an operator on the server's store. */
describe('tenants command', () => {
  let store: Store;
  let application: Application;
  let app: Express;
  let lines: string[];
  const print = (line: string) => void lines.push(line);
  const run = (...args: string[]) => tenantsCommand(application, args, print);
  /** Runs a command and returns what it printed. */
  const output = async (...args: string[]) => {
    lines = [];
    await run(...args);
    return [...lines];
  };
  /** A service token of the tenant, made by `tokens create --tenant`. */
  const tokenOf = async (tenantId: string) => {
    const printed: string[] = [];
    await tokensCommand(application, ['create', '--name', 'idp', '--tenant', tenantId], (line) => void printed.push(line));
    return printed.find((l) => l.startsWith('roster_'))!;
  };

  beforeEach(() => {
    const config = loadConfig({ SQLITE_PATH: ':memory:', LOG_LEVEL: 'silent', RATE_LIMIT_PER_TOKEN: 'off', RATE_LIMIT_AUTH_FAILURES: 'off' });
    store = openSqliteStore(':memory:');
    ({ application, app } = assemble({ config, store, registry: loadSchemaRegistry(), logger: createLogger('silent') }));
    lines = [];
  });
  afterEach(() => store.close());

  describe('create', () => {
    it('creates a tenant with its name and says how to give it a token', async () => {
      const printed = await output('create', 'acme', '--name', 'Acme Corp');
      expect(printed).toEqual(['Created tenant acme (Acme Corp). Give it a token: npm run cli -- tokens create --tenant acme --name <name>']);
      expect(await store.tenants.get('acme')).toMatchObject({ id: 'acme', name: 'Acme Corp', settings: {} });
    });

    it('names the tenant by its id when --name is not given', async () => {
      await run('create', 'globex');
      expect((await store.tenants.get('globex'))!.name).toBe('globex');
    });

    it('accepts --name before the id', async () => {
      await run('create', '--name', 'Acme Corp', 'acme');
      expect((await store.tenants.get('acme'))!.name).toBe('Acme Corp');
    });

    it('makes a tenant that serves at its own URL once it has a token', async () => {
      await run('create', 'acme', '--name', 'Acme');
      const token = await tokenOf('acme');
      const created = await request(app).post('/scim/v2/tenants/acme/Users').set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/scim+json').send(JSON.stringify(userBody('jane')));
      expect(created.status).toBe(201);
    });

    it('refuses an id already taken, naming it, and leaves the tenant as it was', async () => {
      await run('create', 'acme', '--name', 'Acme');
      await expect(run('create', 'acme', '--name', 'Other')).rejects.toThrow(UsageError);
      await expect(run('create', 'acme', '--name', 'Other')).rejects.toThrow(/"acme"/);
      await expect(run('create', DEFAULT_TENANT_ID)).rejects.toThrow(UsageError);
      expect((await store.tenants.get('acme'))!.name).toBe('Acme');
    });

    it.each([
      ['capital letters', 'Acme'],
      ['an underscore', 'acme_corp'],
      ['a leading dash', '-acme'],
      ['a trailing dash', 'acme-'],
      ['a dot', 'acme.corp'],
      ['64 characters', 'a'.repeat(64)],
      ['a space', 'acme corp'],
    ])('refuses an id with %s with a UsageError stating the rule, creating nothing', async (_label, id) => {
      await expect(run('create', id)).rejects.toThrow(UsageError);
      await expect(run('create', id)).rejects.toThrow(/lowercase letters, digits and "-"/);
      expect((await store.tenants.list(0, 10)).items.map((t) => t.id)).toEqual([DEFAULT_TENANT_ID]);
    });

    it.each([['1 character', 'a'], ['63 characters', 'a'.repeat(63)], ['digits and inner dashes', '4-acme-2']])('accepts an id of %s', async (_label, id) => {
      await run('create', id);
      expect(await store.tenants.get(id)).toBeDefined();
    });

    it.each([
      ['no id', ['create']],
      ['--name without a value', ['create', 'acme', '--name']],
      ['an empty --name', ['create', 'acme', '--name', ' ']],
    ])('refuses %s with a UsageError', async (_label, args) => {
      await expect(run(...args)).rejects.toThrow(UsageError);
      expect(await store.tenants.get('acme')).toBeUndefined();
    });
  });

  describe('list', () => {
    it('lists every tenant, the built-in one included, in id order, one line each', async () => {
      await run('create', 'globex', '--name', 'Globex');
      await run('create', 'acme', '--name', 'Acme Corp');
      const printed = await output('list');
      expect(printed).toHaveLength(3);
      expect(printed.map((l) => l.split('  ')[0])).toEqual(['acme', DEFAULT_TENANT_ID, 'globex']);
      expect(printed[0]).toMatch(/^acme {2}"Acme Corp" {2}created \d{4}-\d\d-\d\dT.* {2}active$/);
    });

    it('lists every tenant however many there are (page after page)', async () => {
      const ids = Array.from({ length: 205 }, (_, i) => `t${String(i).padStart(3, '0')}`);
      for (const id of ids) await store.tenants.create({ id, name: id, settings: {} }, journal);
      const printed = await output('list');
      expect(printed.map((l) => l.split('  ')[0])).toEqual([DEFAULT_TENANT_ID, ...ids]);
    });

    it('shows a tenant being deleted as deleting', async () => {
      await run('create', 'leaving');
      await store.tenants.markDeleting('leaving', new Date().toISOString());
      expect((await output('list')).find((l) => l.startsWith('leaving'))).toMatch(/deleting$/);
    });
  });

  describe('show', () => {
    it('prints the tenant as JSON: its own settings and the effective ones', async () => {
      await application.tenants.create(CLI_PRINCIPAL, { id: 'acme', name: 'Acme', settings: { maxRoles: 5, retentionInactiveDays: 'off' } });
      const shown = JSON.parse((await output('show', 'acme')).join('\n'));
      expect(shown).toMatchObject({
        id: 'acme',
        name: 'Acme',
        status: 'active',
        settings: { maxRoles: 5, retentionInactiveDays: 'off' },
        effectiveSettings: {
          maxRoles: 5, usernameImmutable: false, requiredUserAttributes: ['name.givenName', 'name.familyName', 'emails'], usernameFormat: 'any',
          retentionDeletedDays: 30, retentionInactiveDays: 'off',
        },
      });
    });

    it('refuses a tenant that does not exist, or no id, with a UsageError', async () => {
      await expect(run('show', 'nope')).rejects.toThrow(UsageError);
      await expect(run('show', 'nope')).rejects.toThrow(/"nope"/);
      await expect(run('show', 'Not-An-Id')).rejects.toThrow(UsageError);
      await expect(run('show')).rejects.toThrow(UsageError);
    });
  });

  describe('delete', () => {
    beforeEach(() => run('create', 'acme', '--name', 'Acme'));

    it('deletes an empty tenant: its id is free again and its tokens stop working', async () => {
      const token = await tokenOf('acme');
      expect(await output('delete', 'acme')).toEqual(['Deleted tenant acme.']);
      expect(await store.tenants.get('acme')).toBeUndefined();
      expect((await request(app).get('/scim/v2/tenants/acme/Users').set('Authorization', `Bearer ${token}`)).status).toBe(401);
      await run('create', 'acme');
      expect(await store.tenants.get('acme')).toBeDefined();
    });

    it('refuses a tenant that holds users or groups, saying what it holds and to add --force; nothing is removed', async () => {
      const token = await tokenOf('acme');
      const created = await request(app).post('/scim/v2/tenants/acme/Users').set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/scim+json').send(JSON.stringify(userBody('jane')));
      expect(created.status).toBe(201);
      const refusal = run('delete', 'acme');
      await expect(refusal).rejects.toThrow(UsageError);
      await expect(refusal).rejects.toThrow(/holds 1 user\(s\) and 0 group\(s\).*add --force/);
      expect(await store.tenants.get('acme')).toBeDefined();
      expect((await request(app).get(`/scim/v2/tenants/acme/Users/${created.body.id}`).set('Authorization', `Bearer ${token}`)).status).toBe(200);
    });

    it('with --force erases the tenant and everything in it, and no other tenant\'s data', async () => {
      const token = await tokenOf('acme');
      const other = await tokenOf(DEFAULT_TENANT_ID);
      const post = (base: string, secret: string) => request(app).post(`${base}/Users`).set('Authorization', `Bearer ${secret}`)
        .set('Content-Type', 'application/scim+json').send(JSON.stringify(userBody('jane')));
      expect((await post('/scim/v2/tenants/acme', token)).status).toBe(201);
      const kept = await post('/scim/v2', other);
      expect(kept.status).toBe(201);

      expect(await output('delete', 'acme', '--force')).toEqual(['Deleted tenant acme and everything in it.']);
      expect(await store.tenants.get('acme')).toBeUndefined();
      expect(await store.tenant('acme', journal).tokens.list()).toEqual([]);
      expect((await store.tenant('acme', journal).users.list({ offset: 0, limit: 10 })).total).toBe(0);
      expect((await request(app).get(`/scim/v2/Users/${kept.body.id}`).set('Authorization', `Bearer ${other}`)).status).toBe(200);
    });

    it('refuses the built-in tenant "default", even with --force', async () => {
      await expect(run('delete', DEFAULT_TENANT_ID, '--force')).rejects.toThrow(UsageError);
      await expect(run('delete', DEFAULT_TENANT_ID)).rejects.toThrow(/cannot be deleted/);
      expect(await store.tenants.get(DEFAULT_TENANT_ID)).toBeDefined();
    });

    it('refuses a tenant that does not exist, or no id, with a UsageError', async () => {
      await expect(run('delete', 'nope')).rejects.toThrow(/"nope"/);
      await expect(run('delete')).rejects.toThrow(UsageError);
      await expect(run('delete', '--force')).rejects.toThrow(UsageError);
    });
  });

  it.each([['no action', []], ['an unknown action', ['rename', 'acme']]])('refuses %s with a UsageError showing the usage', async (_label, args) => {
    await expect(run(...args)).rejects.toThrow(/Usage: tenants create/);
  });
});
