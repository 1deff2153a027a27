import { evaluateFilter } from '../../../src/scim/filter/evaluate-filter';
import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import { parseListRequest } from '../../../src/scim/list/list-request';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import type { ResourceType } from '../../../src/scim/schema/definitions';
import { compileFilter, type MongoQuery } from '../../../src/store/mongo/compile-filter';
import { compileSort, cursorPipeline, keysetMatch, pagePipeline, positionOf } from '../../../src/store/mongo/compile-sort';
import { LIVE, type GroupDocument, type UserDocument } from '../../../src/store/mongo/documents';
import { UnsupportedQuery } from '../../../src/store/port';
import {
  allGroupNames, allUserNames, groupFilterCases, groupSortCases, userFilterCases, userSortCases, withIds, type SortCase,
} from '../../support/fixtures/filter-fixtures';
import { fixtureRelations, type RecordingRelations } from './fixture-relations';
import { aggregate, find, findStock } from './mingo-engine';
import { buildMongoFixtures, liveUsers, renderMongoFixtures } from './mongo-fixtures';

const registry = loadSchemaRegistry();
const fixtures = buildMongoFixtures(registry);
const rendered = renderMongoFixtures(fixtures, registry);

/** Sets, in fixture order, so the sides compare whatever order they came in. */
const asSet = (names: readonly string[], all: readonly string[]) => [...new Set(names)].sort((a, b) => all.indexOf(a) - all.indexOf(b));

type Stored = UserDocument | GroupDocument;

/** The two collections, with the condition the store adds to every list query (deleted users are hidden). */
const sides = {
  Users: { type: registry.user, documents: fixtures.users as readonly Stored[], scope: LIVE, nameOf: (d: Stored) => String(d.data.userName), all: allUserNames },
  Groups: { type: registry.group, documents: fixtures.groups as readonly Stored[], scope: {}, nameOf: (d: Stored) => String(d.data.displayName), all: allGroupNames },
} as const;

/** The store's own look-ups over the fixture documents (fresh for tests that read its calls). */
let relations: RecordingRelations;
beforeAll(async () => {
  relations = await fixtureRelations(fixtures);
});

async function compile(type: ResourceType, text: string, resolver: RecordingRelations = relations): Promise<MongoQuery> {
  return compileFilter(type, resolveFilter(type, parseFilter(withIds(text, fixtures.ids))), resolver);
}

function select(side: (typeof sides)[keyof typeof sides], query: MongoQuery): string[] {
  return find(side.documents, { $and: [side.scope, query] }).map(side.nameOf);
}

