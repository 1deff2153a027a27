import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateFilter } from '../../../src/scim/filter/evaluate-filter';
import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import type { JsonObject } from '../../../src/scim/values/json';
import { DEFAULT_TENANT_ID, type TenantStore } from '../../../src/store/port';
import { compileFilter } from '../../../src/store/sqlite/compile-filter';
import { migrations } from '../../../src/store/sqlite/migrations';
import { openDatabase, type Db } from '../../../src/store/sqlite/open-database';
import { groupScope, userScope } from '../../../src/store/sqlite/resource-scopes';
import { sqliteTenantStore } from '../../../src/store/sqlite/sqlite-store';
import { sqliteTenants } from '../../../src/store/sqlite/sqlite-tenants';
import { eraseTenantData } from '../../../src/store/sqlite/tenant-erase';
import { journal } from '../../support/journal';
import { statementRecorder } from '../../support/sqlite-plans';

/**
 * Substring search (co, sw, ew) through the trigram indexes of search-migration.ts: the same
 * answers as the in-memory evaluator for every attribute, operator and operand (the index only
 * narrows what the exact comparison then decides), served by the index where it can be, and kept
 * by every write.
 */
const registry = loadSchemaRegistry();
const KELVIN = '\u212A';

/** Values that differ between folding rules, and text that means something to FTS5's query syntax. */
const users: JsonObject[] = [
  { userName: 'Ämter.Schmidt', displayName: 'ÄMTER Office', name: { givenName: 'Jürgen', familyName: 'Straße', formatted: 'Jürgen Straße' }, emails: [{ value: 'Ämter@Example.com' }] },
  { userName: 'smİth', displayName: 'Smİth Co', name: { givenName: `${KELVIN}ate`, familyName: 'Smİth', formatted: `${KELVIN}ate Smİth` }, emails: [{ value: 'SMİTH@example.org' }] },
  { userName: 'odos', displayName: 'ΟΔΟΣ', name: { givenName: 'Σοφία', familyName: 'ΟΔΟΣ', formatted: 'ΑΣΑ ΟΔΟΣ' }, emails: [{ value: 'odos@ex.gr' }] },
  { userName: 'quote"r', displayName: 'Say "Hi"', name: { givenName: 'a*b', familyName: 'O"Brien', formatted: 'NEAR AND OR ^ab' }, emails: [{ value: '"q"@x.com' }, { value: 'second@x.com' }] },
  { userName: 'emoji😀😀x', displayName: '中文字 team', name: { givenName: '中文字', familyName: '😀😀x' }, emails: [{ value: '中文字@example.com' }] },
  { userName: 'plain' },
  { userName: 'KATE', displayName: 'kate', name: { givenName: 'Nick', familyName: 'KATE smith' }, emails: [{ value: 'nick@example.com' }, { value: 'NICK@work.example.com' }] },
];

const operands = [
  'x', 'mt', 'th', 'ämt', 'ÄMTER', 'smi', 'SMİ', 'mİt', 'kat', 'KATE', 'ate', 'δος', 'ΟΔΟΣ', 'ασα', 'σα ',
  '😀😀x', '😀x', '"hi"', '"q"', 'a*b', '^ab', 'NEAR', 'and or', '.com', '@ex', '中文字', '文字', 'aße', 'straße', 'r"', 'nobody',
];
const userAttributes = ['userName', 'displayName', 'name.givenName', 'name.familyName', 'name.formatted', 'emails.value'];
const ops = ['co', 'sw', 'ew'];
const quoted = (operand: string) => JSON.stringify(operand);

