import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateFilter } from '../../../src/scim/filter/evaluate-filter';
import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import type { ResolvedFilter } from '../../../src/scim/filter/resolved';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { resolveAttribute } from '../../../src/scim/schema/resolve-attribute';
import { scimmyValidator } from '../../../src/scim/schema/scimmy-validator';
import { parseAttributePath } from '../../../src/scim/path/parse-path';
import { parseListRequest } from '../../../src/scim/list/list-request';
import type { JsonObject } from '../../../src/scim/values/json';
import { DEFAULT_TENANT_ID, type Store, type TenantStore } from '../../../src/store/port';
import { compileFilter } from '../../../src/store/sqlite/compile-filter';
import { groupScope, userScope } from '../../../src/store/sqlite/resource-scopes';
import { openSqliteStore } from '../../../src/store/sqlite/sqlite-store';
import {
  ACCOUNT_URN, allGroupNames, allUserNames, CORE_USER_URN, ENTERPRISE_URN, groupFilterCases, groupSortCases, renderFixtures,
  seedFilterFixtures, userFilterCases, userFixtures, userSortCases, withIds, type FixtureIds,
} from '../../support/fixtures/filter-fixtures';
import { journal } from '../../support/journal';

const registry = loadSchemaRegistry();

/** Sets, in fixture order, so the two sides and the expectation compare whatever order they came in. */
const asSet = (names: readonly string[], all: readonly string[]) => [...new Set(names)].sort((a, b) => all.indexOf(a) - all.indexOf(b));