describe('the MongoDB filter compiler, run by mingo over the shared fixtures', () => {
  it('builds every fixture, with a deleted user the list query hides', () => {
    expect(liveUsers(fixtures).map((u) => u.data.userName)).toEqual(allUserNames);
    expect(fixtures.users).toHaveLength(allUserNames.length + 1);
    expect(fixtures.groups.map((g) => g.data.displayName)).toEqual(allGroupNames);
    // Ids contain letters, so the upper-cased {{alice.ID}} really differs from alice's id.
    expect(fixtures.ids.users.alice).toMatch(/[a-f]/);
  });

  describe.each([
    ['Users', userFilterCases, sides.Users, () => rendered.users],
    ['Groups', groupFilterCases, sides.Groups, () => rendered.groups],
  ] as const)('%s: mingo and evaluateFilter select the expected resources', (_, cases, side, all) => {
    it.each(cases)('%s', async (text, expected) => {
      const type = side.type;
      const filter = resolveFilter(type, parseFilter(withIds(text, fixtures.ids)));
      const query = await compileFilter(type, filter, relations);

      const nameKey = type === registry.user ? 'userName' : 'displayName';
      const evaluated = all().filter((r) => evaluateFilter(filter, r)).map((r) => String(r[nameKey]));
      expect({ mongo: asSet(select(side, query), side.all), evaluateFilter: asSet(evaluated, side.all) })
        .toEqual({ mongo: asSet(expected, side.all), evaluateFilter: asSet(expected, side.all) });
      // The query is plain data (no RegExp or functions): what the driver sends is what mingo ran.
      expect(JSON.parse(JSON.stringify(query))).toEqual(query);
    });
  });

  describe('beyond the shared table', () => {
    it.each([
      ['userName co "."', ['Éva.Núñez']],
      ['userName sw ".*"', []],
      ['displayName co "("', []],
      ['title ew "r ii"', ['dave']],
      ['emails.value co "+"', []],
      ['name.familyName ew "\'brien"', ['bob']],
    ])('escapes regex metacharacters: %s', async (text, expected) => {
      expect(select(sides.Users, await compile(registry.user, text))).toEqual(expected);
    });

    it('never counts a deleted user as a member, by id or by any other condition', async () => {
      const ghostId = fixtures.users.find((u) => u.deletedAt)!._id;
      expect(select(sides.Groups, await compile(registry.group, `members.value eq "${ghostId}"`))).toEqual([]);
      expect(select(sides.Groups, await compile(registry.group, 'members[display eq "alice smith" and value pr]'))).toEqual(['Engineering', 'Admins']);
    });

    it('answers `value eq` on a relation with one look-up by id and the rest with bounded look-ups of matching ids', async () => {
      const resolver = await fixtureRelations(fixtures);
      const { Admins } = fixtures.ids.groups;
      expect(await compile(registry.user, 'groups.value eq "{{Admins.ID}}"', resolver)).toEqual({ groupIds: { $eq: Admins } });
      expect(await compile(registry.group, 'members[value eq "{{alice.id}}"]', resolver)).toEqual({ _id: { $in: fixtures.users.find((u) => u._id === fixtures.ids.users.alice)!.groupIds } });
      await compile(registry.user, 'groups.display eq "sales"', resolver);
      await compile(registry.group, 'members pr', resolver);
      expect(resolver.calls.map((call) => call.method)).toEqual(['groupExists', 'groupIdsOfUser', 'groupsMatching', 'groupIdsOfUsersMatching']);
      // Each list look-up is asked for one more id than a query may carry, so too many can be told.
      expect(resolver.calls.slice(2).map((call) => call.args[1])).toEqual([1001, 1001]);
    });

    it('decides meta.resourceType and members.type when compiling, without asking the resolver', async () => {
      const resolver = await fixtureRelations(fixtures);
      expect(await compile(registry.user, 'meta.resourceType eq "User"', resolver)).toEqual({});
      expect(await compile(registry.user, 'meta.resourceType eq "Group"', resolver)).toEqual({ _id: { $in: [] } });
      expect(await compile(registry.group, 'members.type eq "Group"', resolver)).toEqual({ _id: { $in: [] } });
      expect(resolver.calls).toEqual([]);
    });

    it('refuses what it cannot express as an UnsupportedQuery', async () => {
      await expect(compile(registry.group, 'members.$ref co "Users"')).rejects.toThrow(UnsupportedQuery);
      await expect(compile(registry.user, 'groups.$ref co "Groups"')).rejects.toThrow(/does not support filtering on groups.\$ref/);
    });

    it('returns a fresh query each time, so a caller may extend it', async () => {
      const first = await compile(registry.user, 'meta.resourceType eq "User"');
      first.live = true;
      expect(await compile(registry.user, 'meta.resourceType eq "User"')).toEqual({});
    });

    it('needs the code-point range operators: stock mingo orders "😀" before "\\ufffd" (UTF-16), MongoDB after', async () => {
      const query = await compile(registry.user, 'nickName gt "\\ufffd"');
      expect(findStock(liveUsers(fixtures), query).map((u) => u.data.userName)).toEqual([]);
      expect(find(liveUsers(fixtures), query).map((u) => u.data.userName)).toEqual(['zed']);
    });
  });
});

