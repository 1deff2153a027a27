import fc from 'fast-check';
import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { DEFAULT_MAX_TERMS } from '../../../src/scim/filter/term-limit';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import type { ResourceType } from '../../../src/scim/schema/definitions';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import { compileFilter, type MongoQuery, type RelationResolver } from '../../../src/store/mongo/compile-filter';
import { MAX_QUERY_DEPTH, nestingDepth } from '../../../src/store/mongo/query-depth';
import { UnsupportedQuery } from '../../../src/store/port';

const registry = loadSchemaRegistry();

/** A resolver that answers at once and keeps the depth of every query it is handed. */
function depthRecorder() {
  const handed: number[] = [];
  const keep = (query: MongoQuery) => void handed.push(nestingDepth(query));
  const resolver: RelationResolver = {
    groupExists: async () => true,
    groupIdsOfUser: async () => ['g1', 'g2'],
    groupsMatching: async (query) => (keep(query), ['g1']),
    groupIdsOfUsersMatching: async (query) => (keep(query), ['g1']),
  };
  return { resolver, handed };
}

async function compile(type: ResourceType, text: string, resolver = depthRecorder().resolver): Promise<MongoQuery> {
  return compileFilter(type, resolveFilter(type, parseFilter(text)), resolver);
}

const repeat = (n: number, term: (i: number) => string, join: string) => Array.from({ length: n }, (_, i) => term(i)).join(join);
/** `wrap(0, wrap(1, … wrap(n - 1, inner)))`. */
const nest = (n: number, wrap: (i: number, inner: string) => string, inner: string) =>
  Array.from({ length: n }, (_, i) => n - 1 - i).reduce((text, i) => wrap(i, text), inner);

const nots = (n: number, inner: string) => nest(n, (_, text) => `not (${text})`, inner);
/** `a0 and (a1 or (a2 and (…)))`: each parenthesis changes the operator, so no chain can absorb it. */
const alternating = (n: number, term: (i: number) => string, inner: string) =>
  nest(n, (i, text) => `${term(i)} ${i % 2 ? 'or' : 'and'} (${text})`, inner);

const tooDeep = (depth: number) => expect.objectContaining({
  name: 'UnsupportedQuery',
  part: 'filter',
  message: `This server does not support filters nested this deeply: this one becomes a database query ${depth} levels deep and the most is ${MAX_QUERY_DEPTH}; use fewer nested parentheses and "not"`,
});

describe('nesting depth as BSON counts it', () => {
  it('counts every object and every array as a level', () => {
    expect(nestingDepth({})).toBe(1);
    expect(nestingDepth({ a: { $eq: 1 } })).toBe(2);
    expect(nestingDepth({ $or: [{ a: 1 }, { b: { $in: [1, 2] } }] })).toBe(5);
    expect(nestingDepth([[[]]])).toBe(3);
  });
});

describe('worst cases within the term limit: the compiled depth stays small, or the filter is refused', () => {
  it('compiles and/or chains of 100 terms to the depth of a chain of two (a compiler nesting per term would be ~200 deep)', async () => {
    const distinct = ['userName eq "a"', 'displayName co "b"', 'title sw "c"', 'emails.value eq "d"', 'nickName ew "e"'];
    for (const join of [' and ', ' or ']) {
      const depths = await Promise.all([2, 10, DEFAULT_MAX_TERMS].map(async (n) => nestingDepth(await compile(registry.user, repeat(n, (i) => distinct[i % 5].replace('"', `"${i}`), join)))));
      // 4: {$and: [{field: {$op: value}}]}; 5 once an "or" names a field twice (a $in list).
      expect(depths[2]).toBe(depths[1]);
      expect(Math.max(...depths)).toBeLessThanOrEqual(5);
    }
  });

  it.each([
    ['100 equalities on one field: one $in', repeat(100, (i) => `userName eq "u${i}"`, ' or '), 3],
    ['"or" of "and"s by precedence', repeat(50, (i) => `userName eq "u${i}" and title pr`, ' or '), 6],
    ['a chain under "not"', `not (${repeat(100, (i) => `title ne "t${i}"`, ' and ')})`, 8],
    ['a chain inside a value path', `emails[${repeat(100, (i) => (i % 2 ? `type eq "t${i}"` : `value co "${i}"`), ' and ')}]`, 6],
    ['64 parentheses of one operator: one chain', nest(63, (i, text) => `userName eq "u${i}" and (${text})`, 'title pr'), 4],
    ['membership conditions in a chain', repeat(100, (i) => (i % 2 ? `groups.display sw "g${i}"` : `groups.value eq "${i}"`), ' and '), 5],
  ])('%s', async (_, text, depth) => {
    expect(nestingDepth(await compile(registry.user, text))).toBe(depth);
  });

  it('accepts 39 nested "not" (exactly the limit) and refuses 40, and 64, the most the parser allows', async () => {
    expect(nestingDepth(await compile(registry.user, nots(39, 'userName eq "x"')))).toBe(MAX_QUERY_DEPTH);
    await expect(compile(registry.user, nots(40, 'userName eq "x"'))).rejects.toThrow(tooDeep(82));
    await expect(compile(registry.user, nots(64, 'userName eq "x"'))).rejects.toThrow(tooDeep(130));
  });

  it('accepts and/or alternating 38 parentheses deep, and refuses them 64 deep', async () => {
    const term = (i: number) => `title eq "t${i}"`;
    expect(nestingDepth(await compile(registry.user, alternating(38, term, 'userName eq "x"')))).toBeLessThanOrEqual(MAX_QUERY_DEPTH);
    await expect(compile(registry.user, alternating(63, term, 'userName eq "x"'))).rejects.toThrow(UnsupportedQuery);
  });

  it('checks the query over the related documents too, before looking anything up', async () => {
    const deepMembers = `members[value pr and ${alternating(40, (i) => `display eq "m${i}"`, 'type eq "User"')}]`;
    const deepGroups = `groups[value pr and ${alternating(40, (i) => `display eq "g${i}"`, 'type eq "direct"')}]`;
    for (const [type, text] of [[registry.group, deepMembers], [registry.user, deepGroups]] as const) {
      const { resolver, handed } = depthRecorder();
      // The query on the resource is only `{_id | groupIds: {$in: ids}}`: the depth is in the related query.
      await expect(compile(type, text, resolver)).rejects.toMatchObject({ name: 'UnsupportedQuery', part: 'filter', message: expect.stringContaining('nested this deeply') });
      expect(handed).toEqual([]);
    }
  });
});