describe('substring search through the trigram indexes', () => {
  let dir: string;
  let db: Db;
  let tenant: TenantStore;
  const recorder = statementRecorder();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-search-'));
    db = openDatabase(join(dir, 'roster.db'), { verbose: recorder.verbose });
    await sqliteTenants(db).create({ id: 'other', name: 'Other', settings: {} }, journal);
    // The same users in another tenant: the indexes hold every tenant's rows, a list only its own.
    for (const id of ['other', DEFAULT_TENANT_ID]) {
      const store = sqliteTenantStore(db, id, journal);
      for (const data of users) await store.users.create({ data });
      for (const displayName of ['Ämter', 'ΟΔΟΣ team', 'smİth fans', 'Say "Hi"', '中文字']) await store.groups.create({ displayName }, []);
    }
    tenant = sqliteTenantStore(db, DEFAULT_TENANT_ID, journal);
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const userNamesOf = async (filter: string) =>
    (await tenant.users.list({ offset: 0, limit: 100, filter: resolveFilter(registry.user, parseFilter(filter)) })).items.map((u) => String(u.data.userName));
  const expectedUsers = (filter: string) => {
    const resolved = resolveFilter(registry.user, parseFilter(filter));
    return users.filter((data) => evaluateFilter(resolved, data)).map((data) => String(data.userName));
  };

  describe.each(userAttributes.flatMap((attribute) => ops.map((op) => [attribute, op])))('%s %s', (attribute, op) => {
    it.each([
      ['alone', (term: string) => term],
      ['under not', (term: string) => `not (${term})`],
      ['in an or', (term: string) => `${term} or userName eq "plain"`],
    ])('finds what the in-memory evaluator finds, %s, for operands of every length and alphabet', async (_form, shape) => {
      const mismatches: string[] = [];
      for (const operand of operands) {
        const filter = shape(`${attribute} ${op} ${quoted(operand)}`);
        const [found, expected] = [await userNamesOf(filter), expectedUsers(filter)];
        if (JSON.stringify(found) !== JSON.stringify(expected)) mismatches.push(`${filter}: found ${JSON.stringify(found)}, expected ${JSON.stringify(expected)}`);
      }
      expect(mismatches).toEqual([]);
    });
  });

  /** The console's free-text search (console/src/api/user-search.ts): one operand over names and emails. */
  const consoleSearch = (operand: string) => userAttributes.map((attribute) => `${attribute} co ${quoted(operand)}`).join(' or ');

  it.each([
    ['the console\'s search', (operand: string) => consoleSearch(operand)],
    ['two terms', (operand: string) => `userName co ${quoted(operand)} or name.familyName co ${quoted(operand)}`],
    ['the search and an exact term', (operand: string) => `(${consoleSearch(operand)}) and not (userName eq "plain")`],
    ['an or with a term no index narrows', (operand: string) => `name.familyName co ${quoted(operand)} or title eq "x"`],
    ['an or of and-terms', (operand: string) => `(userName co ${quoted(operand)} and active eq true) or (emails.value ew ${quoted(operand)} and userName pr)`],
    ['under not', (operand: string) => `not (${consoleSearch(operand)})`],
  ])('finds what the in-memory evaluator finds for an or of searches: %s', async (_form, shape) => {
    const mismatches: string[] = [];
    for (const operand of operands) {
      const filter = shape(operand);
      const [found, expected] = [await userNamesOf(filter), expectedUsers(filter)];
      if (JSON.stringify(found) !== JSON.stringify(expected)) mismatches.push(`${filter}: found ${JSON.stringify(found)}, expected ${JSON.stringify(expected)}`);
    }
    expect(mismatches).toEqual([]);
  });

  it.each(ops)('finds, inside a value path, what the in-memory evaluator finds: emails[value %s …]', async (op) => {
    for (const operand of operands) {
      for (const filter of [`emails[value ${op} ${quoted(operand)}]`, `emails[value ${op} ${quoted(operand)} and not (value eq "nobody")]`]) {
        expect({ filter, found: await userNamesOf(filter) }).toEqual({ filter, found: expectedUsers(filter) });
      }
    }
  });

  it('compares on populated ground: most index-served searches of the table find someone', () => {
    const served = userAttributes.flatMap((attribute) => operands.filter((o) => [...o].length >= 3).map((o) => expectedUsers(`${attribute} co ${quoted(o)}`)));
    expect(served.filter((found) => found.length > 0).length).toBeGreaterThan(served.length / 4);
  });

  it.each(ops)('finds groups by displayName %s as the in-memory evaluator does', async (op) => {
    const groups = (await tenant.groups.list({ offset: 0, limit: 100 })).items;
    for (const operand of operands) {
      const resolved = resolveFilter(registry.group, parseFilter(`displayName ${op} ${quoted(operand)}`));
      const found = (await tenant.groups.list({ offset: 0, limit: 100, filter: resolved })).items.map((g) => g.data.displayName);
      expect({ operand, found }).toEqual({ operand, found: groups.filter((g) => evaluateFilter(resolved, g.data)).map((g) => g.data.displayName) });
    }
  });

  describe('which comparisons the index narrows', () => {
    const usesIndex = (resource: 'user' | 'group', filter: string) =>
      /_search MATCH/.test(compileFilter(resolveFilter(registry[resource], parseFilter(filter)), resource === 'user' ? userScope : groupScope).sql);

    it.each([
      ['name.familyName co "smi"', true],
      ['name.familyName ew "ith"', true],
      ['name.familyName sw "smi"', true],
      ['name.givenName co "中文字"', true],
      ['emails.value co "@example"', true],
      ['emails[type eq "work" and value co "@example"]', true],
      ['userName ew "ith"', true],
      ['displayName co "team"', true],
      ['not (name.formatted co "near")', true],
      // 1 or 2 characters: no trigram to look up, the list scans (within the list's time budget).
      ['name.familyName co "sm"', false],
      ['emails.value co "x"', false],
      // sw on a folded, indexed column is an index range already.
      ['userName sw "smi"', false],
      ['emails.value sw "smi"', false],
      // Names are indexed with an ASCII folding: a cased non-ASCII letter could be missed, so it scans.
      ['name.familyName co "straße"', false],
      ['name.familyName co "δος"', false],
      // The folded columns are indexed as foldCase folds them: any alphabet.
      ['userName co "straße"', true],
      ['displayName co "δος"', true],
      // Attributes without a search index, and operators that are not substrings.
      ['title co "abc"', false],
      ['userName eq "abc"', false],
    ])('user %s → %s', (filter, expected) => {
      expect(usesIndex('user', filter)).toBe(expected);
    });

    it('narrows a group displayName search', () => {
      expect(usesIndex('group', 'displayName co "team"')).toBe(true);
    });
  });

  /** The query plan of every SELECT `run` made. */
  const plansOf = (run: () => Promise<unknown>) => recorder.plansOf(db, run);

  it.each([
    ['name.familyName co "xyz"', 'user_search'],
    ['emails.value co "xyz"', 'user_email_search'],
    ['emails[value co "xyz"]', 'user_email_search'],
    ['emails[type eq "work" and value ew "xyz"]', 'user_email_search'],
    ['userName ew "xyz"', 'user_search'],
    ['displayName co "xyz"', 'user_search'],
  ])('serves %s from the trigram index: the users it finds, by seq, never every user or email of the tenant', async (filter, index) => {
    const plan = await plansOf(() => userNamesOf(filter));
    expect(plan).toContainEqual(expect.stringMatching(new RegExp(`^SCAN ${index} VIRTUAL TABLE INDEX`)));
    expect(plan).toContainEqual(expect.stringMatching(/^SEARCH t USING .*\(tenant_id=\? AND (rowid|seq)=\?\)$/));
    expect(plan.filter(readsTheTenant)).toEqual([]);
  });

  it('serves the console\'s search (an or over names and emails) from the union of the trigram indexes, never every user', async () => {
    const plan = await plansOf(() => userNamesOf(consoleSearch('xyz')));
    expect(plan).toContainEqual(expect.stringMatching(/^SCAN user_search VIRTUAL TABLE INDEX/));
    expect(plan).toContainEqual(expect.stringMatching(/^SCAN user_email_search VIRTUAL TABLE INDEX/));
    expect(plan.filter(readsTheTenant)).toEqual([]);
  });

  it('serves a group displayName search from the trigram index', async () => {
    const plan = await plansOf(() => tenant.groups.list({ offset: 0, limit: 10, filter: resolveFilter(registry.group, parseFilter('displayName co "xyz"')) }));
    expect(plan).toContainEqual(expect.stringMatching(/^SCAN group_search VIRTUAL TABLE INDEX/));
    expect(plan.filter(readsTheTenant)).toEqual([]);
  });
});