describe('"or" chains: equalities on one field become one $in', () => {
  const ids = () => fixtures.ids;
  /** The names mingo selects with the compiled query and those evaluateFilter selects, which must agree. */
  async function bothSides(type: ResourceType, text: string) {
    const side = type === registry.user ? sides.Users : sides.Groups;
    const filter = resolveFilter(type, parseFilter(withIds(text, ids())));
    const query = await compileFilter(type, filter, relations);
    const nameKey = type === registry.user ? 'userName' : 'displayName';
    const all = type === registry.user ? rendered.users : rendered.groups;
    const evaluated = all.filter((r) => evaluateFilter(filter, r)).map((r) => String(r[nameKey]));
    return { query, mongo: asSet(select(side, query), side.all), evaluateFilter: asSet(evaluated, side.all) };
  }

  it.each([
    ['userName eq "alice" or userName eq "BOB"', { userNameKey: { $in: ['alice', 'bob'] } }],
    ['userName eq "alice" or userName eq "ALICE"', { userNameKey: { $in: ['alice'] } }],
    ['emails.type eq "home" or emails.type eq "Work"', { 'q.emails.type': { $in: ['home', 'work'] } }],
    ['emails[type eq "home" or type eq "other"]', { 'q.emails': { $elemMatch: { type: { $in: ['home', 'other'] } } } }],
    ['active eq true or active pr', { 'q.active': { $in: [true, false] } }],
    ['userName eq "alice" or (displayName eq "zed" or userName eq "dave")', { $or: [{ userNameKey: { $in: ['alice', 'dave'] } }, { 'q.displayName': { $eq: 'zed' } }] }],
  ] as const)('%s', async (text, expected) => {
    const sides = await bothSides(registry.user, text);
    expect(sides.query).toEqual(expected);
    expect(sides.mongo).toEqual(sides.evaluateFilter);
  });

  it('merges ids the same way, and membership conditions on groupIds', async () => {
    const { users, groups } = fixtures.ids;
    expect((await bothSides(registry.user, 'id eq "{{alice.id}}" or id eq "{{bob.id}}"')).query).toEqual({ _id: { $in: [users.alice, users.bob] } });
    const member = await bothSides(registry.user, 'groups.value eq "{{Sales.id}}" or groups.value eq "{{Admins.id}}"');
    expect(member.query).toEqual({ groupIds: { $in: [groups.Sales, groups.Admins] } });
    expect(member.mongo).toEqual(member.evaluateFilter);
    expect(member.mongo).toEqual(['alice', 'CAROL', 'dave', 'grace']);
  });

  it.each([
    'title eq "engineer" or title sw "rear"',
    'name.familyName eq "smith" or name.givenName eq "alice"',
    'userName eq "alice" or not (userName eq "bob")',
  ])('leaves other operands as they are: %s', async (text) => {
    const sides = await bothSides(registry.user, text);
    expect(JSON.stringify(sides.query)).not.toContain('$in');
    expect(sides.mongo).toEqual(sides.evaluateFilter);
  });

  it('never merges a value read with a fallback (a member\'s display is its displayName, else its userName)', async () => {
    const resolver = await fixtureRelations(fixtures);
    const filter = resolveFilter(registry.group, parseFilter('members[display eq "zed" or display eq "dave"]'));
    await compileFilter(registry.group, filter, resolver);
    const [userQuery] = resolver.calls[0].args as [MongoQuery];
    const display = { $eq: 'zed' };
    expect(JSON.stringify(userQuery)).not.toContain('$in');
    expect(JSON.stringify(userQuery)).toContain(JSON.stringify({ $or: [{ 'q.displayName': display }, { 'q.displayName': null, userNameKey: display }] }));
    const both = await bothSides(registry.group, 'members[display eq "zed" or display eq "dave"]');
    expect(both.mongo).toEqual(both.evaluateFilter);
    expect(both.mongo).toEqual(['Sales']);
  });
});