/**
 * Random filters within the limits the parser keeps (DEFAULT_MAX_TERMS comparisons, 64 levels of
 * parentheses and brackets), as trees, so the property knows how deep each is logically: a chain
 * of one operator is one level however long, `not` and a value path one level each.
 */
type Node =
  | { readonly kind: 'leaf'; readonly text: string }
  | { readonly kind: 'and' | 'or'; readonly operands: readonly Node[] }
  | { readonly kind: 'not'; readonly inner: Node }
  | { readonly kind: 'valuePath'; readonly attribute: string; readonly inner: Node };

interface Vocabulary {
  readonly type: ResourceType;
  readonly leaves: readonly string[];
  readonly valuePaths: Readonly<Record<string, readonly string[]>>;
}

const USERS: Vocabulary = {
  type: registry.user,
  leaves: [
    'userName eq "a"', 'userName sw "B"', 'displayName co "c"', 'title ne "d"', 'emails.value eq "e@x"', 'emails pr', 'name.familyName ew "f"',
    'active eq true', 'meta.lastModified gt "2024-01-01T00:00:00Z"', 'id eq "i"', 'groups.value eq "g"', 'groups.display sw "s"', 'groups pr',
    'externalId eq "x"', 'name pr', 'nickName ne "n"', 'groups.type eq "direct"',
  ],
  valuePaths: {
    emails: ['type eq "work"', 'value co "x"', 'primary eq true', 'type ne "home"', 'value pr'],
    groups: ['value eq "g"', 'display sw "s"', 'type eq "direct"', 'display pr', 'value ne "h"'],
  },
};

const GROUPS: Vocabulary = {
  type: registry.group,
  leaves: ['displayName eq "a"', 'members.value eq "u"', 'members.display co "m"', 'members pr', 'externalId sw "x"', 'id eq "i"', 'displayName ne "b"'],
  valuePaths: { members: ['value eq "u"', 'display co "m"', 'type eq "User"', 'display ne "n"'] },
};

function tree(vocabulary: Vocabulary): fc.Arbitrary<Node> {
  const logical = (leaf: fc.Arbitrary<Node>, withValuePaths: boolean) => fc.letrec<{ node: Node }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', maxDepth: 8 },
      { arbitrary: leaf, weight: 4 },
      { arbitrary: fc.tuple(fc.constantFrom('and' as const, 'or' as const), fc.array(tie('node'), { minLength: 2, maxLength: 12 })).map(([kind, operands]) => ({ kind, operands })), weight: 3 },
      { arbitrary: tie('node').map((inner) => ({ kind: 'not' as const, inner })), weight: 2 },
      ...(withValuePaths ? [{ arbitrary: valuePath, weight: 1 }] : []),
    ),
  })).node;
  const leafOf = (texts: readonly string[]) => fc.constantFrom(...texts).map((text): Node => ({ kind: 'leaf', text }));
  const valuePath: fc.Arbitrary<Node> = fc.constantFrom(...Object.keys(vocabulary.valuePaths))
    .chain((attribute) => logical(leafOf(vocabulary.valuePaths[attribute]), false).map((inner): Node => ({ kind: 'valuePath', attribute, inner })));
  const shallow = logical(leafOf(vocabulary.leaves), true);
  // Towers of alternating operators and `not`, as deep as the parser allows, over a random filter.
  const tower = fc.tuple(fc.array(fc.constantFrom('and' as const, 'or' as const, 'not' as const), { minLength: 1, maxLength: 60, size: 'max' }), shallow, leafOf(vocabulary.leaves))
    .map(([wrappers, inner, beside]) => wrappers.reduceRight<Node>((node, kind) => (kind === 'not' ? { kind, inner: node } : { kind, operands: [beside, node] }), inner));
  return fc.oneof(shallow, tower);
}

