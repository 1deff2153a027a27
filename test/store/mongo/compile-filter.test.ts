import { evaluateFilter } from '../../../src/scim/filter/evaluate-filter';
import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import { parseListRequest } from '../../../src/scim/list/list-request';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import type { ResourceType } from '../../../src/scim/schema/definitions';
import { compileFilter, type MongoQuery } from '../../../src/store/mongo/compile-filter';
import { compileSort, cursorPipeline, keysetMatch, pagePipeline, positionOf } from '../../../src/store/mongo/compile-sort';
import type { GroupDocument, UserDocument } from '../../../src/store/mongo/documents';
import { UnsupportedQuery } from '../../../src/store/port';
import {
  allGroupNames, allUserNames, groupFilterCases, groupSortCases, userFilterCases, userSortCases, withIds,
} from '../../support/fixtures/filter-fixtures';
import { aggregate, find, findStock } from './mingo-engine';
import { buildMongoFixtures, fixtureResolver, liveUsers, renderMongoFixtures } from './mongo-fixtures';

const registry = loadSchemaRegistry();
const fixtures = buildMongoFixtures(registry);
const rendered = renderMongoFixtures(fixtures, registry);

/** Sets, in fixture order, so the sides compare whatever order they came in. */
const asSet = (names: readonly string[], all: readonly string[]) => [...new Set(names)].sort((a, b) => all.indexOf(a) - all.indexOf(b));

type Stored = UserDocument | GroupDocument;

/** The two collections, with the condition the store adds to every list query (deleted users are hidden). */
const sides = {
  Users: { type: registry.user, documents: fixtures.users as readonly Stored[], scope: { deletedAt: null }, nameOf: (d: Stored) => String(d.data.userName), all: allUserNames },
  Groups: { type: registry.group, documents: fixtures.groups as readonly Stored[], scope: {}, nameOf: (d: Stored) => String(d.data.displayName), all: allGroupNames },
} as const;

async function compile(type: ResourceType, text: string, resolver = fixtureResolver(fixtures)): Promise<MongoQuery> {
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
      const query = await compileFilter(type, filter, fixtureResolver(fixtures));

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

    it('answers `value eq` on a relation with the cheap id look-ups and the rest with the *Matching ones', async () => {
      const resolver = fixtureResolver(fixtures);
      await compile(registry.user, 'groups.value eq "{{Admins.id}}"', resolver);
      await compile(registry.group, 'members[value eq "{{alice.id}}"]', resolver);
      await compile(registry.user, 'groups.display eq "sales"', resolver);
      await compile(registry.group, 'members pr', resolver);
      expect(resolver.calls).toEqual(['membersOfGroup', 'groupsWithMember', 'membersOfGroupsMatching', 'groupsWithMembersMatching']);
    });

    it('decides meta.resourceType and members.type when compiling, without asking the resolver', async () => {
      const resolver = fixtureResolver(fixtures);
      expect(await compile(registry.user, 'meta.resourceType eq "User"', resolver)).toEqual({});
      expect(await compile(registry.user, 'meta.resourceType eq "Group"', resolver)).toEqual({ _id: { $in: [] } });
      expect(await compile(registry.group, 'members.type eq "Group"', resolver)).toEqual({ _id: { $in: [] } });
      expect(resolver.calls).toEqual([]);
    });

    it('refuses what it cannot express as an UnsupportedQuery', async () => {
      await expect(compile(registry.group, 'members.$ref co "Users"')).rejects.toThrow(UnsupportedQuery);
      await expect(compile(registry.user, 'groups.$ref co "Groups"')).rejects.toThrow(/does not support filtering on groups.\$ref/);
      const bare = fixtureResolver(fixtures, { matching: false });
      await expect(compile(registry.user, 'groups pr', bare)).rejects.toMatchObject({ name: 'UnsupportedQuery', part: 'filter' });
      await expect(compile(registry.user, 'groups.value eq "{{Admins.id}}"', bare)).resolves.toEqual({ _id: { $in: [fixtures.ids.users.alice, fixtures.ids.users.grace] } });
    });

    it('returns a fresh query each time, so a caller may extend it', async () => {
      const first = await compile(registry.user, 'meta.resourceType eq "User"');
      first.deletedAt = null;
      expect(await compile(registry.user, 'meta.resourceType eq "User"')).toEqual({});
    });

    it('needs the code-point range operators: stock mingo orders "😀" before "\\ufffd" (UTF-16), MongoDB after', async () => {
      const query = await compile(registry.user, 'nickName gt "\\ufffd"');
      expect(findStock(liveUsers(fixtures), query).map((u) => u.data.userName)).toEqual([]);
      expect(find(liveUsers(fixtures), query).map((u) => u.data.userName)).toEqual(['zed']);
    });
  });
});