describe('long and/or chains in MongoDB queries', () => {
  /** Levels of objects and arrays: BSON refuses documents nested more than 100 deep. */
  const nesting = (value: unknown): number =>
    typeof value === 'object' && value !== null ? 1 + Math.max(0, ...Object.values(value).map(nesting)) : 0;
  const chain = (n: number, term: (i: number) => string, join: string) => Array.from({ length: n }, (_, i) => term(i)).join(join);
  const compileLong = async (text: string) =>
    compileFilter(registry.user, resolveFilter(registry.user, parseFilter(text, { maxTerms: 10_000 })), relations);

  it('compiles a chain of 2,000 "or" into one flat $or, as shallow as a chain of two', async () => {
    const names = ['alice', 'bob', ...Array.from({ length: 1998 }, (_, i) => `nobody${i}`)];
    const query = await compileLong(names.map((name, i) => (i % 2 ? `userName eq "${name}"` : `displayName eq "${name}"`)).join(' or '));
    expect((query.$or as unknown[]).length).toBe(2);
    expect(nesting(query)).toBe(nesting(await compile(registry.user, 'userName eq "bob" or displayName eq "alice smith" or userName eq "x" or displayName eq "y"')));
    expect(select(sides.Users, query)).toEqual(['bob']);
  });

  it('keeps "and" inside "or", "not" and value paths exact, at a small depth', async () => {
    const text = `(${chain(1000, (i) => `title ne "t${i}"`, ' and ')}) and not (${chain(1000, (i) => `emails[type eq "x${i}" or value eq "zed${i}"]`, ' or ')}) and emails[${chain(500, (i) => `type ne "t${i}"`, ' and ')}]`;
    const query = await compileLong(text);
    expect(nesting(query)).toBeLessThanOrEqual(12);
    // `ne` holds without a title too, so every user with an email (none is of type "x…") matches.
    expect(select(sides.Users, query)).toEqual(allUserNames.filter((name) => name !== 'dave'));
  });
});

/** The sort cases on attributes stored on the resource: the MongoDB store refuses to sort by groups.* / members.*. */
const relationSort = (sortBy: string) => /^(groups|members)(\.|$)/.test(sortBy);
const stored = (cases: readonly SortCase[]) => cases.filter(([sortBy]) => !relationSort(sortBy));

