import type { CompareOperator, CompareValue, Filter } from '../../../src/scim/filter/ast';
import { parseFilter } from '../../../src/scim/filter/parse-filter';
import { ScimError } from '../../../src/scim/errors';
import type { AttributePath } from '../../../src/scim/path/attribute-path';

// Builders keep the expected trees as readable as the filters they come from.
const path = (attribute: string, subAttribute?: string): AttributePath =>
  subAttribute === undefined ? { attribute } : { attribute, subAttribute };
const at = (p: string | AttributePath): AttributePath => (typeof p === 'string' ? path(...split(p)) : p);
const split = (p: string): [string, string?] => {
  const [attribute = '', subAttribute] = p.split('.');
  return [attribute, subAttribute];
};
const cmp = (op: CompareOperator) => (p: string | AttributePath, value: CompareValue): Filter => ({
  kind: 'compare', path: at(p), op, value,
});
const [eq, ne, co, sw, ew, gt, ge, lt, le] = (['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'] as const).map(cmp);
const pr = (p: string | AttributePath): Filter => ({ kind: 'present', path: at(p) });
const and = (left: Filter, right: Filter): Filter => ({ kind: 'and', left, right });
const or = (left: Filter, right: Filter): Filter => ({ kind: 'or', left, right });
const not = (filter: Filter): Filter => ({ kind: 'not', filter });
const valuePath = (p: string | AttributePath, filter: Filter): Filter => ({ kind: 'valuePath', path: at(p), filter });

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';