describe('the trigram indexes across writes', () => {
  let dir: string;
  let file: string;
  let db: Db;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-search-writes-'));
    file = join(dir, 'roster.db');
    db = openDatabase(file);
    for (const id of ['kept', 'gone']) await sqliteTenants(db).create({ id, name: id, settings: {} }, journal);
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const store = (tenant = 'kept') => sqliteTenantStore(db, tenant, journal);
  const userNamesOf = async (filter: string, tenant = 'kept') =>
    (await store(tenant).users.list({ offset: 0, limit: 100, filter: resolveFilter(registry.user, parseFilter(filter)) })).items.map((u) => String(u.data.userName));
  /** The rows an index holds with every trigram of `text`, read from the index itself (a list would hide soft-deleted users). */
  const indexed = (table: string, text: string) => {
    const trigrams = [...text].slice(2).map((_, at) => `"${text.slice(at, at + 3)}"`);
    return db.prepare(`SELECT rowid FROM ${table} WHERE ${table} MATCH ?`).pluck().all(trigrams.join(' AND ')) as number[];
  };
  const seqOf = (table: 'users' | 'groups', id: string) => db.prepare(`SELECT seq FROM ${table} WHERE id = ?`).pluck().get(id) as number;

  it('follows an update of the names, the userName and the emails', async () => {
    const user = await store().users.create({ data: { userName: 'quixote', name: { familyName: 'Quixano' }, emails: [{ value: 'knight@mancha.example' }] } });
    expect(await userNamesOf('name.familyName co "xan"')).toEqual(['quixote']);
    await store().users.update(user.id, undefined, { data: { userName: 'panza', name: { familyName: 'Panza' }, emails: [{ value: 'squire@barataria.example' }, { value: 'sancho@mancha.example' }] } });
    expect(await userNamesOf('name.familyName co "xan"')).toEqual([]);
    expect(await userNamesOf('userName ew "ote"')).toEqual([]);
    expect(await userNamesOf('emails.value co "knight"')).toEqual([]);
    expect(await userNamesOf('name.familyName co "anz"')).toEqual(['panza']);
    expect(await userNamesOf('emails.value co "barataria"')).toEqual(['panza']);
    expect(await userNamesOf('emails.value co "sancho"')).toEqual(['panza']);
    expect(indexed('user_search', 'xan')).toEqual([]);
  });

  it('keeps a soft-deleted user indexed (lists hide it), drops it when purged', async () => {
    const user = await store().users.create({ data: { userName: 'rocinante', name: { familyName: 'Horse' }, emails: [{ value: 'rocinante@stable.example' }] } });
    const seq = seqOf('users', user.id);
    await store().users.delete(user.id, undefined);
    expect(await userNamesOf('name.familyName co "ors"')).toEqual([]);
    expect(indexed('user_search', 'ors')).toEqual([seq]);
    await store().users.restore({ id: user.id });
    expect(await userNamesOf('name.familyName co "ors"')).toEqual(['rocinante']);
    await store().users.delete(user.id, undefined);
    await store().users.purgeDeleted(new Date(Date.now() + 60_000).toISOString());
    expect(indexed('user_search', 'ors')).toEqual([]);
    expect(indexed('user_email_search', 'stable')).toEqual([]);
  });

  it('follows a group through create, rename and delete', async () => {
    const group = await store().groups.create({ displayName: 'Knights Errant' }, []);
    expect((await store().groups.list({ offset: 0, limit: 10, filter: resolveFilter(registry.group, parseFilter('displayName co "errant"')) })).total).toBe(1);
    await store().groups.update(group.id, undefined, { data: { displayName: 'Squires' } });
    expect(indexed('group_search', 'errant')).toEqual([]);
    expect(indexed('group_search', 'quire')).toEqual([seqOf('groups', group.id)]);
    await store().groups.delete(group.id, undefined);
    expect(indexed('group_search', 'quire')).toEqual([]);
  });

  it('erases a tenant from the indexes with its rows', async () => {
    await store('gone').users.create({ data: { userName: 'dulcinea', name: { familyName: 'Toboso' }, emails: [{ value: 'dulcinea@toboso.example' }] } });
    await store('gone').groups.create({ displayName: 'Toboso villagers' }, []);
    await eraseTenantData(db, 'gone');
    expect([indexed('user_search', 'obos'), indexed('user_email_search', 'obos'), indexed('group_search', 'obos')]).toEqual([[], [], []]);
  });

  it('is kept by a write from a connection without Roster\'s functions (an operator\'s sqlite3, a test)', async () => {
    await store().users.create({ data: { userName: 'sanson', name: { familyName: 'Carrasco' } } });
    const plain = new Database(file);
    try {
      plain.prepare(`UPDATE users SET data = json_set(data, '$.name.familyName', 'Moon Knight') WHERE user_name_key = 'sanson'`).run();
    } finally {
      plain.close();
    }
    expect(await userNamesOf('name.familyName co "moon"')).toEqual(['sanson']);
    expect(await userNamesOf('name.familyName co "carr"')).toEqual([]);
  });
});