describe('the MongoDB sort compiler, run by mingo over the shared fixtures', () => {
  const run = (side: (typeof sides)[keyof typeof sides], sortBy: string, sortOrder: string, offset: number, limit: number) => {
    const { sort } = parseListRequest(side.type, { sortBy, sortOrder }, 100);
    const pipeline = pagePipeline(side.scope, compileSort(side.type, sort), offset, limit);
    return aggregate(side.documents, pipeline, fixtures.collections);
  };

  describe.each([
    ['Users', stored(userSortCases), sides.Users],
    ['Groups', stored(groupSortCases), sides.Groups],
  ] as const)('%s', (_, cases, side) => {
    it.each(cases)('sortBy=%s sortOrder=%s orders the whole collection', (sortBy, sortOrder, expected) => {
      expect(run(side, sortBy, sortOrder, 0, 100).map(side.nameOf)).toEqual(expected);
    });

    it.each(cases)('sortBy=%s sortOrder=%s pages without overlap or gaps', (sortBy, sortOrder, expected) => {
      const seen: string[] = [];
      for (let offset = 0; offset < expected.length; offset += 3) seen.push(...run(side, sortBy, sortOrder, offset, 3).map(side.nameOf));
      expect(seen).toEqual(expected);
    });

    it.each(cases)('sortBy=%s sortOrder=%s pages by cursor (keyset) without overlap or gaps', (sortBy, sortOrder, expected) => {
      const { sort } = parseListRequest(side.type, { sortBy, sortOrder }, 100);
      const compiled = compileSort(side.type, sort);
      const seen: string[] = [];
      let after: MongoQuery | undefined;
      for (let page = 0; page < expected.length; page++) {
        const documents = aggregate(side.documents, cursorPipeline(side.scope, compiled, after, 2), fixtures.collections);
        seen.push(side.nameOf(documents[0]));
        if (documents.length < 2) break;
        after = keysetMatch(compiled, positionOf(compiled, documents[0] as unknown as Record<string, unknown>));
      }
      expect(seen).toEqual(expected);
    });

    it.each(cases)('sortBy=%s sortOrder=%s returns documents without the helper fields', (sortBy, sortOrder) => {
      for (const document of run(side, sortBy, sortOrder, 0, 100)) {
        expect(Object.keys(document).filter((k) => k.startsWith('_sort'))).toEqual([]);
      }
    });
  });

  it('orders by created, then _id, without a sortBy', () => {
    expect(compileSort(registry.user, undefined)).toEqual({ sort: { created: 1, _id: 1 } });
    const names = aggregate(fixtures.users, pagePipeline(LIVE, compileSort(registry.user, undefined), 0, 100), fixtures.collections);
    expect(names.map((u) => u.data.userName)).toEqual(allUserNames);
  });

  it.each([
    ['User', 'userName', 'descending', { userNameKey: -1 }],
    ['User', 'id', 'ascending', { _id: 1 }],
    ['User', 'meta.created', 'descending', { created: -1, _id: -1 }],
    ['User', 'meta.lastModified', 'ascending', { lastModified: 1, created: 1, _id: 1 }],
    ['Group', 'displayName', 'ascending', { displayNameKey: 1 }],
  ] as const)('sorts %s by %s %s with a plain, index-served sort', (type, sortBy, sortOrder, expected) => {
    const resourceType = type === 'User' ? registry.user : registry.group;
    const { sort } = parseListRequest(resourceType, { sortBy, sortOrder }, 100);
    expect(compileSort(resourceType, sort)).toEqual({ sort: expected });
  });

  it('computes a sort value, missing values last, for any other attribute', () => {
    const { sort } = parseListRequest(registry.user, { sortBy: 'title' }, 100);
    const compiled = compileSort(registry.user, sort);
    expect(compiled.sort).toEqual({ _sortMissing: 1, _sortValue: 1, created: 1, _id: 1 });
    expect(compiled.addFields).toEqual({
      _sortMissing: { $cond: [{ $eq: [{ $ifNull: ['$q.title', null] }, null] }, 1, 0] },
      _sortValue: { $ifNull: ['$q.title', null] },
    });
  });

  it('combines a filter, a sort and a page', async () => {
    const query = await compile(registry.user, 'emails co "example"');
    const { sort } = parseListRequest(registry.user, { sortBy: 'userName', sortOrder: 'descending' }, 100);
    const page = aggregate(fixtures.users, pagePipeline({ $and: [LIVE, query] }, compileSort(registry.user, sort), 1, 3), fixtures.collections);
    expect(page.map((u) => u.data.userName)).toEqual(['zed', 'grace', 'Frank']);
  });

  it('refuses a sort it cannot express, and a zero limit', () => {
    const { sort } = parseListRequest(registry.group, { sortBy: 'members.$ref' }, 100);
    expect(() => compileSort(registry.group, sort)).toThrow(UnsupportedQuery);
    expect(() => pagePipeline({}, compileSort(registry.user, undefined), 0, 0)).toThrow(RangeError);
  });

  it.each([
    ['User', 'groups.display', "sorting by groups.display with the MongoDB store: a user's groups are not stored on the user"],
    // A complex attribute sorts by its value.
    ['User', 'groups', "sorting by groups.value with the MongoDB store: a user's groups"],
    ['User', 'groups.value', 'sorting by groups.value'],
    ['Group', 'members.display', "sorting by members.display with the MongoDB store: a group's members are not stored on the group"],
    ['Group', 'members', 'sorting by members.value with'],
  ] as const)('refuses to sort %s by %s, which would join every matching document with its relation (400 invalidPath)', (type, sortBy, message) => {
    const resourceType = type === 'User' ? registry.user : registry.group;
    const { sort } = parseListRequest(resourceType, { sortBy }, 100);
    expect(() => compileSort(resourceType, sort)).toThrow(expect.objectContaining({ name: 'UnsupportedQuery', part: 'sort', message: expect.stringContaining(message) }));
  });

  it('leaves out of the shared sort cases exactly the relation sorts it refuses', () => {
    expect([...userSortCases, ...groupSortCases].filter(([sortBy]) => relationSort(sortBy)).map(([sortBy]) => sortBy)).toEqual(['groups.display', 'members.display']);
  });
});