/** The filter text, with parentheses around every operand that is itself a chain (so the text parses to this tree). */
function render(node: Node): string {
  switch (node.kind) {
    case 'leaf': return node.text;
    case 'not': return `not (${render(node.inner)})`;
    case 'valuePath': return `${node.attribute}[${render(node.inner)}]`;
    default: return node.operands.map((operand) => (operand.kind === 'and' || operand.kind === 'or' ? `(${render(operand)})` : render(operand))).join(` ${node.kind} `);
  }
}

function terms(node: Node): number {
  if (node.kind === 'leaf') return 1;
  if (node.kind === 'not' || node.kind === 'valuePath') return terms(node.inner);
  return node.operands.reduce((sum, o) => sum + terms(o), 0);
}

/** Parentheses and brackets, as the parser counts them (it refuses more than 64). */
const parentheses = (node: Node): number => {
  if (node.kind === 'leaf') return 0;
  if (node.kind === 'not' || node.kind === 'valuePath') return 1 + parentheses(node.inner);
  return Math.max(...node.operands.map((o) => (o.kind === 'and' || o.kind === 'or' ? 1 : 0) + parentheses(o)));
};

/** Logical levels: a chain of one operator is one level (its operands of the same operator join it). */
function levels(node: Node, within?: 'and' | 'or'): number {
  if (node.kind === 'leaf') return 0;
  if (node.kind === 'not' || node.kind === 'valuePath') return 1 + levels(node.inner);
  const own = node.kind === within ? 0 : 1;
  return own + Math.max(...node.operands.map((o) => levels(o, node.kind as 'and' | 'or')));
}

/** The deepest comparison: `{$nor: [{$or: [{path: {$eq: v}}, {path: null, fallback: {$eq: v}}]}]}` (ne on a fallback). */
const DEEPEST_LEAF = 6;

describe('random filters within the parser\'s limits', () => {
  it.each([['Users', USERS], ['Groups', GROUPS]] as const)('%s: every query sent (and every one looked up with) stays within the limit; a filter is refused only when it is logically that deep', async (_, vocabulary) => {
    const seen = { compiled: 0, refused: 0, deepest: 0, mostTerms: 0 };
    await fc.assert(
      fc.asyncProperty(tree(vocabulary), async (node) => {
        fc.pre(terms(node) <= DEFAULT_MAX_TERMS && parentheses(node) <= 64);
        const text = render(node);
        seen.mostTerms = Math.max(seen.mostTerms, terms(node));
        // Two levels (an array and an object) per logical level, whatever the number of terms.
        const bound = 2 * levels(node) + DEEPEST_LEAF;
        const { resolver, handed } = depthRecorder();
        let query: MongoQuery | undefined;
        try {
          query = await compile(vocabulary.type, text, resolver);
        } catch (error) {
          expect(error).toMatchObject({ name: 'UnsupportedQuery', part: 'filter', message: expect.stringContaining('nested this deeply') });
          expect(bound).toBeGreaterThan(MAX_QUERY_DEPTH);
          seen.refused++;
        }
        if (query) {
          expect(nestingDepth(query)).toBeLessThanOrEqual(Math.min(bound, MAX_QUERY_DEPTH));
          seen.compiled++;
          seen.deepest = Math.max(seen.deepest, nestingDepth(query));
        }
        for (const depth of handed) expect(depth).toBeLessThanOrEqual(MAX_QUERY_DEPTH);
      }),
      { seed: 10, numRuns: 300 },
    );
    // Not vacuous: both outcomes occur, near the limit, with long filters among them.
    expect(seen.refused).toBeGreaterThan(10);
    expect(seen.compiled).toBeGreaterThan(100);
    expect(seen.deepest).toBeGreaterThan(MAX_QUERY_DEPTH / 2);
    expect(seen.mostTerms).toBeGreaterThan(30);
  });
});