describe('the search migration, on a database written by the previous version', () => {
  const BEFORE_SEARCH = 9;
  const T0 = '2024-05-01T10:00:00.000Z';

  it('indexes the users, emails and groups already there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-migrate-search-'));
    const file = join(dir, 'roster.db');
    try {
      const old = new Database(file);
      old.pragma('foreign_keys = OFF');
      for (const migration of migrations.slice(0, BEFORE_SEARCH)) old.exec(migration);
      old.pragma(`user_version = ${BEFORE_SEARCH}`);
      old.prepare(`INSERT INTO users (seq, tenant_id, id, user_name, user_name_key, display_name_key, created, last_modified, version, data)
        VALUES (1, 'default', 'u-1', 'Ämter', 'ämter', 'office', '${T0}', '${T0}', 1, ?)`).run(JSON.stringify({ userName: 'Ämter', displayName: 'Office', name: { familyName: 'Smİth' }, emails: [{ value: 'Boss@Office.example' }] }));
      old.prepare(`INSERT INTO user_emails (tenant_id, user_seq, value_key, type_key, is_primary, element) VALUES ('default', 1, 'boss@office.example', NULL, 0, '{}')`).run();
      old.prepare(`INSERT INTO groups (seq, tenant_id, id, display_name, display_name_key, created, last_modified, version, data)
        VALUES (1, 'default', 'g-1', 'Back Office', 'back office', '${T0}', '${T0}', 1, '{"displayName":"Back Office"}')`).run();
      old.close();

      const db = openDatabase(file);
      try {
        const tenant = sqliteTenantStore(db, DEFAULT_TENANT_ID, journal);
        const users = async (filter: string) => (await tenant.users.list({ offset: 0, limit: 10, filter: resolveFilter(registry.user, parseFilter(filter)) })).total;
        expect(await users('userName co "MTE"')).toBe(1);
        expect(await users('name.familyName sw "SMİ"')).toBe(1);
        expect(await users('name.familyName co "smi"')).toBe(1);
        expect(await users('emails.value ew "office.example"')).toBe(1);
        expect((await tenant.groups.list({ offset: 0, limit: 10, filter: resolveFilter(registry.group, parseFilter('displayName co "k off"')) })).total).toBe(1);
      } finally {
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the ASCII folding of the names index', () => {
  it('rests on a property of foldCase: every non-ASCII character it produces from another is Cased or a mark', () => {
    const unexpected: string[] = [];
    for (let point = 0; point <= 0x10ffff; point++) {
      if (point >= 0xd800 && point <= 0xdfff) continue;
      const character = String.fromCodePoint(point);
      const folded = character.toLowerCase();
      if (folded === character) continue;
      for (const produced of folded) if (produced > '\x7f' && !/[\p{Cased}\p{M}]/u.test(produced)) unexpected.push(produced);
    }
    expect(unexpected).toEqual([]);
  });

  it('maps the only non-ASCII characters whose foldCase holds an ASCII letter: KELVIN SIGN and İ', () => {
    const toAscii: string[] = [];
    for (let point = 0x80; point <= 0x10ffff; point++) {
      if (point >= 0xd800 && point <= 0xdfff) continue;
      if (/[\0-\x7f]/.test(String.fromCodePoint(point).toLowerCase())) toAscii.push(point.toString(16));
    }
    expect(toAscii).toEqual(['130', '212a']);
  });
});

/** A plan step that reads a table (users, emails, groups) whole, or all of a tenant's rows of it. */
const readsTheTenant = (step: string) => /^SCAN (t|ue)\b/.test(step) || /^SEARCH (t|ue) (EXISTS )?USING .*\(tenant_id=\?\)$/.test(step);