describe('the SQLite filter compiler, against the in-memory evaluator', () => {
  let dir: string;
  let store: Store;
  let tenant: TenantStore;
  let ids: FixtureIds;
  let rendered: { users: JsonObject[]; groups: JsonObject[] };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-filter-'));
    const file = join(dir, 'roster.db');
    store = openSqliteStore(file);
    // The port always stamps "now"; a second connection gives the fixtures their documented times.
    const db = new Database(file);
    const setTimestamps = (kind: 'user' | 'group', id: string, created: string, lastModified: string) => {
      db.prepare(`UPDATE ${kind === 'user' ? 'users' : 'groups'} SET created = ?, last_modified = ? WHERE id = ?`).run(created, lastModified, id);
    };
    // The same population in another tenant first: a filter that read across tenants would double its totals.
    await store.tenants.create({ id: 'other', name: 'Other', settings: {} }, journal);
    await seedFilterFixtures(store.tenant('other', journal), setTimestamps);
    tenant = store.tenant(DEFAULT_TENANT_ID, journal);
    ids = await seedFilterFixtures(tenant, setTimestamps);
    db.close();
    rendered = await renderFixtures(tenant, registry);
  });

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds every fixture with the timestamps it documents', () => {
    expect(rendered.users.map((u) => u.userName)).toEqual(allUserNames);
    expect(rendered.users.map((u) => (u.meta as JsonObject).created)).toEqual(userFixtures.map((u) => u.created));
    expect(rendered.users.map((u) => (u.meta as JsonObject).lastModified)).toEqual(userFixtures.map((u) => u.lastModified));
    expect(rendered.groups.map((g) => g.displayName)).toEqual(allGroupNames);
  });

  it('uses user data exactly as the User validator would store it (plus the read-only timestamps the account rules add)', () => {
    const validator = scimmyValidator(registry.user);
    const withoutReadOnly = (data: JsonObject): JsonObject => {
      if (!(ACCOUNT_URN in data)) return data;
      const { activatedAt: _a, deactivatedAt: _d, ...account } = data[ACCOUNT_URN] as JsonObject;
      return { ...data, [ACCOUNT_URN]: account };
    };
    for (const { data } of userFixtures) {
      const schemas = [CORE_USER_URN, ...[ENTERPRISE_URN, ACCOUNT_URN].filter((urn) => urn in data)];
      expect(validator.validate({ schemas, ...data })).toEqual(withoutReadOnly(data));
    }
  });

  describe.each([
    ['Users', userFilterCases, () => registry.user, (t: TenantStore) => t.users, () => rendered.users, 'userName', allUserNames],
    ['Groups', groupFilterCases, () => registry.group, (t: TenantStore) => t.groups, () => rendered.groups, 'displayName', allGroupNames],
  ] as const)('%s: store.list and evaluateFilter select the same resources', (_, cases, type, resources, all, nameKey, names) => {
    it.each(cases)('%s', async (text, expected) => {
      const filter = resolveFilter(type(), parseFilter(withIds(text, ids)));

      const page = await resources(tenant).list({ filter, offset: 0, limit: 100 });
      const stored = page.items.map((r) => String(r.data[nameKey]));
      const evaluated = all().filter((r) => evaluateFilter(filter, r)).map((r) => String(r[nameKey]));

      expect({ sqlite: asSet(stored, names), evaluateFilter: asSet(evaluated, names) })
        .toEqual({ sqlite: asSet(expected, names), evaluateFilter: asSet(expected, names) });
      expect(page.total).toBe(expected.length);
    });
  });

  describe.each([
    ['Users', userSortCases, () => registry.user, (t: TenantStore) => t.users, 'userName'],
    ['Groups', groupSortCases, () => registry.group, (t: TenantStore) => t.groups, 'displayName'],
  ] as const)('%s: sortBy orders the whole collection', (_, cases, type, resources, nameKey) => {
    it.each(cases)('sortBy=%s sortOrder=%s', async (sortBy, sortOrder, expected) => {
      const { sort } = parseListRequest(type(), { sortBy, sortOrder }, 100);
      const page = await resources(tenant).list({ sort, offset: 0, limit: 100 });
      expect(page.items.map((r) => r.data[nameKey])).toEqual(expected);
    });

    it.each(cases)('sortBy=%s sortOrder=%s pages without overlap or gaps', async (sortBy, sortOrder, expected) => {
      const { sort } = parseListRequest(type(), { sortBy, sortOrder }, 100);
      const seen: unknown[] = [];
      for (let offset = 0; offset < expected.length; offset += 3) {
        const page = await resources(tenant).list({ sort, offset, limit: 3 });
        expect(page.total).toBe(expected.length);
        seen.push(...page.items.map((r) => r.data[nameKey]));
      }
      expect(seen).toEqual(expected);
    });
  });

  it('combines a filter, a sort and a page', async () => {
    const filter = resolveFilter(registry.user, parseFilter('emails co "example"'));
    const { sort } = parseListRequest(registry.user, { sortBy: 'userName', sortOrder: 'descending' }, 100);
    const page = await tenant.users.list({ filter, sort, offset: 1, limit: 3 });
    expect(page.total).toBe(7);
    // Éva.Núñez, zed, grace, Frank, CAROL, bob, alice: dave has no email at all.
    expect(page.items.map((u) => u.data.userName)).toEqual(['zed', 'grace', 'Frank']);
  });

  it('answers a count-only query (limit 0) with the total and no rows', async () => {
    const filter = resolveFilter(registry.user, parseFilter('active eq true'));
    expect(await tenant.users.list({ filter, offset: 0, limit: 0 })).toEqual({ total: 4, items: [] });
  });

  describe('compiled SQL', () => {
    const compileUsers = (text: string) => compileFilter(resolveFilter(registry.user, parseFilter(text)), userScope);

    it('binds every value as a parameter, never as SQL text', async () => {
      const hostile = `x' OR 1=1 OR 'a'='a`;
      const clause = compileUsers(`userName eq ${JSON.stringify(hostile)} or title co ${JSON.stringify(hostile)}`);
      expect(clause.sql).not.toContain('1=1');
      expect(clause.params).toEqual([hostile.toLowerCase(), hostile.toLowerCase()]);
      const filter = resolveFilter(registry.user, parseFilter(`userName eq ${JSON.stringify(hostile)}`));
      expect((await tenant.users.list({ filter, offset: 0, limit: 100 })).total).toBe(0);
    });

    it('binds parameters in the order their placeholders appear', () => {
      const clause = compileUsers('userName sw "b" and (externalId eq "EXT-003" or active eq true)');
      expect(clause.params).toEqual(['b', 'c', 'EXT-003', 1]);
      expect(clause.sql.split('?').length - 1).toBe(clause.params.length);
    });

    it('folds the value of a case-insensitive attribute and keeps a caseExact one as written', () => {
      expect(compileUsers('userName eq "MiXeD"').params).toEqual(['mixed']);
      expect(compileUsers('externalId eq "MiXeD"').params).toEqual(['MiXeD']);
      expect(compileUsers('id eq "MiXeD"').params).toEqual(['MiXeD']);
    });

    it('reads promoted attributes from their indexed columns rather than the JSON document', () => {
      expect(compileUsers('userName eq "a"').sql).toContain('t.user_name_key');
      expect(compileUsers('emails.value eq "a"').sql).toContain('ue.value_key');
      expect(compileUsers('meta.lastModified gt "2020-01-01"').sql).toContain('t.last_modified');
    });

    it('refuses, as an unsupported query, an attribute the store keeps nowhere', () => {
      const filter = resolveFilter(registry.group, parseFilter('members.$ref co "Users"'));
      expect(() => compileFilter(filter, groupScope)).toThrow(/does not support/);
    });
  });

  it('has a row for every operator and every connective', () => {
    const used = new Set<string>();
    const walk = (f: ResolvedFilter) => {
      used.add(f.kind === 'compare' ? f.op : f.kind);
      if (f.kind === 'and' || f.kind === 'or') { walk(f.left); walk(f.right); }
      if (f.kind === 'not' || f.kind === 'valuePath') walk(f.filter);
    };
    for (const [text] of userFilterCases) walk(resolveFilter(registry.user, parseFilter(withIds(text, ids))));
    expect([...used].sort()).toEqual(['and', 'co', 'eq', 'ew', 'ge', 'gt', 'le', 'lt', 'ne', 'not', 'or', 'present', 'sw', 'valuePath'].sort());
  });

  it('sorts by the attribute resolveAttribute finds, whatever case sortBy is written in', async () => {
    const attribute = resolveAttribute(registry.user, parseAttributePath('NAME.FAMILYNAME'))!;
    const page = await tenant.users.list({ sort: { attribute, descending: false }, offset: 0, limit: 1 });
    expect(page.items.map((u) => u.data.userName)).toEqual(['grace']);
  });
});