describe('long and/or chains in MongoDB queries', () => {
  /** Levels of objects and arrays: BSON refuses documents nested more than 100 deep. */
  const nesting = (value: unknown): number =>
    typeof value === 'object' && value !== null ? 1 + Math.max(0, ...Object.values(value).map(nesting)) : 0;
  const chain = (n: number, term: (i: number) => string, join: string) => Array.from({ length: n }, (_, i) => term(i)).join(join);
  const compileLong = async (text: string) =>
    compileFilter(registry.user, resolveFilter(registry.user, parseFilter(text, { maxTerms: 10_000 })), fixtureResolver(fixtures));

  it('compiles a chain of 2,000 "or" into one flat $or, as shallow as a chain of two', async () => {
    const names = ['alice', 'bob', ...Array.from({ length: 1998 }, (_, i) => `nobody${i}`)];
    const query = await compileLong(names.map((name) => `userName eq "${name}"`).join(' or '));
    expect((query.$or as unknown[]).length).toBe(2000);
    expect(nesting(query)).toBe(nesting(await compile(registry.user, 'userName eq "alice" or userName eq "bob"')));
    expect(select(sides.Users, query)).toEqual(['alice', 'bob']);
  });

  it('keeps "and" inside "or", "not" and value paths exact, at a small depth', async () => {
    const text = `(${chain(1000, (i) => `title ne "t${i}"`, ' and ')}) and not (${chain(1000, (i) => `emails[type eq "x${i}" or value eq "zed${i}"]`, ' or ')}) and emails[${chain(500, (i) => `type ne "t${i}"`, ' and ')}]`;
    const query = await compileLong(text);
    expect(nesting(query)).toBeLessThanOrEqual(12);
    // `ne` holds without a title too, so every user with an email (none is of type "x…") matches.
    expect(select(sides.Users, query)).toEqual(allUserNames.filter((name) => name !== 'dave'));
  });
});

describe('the MongoDB sort compiler, run by mingo over the shared fixtures', () => {
  const run = (side: (typeof sides)[keyof typeof sides], sortBy: string, sortOrder: string, offset: number, limit: number) => {
    const { sort } = parseListRequest(side.type, { sortBy, sortOrder }, 100);
    const pipeline = pagePipeline(side.scope, compileSort(side.type, sort), offset, limit);
    return aggregate(side.documents, pipeline, fixtures.collections);
  };

  describe.each([
    ['Users', userSortCases, sides.Users],
    ['Groups', groupSortCases, sides.Groups],
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
    const names = aggregate(fixtures.users, pagePipeline({ deletedAt: null }, compileSort(registry.user, undefined), 0, 100), fixtures.collections);
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
    expect(compiled.lookup).toBeUndefined();
  });

  it('combines a filter, a sort and a page', async () => {
    const query = await compile(registry.user, 'emails co "example"');
    const { sort } = parseListRequest(registry.user, { sortBy: 'userName', sortOrder: 'descending' }, 100);
    const page = aggregate(fixtures.users, pagePipeline({ $and: [{ deletedAt: null }, query] }, compileSort(registry.user, sort), 1, 3), fixtures.collections);
    expect(page.map((u) => u.data.userName)).toEqual(['zed', 'grace', 'Frank']);
  });

  it('refuses a sort it cannot express, and a zero limit', () => {
    const { sort } = parseListRequest(registry.group, { sortBy: 'members.$ref' }, 100);
    expect(() => compileSort(registry.group, sort)).toThrow(UnsupportedQuery);
    expect(() => pagePipeline({}, compileSort(registry.user, undefined), 0, 0)).toThrow(RangeError);
  });
});