describe('parseFilter', () => {
  describe('comparison operators', () => {
    it.each<[string, Filter]>([
      ['userName eq "bjensen"', eq('userName', 'bjensen')],
      ['userName ne "bjensen"', ne('userName', 'bjensen')],
      ['name.familyName co "O\'Malley"', co('name.familyName', "O'Malley")],
      ['userName sw "J"', sw('userName', 'J')],
      ['emails.value ew "@example.com"', ew('emails.value', '@example.com')],
      ['meta.lastModified gt "2011-05-13T04:42:34Z"', gt('meta.lastModified', '2011-05-13T04:42:34Z')],
      ['meta.lastModified ge "2011-05-13T04:42:34Z"', ge('meta.lastModified', '2011-05-13T04:42:34Z')],
      ['meta.lastModified lt "2011-05-13T04:42:34Z"', lt('meta.lastModified', '2011-05-13T04:42:34Z')],
      ['meta.lastModified le "2011-05-13T04:42:34Z"', le('meta.lastModified', '2011-05-13T04:42:34Z')],
      ['title pr', pr('title')],
    ])('%s', (text, expected) => {
      expect(parseFilter(text)).toStrictEqual(expected);
    });
  });

  describe('literal values', () => {
    it.each<[string, CompareValue]>([
      ['x eq "plain"', 'plain'],
      ['x eq ""', ''],
      ['x eq "say \\"hi\\""', 'say "hi"'],
      ['x eq "back\\\\slash and \\/ solidus"', 'back\\slash and / solidus'],
      ['x eq "\\b\\f\\n\\r\\t"', '\b\f\n\r\t'],
      ['x eq "caf\\u00e9 \\u00C9"', 'café É'],
      ['x eq "\\ud83d\\ude00"', '😀'],
      ['x eq "non-ASCII ünïcödé"', 'non-ASCII ünïcödé'],
      ['x eq 42', 42],
      ['x eq 0', 0],
      ['x eq -7', -7],
      ['x eq 3.25', 3.25],
      ['x eq -0.5', -0.5],
      ['x eq 1e3', 1000],
      ['x eq 2.5E-2', 0.025],
      ['x eq true', true],
      ['x eq false', false],
      ['x eq null', null],
      ['x eq TRUE', true],
      ['x eq False', false],
      ['x eq NULL', null],
    ])('%s gives %p', (text, value) => {
      expect(parseFilter(text)).toStrictEqual(eq('x', value));
    });
  });

  describe('keywords are case-insensitive', () => {
    it.each<[string, Filter]>([
      ['userName EQ "a"', eq('userName', 'a')],
      ['userName Sw "a"', sw('userName', 'a')],
      ['title PR', pr('title')],
      ['a eq 1 AND b eq 2', and(eq('a', 1), eq('b', 2))],
      ['a eq 1 Or b eq 2', or(eq('a', 1), eq('b', 2))],
      ['NOT (a eq 1)', not(eq('a', 1))],
    ])('%s', (text, expected) => {
      expect(parseFilter(text)).toStrictEqual(expected);
    });
  });

  describe('logical operators, precedence and grouping', () => {
    const [a, b, c, d] = [eq('a', 1), eq('b', 2), eq('c', 3), eq('d', 4)];
    it.each<[string, string, Filter]>([
      ['"and" binds tighter than "or" on the right', 'a eq 1 or b eq 2 and c eq 3', or(a, and(b, c))],
      ['"and" binds tighter than "or" on the left', 'a eq 1 and b eq 2 or c eq 3', or(and(a, b), c)],
      ['a chain of "and" is grouped as a balanced tree', 'a eq 1 and b eq 2 and c eq 3', and(and(a, b), c)],
      ['a chain of "or" is grouped as a balanced tree', 'a eq 1 or b eq 2 or c eq 3', or(or(a, b), c)],
      ['four operands make two pairs', 'a eq 1 and b eq 2 and c eq 3 and d eq 4', and(and(a, b), and(c, d))],
      ['"and" chains inside an "or" chain stay whole', 'a eq 1 and b eq 2 and c eq 3 or d eq 4', or(and(and(a, b), c), d)],
      ['parentheses override precedence', '(a eq 1 or b eq 2) and c eq 3', and(or(a, b), c)],
      ['a mix of both', 'a eq 1 and b eq 2 or c eq 3 and d eq 4', or(and(a, b), and(c, d))],
      ['"not" keeps its group whole', 'not (a eq 1 or b eq 2)', not(or(a, b))],
      ['"not" without a space', 'not(a eq 1)', not(a)],
      ['"not" inside a conjunction', 'a eq 1 and not (b eq 2)', and(a, not(b))],
      ['"not" nested in "not"', 'not (not (a eq 1))', not(not(a))],
      ['redundant parentheses', '((a eq 1))', a],
      ['deeply nested groups', '((a eq 1) and ((b eq 2) or (c eq 3)))', and(a, or(b, c))],
      ['tabs and repeated spaces', '  a  eq\t1 \t and   b eq 2  ', and(a, b)],
      ['spaces inside parentheses', '( a eq 1 )', a],
    ])('%s: %s', (_rule, text, expected) => {
      expect(parseFilter(text)).toStrictEqual(expected);
    });
  });

  describe('attribute paths', () => {
    it.each<[string, string, Filter]>([
      ['keeps the case it was written in', 'USERNAME eq "a"', eq('USERNAME', 'a')],
      ['digits, "-" and "_" after the first letter', 'x-attr_2 pr', pr('x-attr_2')],
      ['$ref as a sub-attribute', 'members.$ref eq "https://x/Users/1"', eq('members.$ref', 'https://x/Users/1')],
      ['$ref alone', '$ref pr', pr('$ref')],
      ['URN with attribute', `${ENTERPRISE}:department eq "Tour"`, eq({ schema: ENTERPRISE, attribute: 'department' }, 'Tour')],
      [
        'URN with a sub-attribute (the URN contains "2.0")',
        `${ENTERPRISE}:manager.value eq "26118915"`,
        eq({ schema: ENTERPRISE, attribute: 'manager', subAttribute: 'value' }, '26118915'),
      ],
      ['core URN', `${CORE}:userName pr`, pr({ schema: CORE, attribute: 'userName' })],
      ['unknown names are left to the validator', 'noSuchThing eq 1', eq('noSuchThing', 1)],
    ])('%s: %s', (_rule, text, expected) => {
      expect(parseFilter(text)).toStrictEqual(expected);
    });
  });

  describe('value paths', () => {
    it.each<[string, Filter]>([
      [
        'emails[type eq "work" and value co "@example.com"]',
        valuePath('emails', and(eq('type', 'work'), co('value', '@example.com'))),
      ],
      ['emails[type eq "work"] and userName sw "a"', and(valuePath('emails', eq('type', 'work')), sw('userName', 'a'))],
      ['userName sw "a" or emails[primary eq true]', or(sw('userName', 'a'), valuePath('emails', eq('primary', true)))],
      ['emails[not (type eq "work") or (value pr)]', valuePath('emails', or(not(eq('type', 'work')), pr('value')))],
      ['members[$ref ew "/Users/1"]', valuePath('members', ew('$ref', '/Users/1'))],
      [
        `${ENTERPRISE}:manager[value eq "1"]`,
        valuePath({ schema: ENTERPRISE, attribute: 'manager' }, eq('value', '1')),
      ],
      // Microsoft Entra ID's non-RFC form folds the trailing comparison into the bracket filter.
      ['emails[type eq "work"].value eq "a@b.c"', valuePath('emails', and(eq('type', 'work'), eq('value', 'a@b.c')))],
      ['emails[type eq "work"].value pr', valuePath('emails', and(eq('type', 'work'), pr('value')))],
      [
        'emails[type eq "work"].value EQ "a@b.c" and active eq true',
        and(valuePath('emails', and(eq('type', 'work'), eq('value', 'a@b.c'))), eq('active', true)),
      ],
    ])('%s', (text, expected) => {
      expect(parseFilter(text)).toStrictEqual(expected);
    });
  });

  describe('invalid filters are rejected with invalidFilter and a message naming the problem', () => {
    it.each<[string, string, RegExp]>([
      ['empty', '', /filter is empty/],
      ['only spaces', '   ', /filter is empty/],
      ['unknown operator', 'userName xx "a"', /Expected an operator .* after "userName" at position 9, but found "xx"/],
      ['missing operator', 'userName', /Expected an operator .* at position 8, but the filter ended/],
      ['missing value', 'userName eq', /Expected a value \(string, number, true, false or null\) after "eq" at position 11/],
      ['unquoted string value', 'userName eq bjensen', /found "bjensen" \(strings must be in double quotes\)/],
      ['value given to pr', 'title pr "x"', /"pr" takes no value, but found "x" at position 9/],
      ['unclosed parenthesis', '(userName eq "a"', /Missing "\)" to close the "\(" at position 0/],
      ['stray closing parenthesis', 'userName eq "a")', /Unexpected "\)" at position 15/],
      ['empty parentheses', 'a eq 1 and ()', /Empty parentheses at position 11/],
      ['trailing garbage', 'userName eq "a" foo', /Expected "and", "or" or the end of the filter at position 16, but found "foo"/],
      ['dangling "and"', 'a eq 1 and', /Expected an attribute path, "\(" or "not" at position 10, but the filter ended/],
      ['"or" where an operand belongs', 'a eq 1 and or b eq 2', /at position 11, but found "or"/],
      ['unterminated string', 'userName eq "abc', /Unterminated string starting at position 12/],
      ['unterminated escape', 'userName eq "abc\\', /Unterminated string starting at position 12/],
      ['bad string escape', 'x eq "a\\qb"', /Invalid escape "\\q" in the string at position 7/],
      ['short unicode escape', 'x eq "\\u12G4"', /Invalid escape "\\u12G4" in the string at position 6/],
      ['raw control character', 'x eq "a\nb"', /control character in the string at position 7/],
      ['leading zero', 'x eq 007', /Invalid number "007" at position 5/],
      ['number glued to a word', 'x eq 1or y pr', /Invalid number "1or" at position 5/],
      ['number out of range', 'x eq 1e999', /Invalid number "1e999" at position 5/],
      ['unquoted dateTime', 'meta.created gt 2021-01-01T00:00:00Z', /Unquoted dateTime 2021-01-01T00:00:00Z at position 16: .*double quotes, as in "2021-01-01T00:00:00Z"/],
      ['unquoted date', 'meta.created lt 2021-01-01 and a pr', /Unquoted dateTime 2021-01-01 at position 16/],
      ['unquoted dateTime with an offset', 'x eq 2021-01-01T10:00:00+02:00', /Unquoted dateTime 2021-01-01T10:00:00\+02:00 at position 5/],
      ['not without parentheses', 'not userName eq "a"', /Expected "\(" after "not" at position 4, but found "userName"/],
      ['unexpected character', 'userName eq "a" & b pr', /Unexpected character "&" at position 16/],
      ['empty brackets', 'emails[]', /Empty brackets at position 6/],
      ['nested brackets', 'emails[type[value eq 1]]', /Unexpected "\[" at position 11: value filters cannot be nested/],
      ['unclosed bracket', 'emails[type eq "work"', /Missing "]" to close the "\[" at position 6/],
      ['mismatched closer', '(a eq 1]', /Expected "and", "or" or "\)" at position 7, but found "]"/],
      ['bracket after a sub-attribute', 'name.givenName[x eq 1]', /cannot follow the sub-attribute "name.givenName"/],
      ['Entra form without a comparison', 'emails[type eq "work"].value', /Expected an operator .* after "value" at position 28/],
      ['bad attribute name', '1abc eq 1', /Invalid number "1abc"/],
      ['too many dots', 'a.b.c eq 1', /Invalid attribute path "a.b.c" at position 0/],
      ['URN without attribute', `${ENTERPRISE}: eq 1`, /Invalid attribute path/],
      ['schema that is not a URN', 'foo:bar eq 1', /Invalid schema URN "foo" at position 0/],
    ])('%s: %s', (_case, text, detail) => {
      expectInvalidFilter(() => parseFilter(text), detail);
    });
  });

  describe('limits, so that no input can exhaust the stack', () => {
    it('accepts 64 levels of parentheses', () => {
      expect(parseFilter(`${'('.repeat(64)}a pr${')'.repeat(64)}`)).toStrictEqual(pr('a'));
    });

    it('rejects 65 levels of parentheses', () => {
      expectInvalidFilter(() => parseFilter(`${'('.repeat(65)}a pr${')'.repeat(65)}`), /nested too deeply at position 64/);
    });

    it('rejects deep nesting of "not" long before the stack is at risk', () => {
      expectInvalidFilter(() => parseFilter(`${'not ('.repeat(1000)}a pr${')'.repeat(1000)}`), /at most 64 levels/);
    });

    it('groups a chain of 1,000 "and" as a tree 10 levels deep, not 1,000', () => {
      const text = Array.from({ length: 1000 }, () => 'a pr').join(' and ');
      const filter = parseFilter(text, { maxTerms: 1000 });
      expect(filter.kind).toBe('and');
      expect(depthOf(filter)).toBe(10);
      expect(leavesOf(filter)).toBe(1000);
    });

    it('rejects filters longer than 10,000 characters', () => {
      expectInvalidFilter(() => parseFilter(`userName eq "${'x'.repeat(10_000)}"`), /too long: 10014 characters, the limit is 10000/);
    });
  });
});