describe('pages of a filter on a multi-valued attribute, where a resource has several matching values', () => {
  let dir: string;
  let store: Store;
  let tenant: TenantStore;
  const NAMES = ['bravo', 'Alpha', 'charlie', 'delta', 'Echo', 'foxtrot', 'Golf'];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-filter-pages-'));
    store = openSqliteStore(join(dir, 'roster.db'));
    tenant = store.tenant(DEFAULT_TENANT_ID, journal);
    for (const userName of NAMES) {
      // Two matching values each (but foxtrot): a resource must take one place in the page, not one per value.
      const two = userName === 'foxtrot' ? [] : [`555-${userName}`, `555-${userName}-2`];
      await tenant.users.create({ data: { userName, name: { givenName: userName, familyName: userName }, phoneNumbers: two.map((value) => ({ value })), emails: two.map((value) => ({ value: `${value}@example.com` })) } });
    }
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    'phoneNumbers.value co "555"',
    'phoneNumbers[value sw "555"]',
    'emails.value co "555"',
    'emails[value co "555"]',
    'name pr and userName ne "foxtrot"',
  ])('%s, sorted by userName in pages of 4: every user once', async (filter) => {
    const sort = parseListRequest(registry.user, { sortBy: 'userName' }, 4).sort;
    const page = (offset: number) => tenant.users.list({ offset, limit: 4, sort, filter: resolveFilter(registry.user, parseFilter(filter)) });
    const [first, second] = [await page(0), await page(4)];
    expect([first.total, second.total]).toEqual([6, 6]);
    expect([...first.items, ...second.items].map((u) => u.data.userName)).toEqual(['Alpha', 'bravo', 'charlie', 'delta', 'Echo', 'Golf']);
  });
});