describe('the comparison limit (MAX_FILTER_TERMS)', () => {
  const chain = (n: number, term = (i: number) => `userName eq "u${i}"`, join = ' or ') => Array.from({ length: n }, (_, i) => term(i)).join(join);

  it.each<[string, string, number]>([
    ['100 comparisons, the default limit', chain(100), 100],
    ['100 presence tests', chain(100, () => 'title pr', ' and '), 100],
    ['50 value paths of two comparisons', chain(50, (i) => `emails[type eq "work" and value eq "u${i}"]`), 100],
    ['50 Entra-style value paths (the trailing comparison counts)', chain(50, (i) => `emails[type eq "work"].value eq "u${i}"`), 100],
    ['comparisons inside "not" and parentheses', chain(50, (i) => `not (a eq ${i} or (b pr))`, ' and '), 100],
  ])('accepts %s', (_case, text, count) => {
    expect(leavesOf(parseFilter(text))).toBe(count);
  });

  it.each<[string, string, number]>([
    ['101 comparisons', chain(101), 101],
    ['300 comparisons (issue 8)', chain(300, (i) => `members.display co "x${i}"`), 300],
    ['101 presence tests', chain(101, () => 'title pr', ' and '), 101],
    ['51 value paths of two comparisons', chain(51, (i) => `emails[type eq "work" and value eq "u${i}"]`), 102],
    ['51 Entra-style value paths', chain(51, (i) => `emails[type eq "work"].value eq "u${i}"`), 102],
    ['attributes named like operators', chain(101, () => 'eq eq "x" or pr pr'), 202],
  ])('refuses %s, saying how many it holds', (_case, text, count) => {
    expectInvalidFilter(() => parseFilter(text), new RegExp(`^filter too complex: at most 100 comparisons \\(this one has ${count}\\)`));
  });

  it('takes its limit from the caller', () => {
    expect(leavesOf(parseFilter(chain(5), { maxTerms: 5 }))).toBe(5);
    expectInvalidFilter(() => parseFilter(chain(6), { maxTerms: 5 }), /at most 5 comparisons \(this one has 6\)/);
  });

  it('stops at the comparison past the limit, before reading the rest as a filter', () => {
    // The syntax error after the 101st comparison is never reached; the rest is only counted.
    expectInvalidFilter(() => parseFilter(`${chain(101)} or ) userName eq "x"`), /at most 100 comparisons \(this one has 102\)/);
    expectInvalidFilter(() => parseFilter(`${chain(101)} or userName eq "unterminated`), /at most 100 comparisons \(this one has at least 101\)/);
  });

  it('counts a 50,000-comparison filter when a higher limit allows its length', () => {
    expectInvalidFilter(() => parseFilter(chain(50_000, () => 'a pr'), { maxTerms: 10_000 }), /at most 10000 comparisons \(this one has 50000\)/);
  });

  it('raises the length limit with the comparison limit (100 characters per comparison)', () => {
    const long = chain(2000, (i) => `name.familyName eq "family name number ${i}"`);
    expect(long.length).toBeGreaterThan(10_000);
    expect(leavesOf(parseFilter(long, { maxTerms: 2000 }))).toBe(2000);
    expectInvalidFilter(() => parseFilter(long), /too long: \d+ characters, the limit is 10000/);
  });
});

/** Levels of and/or/not/valuePath above the deepest comparison. */
function depthOf(filter: Filter): number {
  switch (filter.kind) {
    case 'and':
    case 'or': return 1 + Math.max(depthOf(filter.left), depthOf(filter.right));
    case 'not':
    case 'valuePath': return 1 + depthOf(filter.filter);
    default: return 0;
  }
}

/** The comparisons of a filter. */
function leavesOf(filter: Filter): number {
  switch (filter.kind) {
    case 'and':
    case 'or': return leavesOf(filter.left) + leavesOf(filter.right);
    case 'not':
    case 'valuePath': return leavesOf(filter.filter);
    default: return 1;
  }
}

function expectInvalidFilter(parse: () => unknown, detail: RegExp): void {
  let error: unknown;
  try {
    parse();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(ScimError);
  expect(error).toMatchObject({ status: 400, scimType: 'invalidFilter' });
  expect((error as ScimError).detail).toMatch(detail);
}
