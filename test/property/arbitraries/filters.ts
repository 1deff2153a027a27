import fc from 'fast-check';
import { anyCase, attributePath, subAttributeOf, valuePathTargets, type ResourceKind } from './attribute-paths';
import { scimString } from './json';

/**
 * Filters from the RFC 7644 §3.4.2.2 grammar, as text:
 *   filter    = attrExp / logExp / valuePath / *1"not" "(" filter ")"
 *   attrExp   = attrPath SP "pr" / attrPath SP compareOp SP compValue
 *   valuePath = attrPath "[" valFilter "]"   (plus Entra's `emails[type eq "work"].value eq "x"`)
 * with values of every kind (JSON strings with escapes and unicode, numbers, true/false/null,
 * dates), then raw strings and valid filters with a few characters changed.
 */

const OPERATORS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'] as const;

/** A compValue as written in the filter: JSON text, or a token that is not one. */
const comparisonValue: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: scimString.map((s) => JSON.stringify(s)), weight: 6 },
  { arbitrary: fc.constantFrom('"\\""', '"\\\\"', '"\\u00e9"', '"\\ud800"', '"\\/"', '"\\t\\n"', '"Work"', '"WORK"', '"Active"', '"@example.com"'), weight: 2 },
  { arbitrary: fc.date({ noInvalidDate: true }).map((d) => JSON.stringify(d.toISOString())), weight: 2 },
  { arbitrary: fc.constantFrom('"2024-01-01"', '"2024-13-45T99:00:00Z"', '"1970-01-01T00:00:00+05:00"'), weight: 1 },
  { arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })).map((n) => JSON.stringify(n)), weight: 2 },
  { arbitrary: fc.constantFrom('true', 'false', 'null', 'TRUE', 'Null', 'False'), weight: 3 },
  // Not values: unquoted words, single quotes, JSON that is not a number, nothing at all.
  { arbitrary: fc.constantFrom('Employee', "'x'", '1e999', '-', '01', '.5', '"unterminated', '', '[1]', '{}'), weight: 1 },
);

const operator = fc.constantFrom(...OPERATORS).chain(anyCase);

/** `attrPath op value` or `attrPath pr`, with attribute paths relative to `paths`. */
const comparisonOn = (paths: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: fc.tuple(paths, operator, comparisonValue).map(([path, op, value]) => `${path} ${op} ${value}`), weight: 5 },
    { arbitrary: fc.tuple(paths, anyCase('pr')).map(([path, pr]) => `${path} ${pr}`), weight: 1 },
  );

/** `and`/`or` chains, `not (…)` and parentheses over `leaf`, nested a few levels. */
const logical = (leaf: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.letrec<{ node: string }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { arbitrary: leaf, weight: 4 },
      { arbitrary: fc.tuple(tie('node'), fc.constantFrom('and', 'or').chain(anyCase), tie('node')).map(([a, op, b]) => `${a} ${op} ${b}`), weight: 2 },
      { arbitrary: fc.tuple(anyCase('not'), tie('node'), fc.constantFrom('', ' ')).map(([not, inner, space]) => `${not}${space}(${inner})`), weight: 1 },
      { arbitrary: tie('node').map((inner) => `(${inner})`), weight: 1 },
    ),
  })).node;

/** The filter inside `attr[…]`, over the attribute's sub-attributes. */
export const valueFilter = (subAttributes: readonly string[]): fc.Arbitrary<string> => logical(comparisonOn(subAttributeOf(subAttributes)));

/** `attr[valFilter]`, optionally followed by Entra's `.sub op value`. */
const valuePath = (kind: ResourceKind): fc.Arbitrary<string> =>
  fc.constantFrom(...valuePathTargets[kind]).chain(({ attribute, subAttributes }) => {
    const inner = valueFilter(subAttributes);
    const entra = fc.option(fc.tuple(subAttributeOf(subAttributes), operator, comparisonValue).map(([sub, op, value]) => `.${sub} ${op} ${value}`), { nil: '' });
    return fc.tuple(anyCase(attribute), inner, entra).map(([name, filter, tail]) => `${name}[${filter}]${tail}`);
  });

/** A filter the grammar allows (it may still name unknown attributes or compare the wrong types). */
export const grammarFilter = (kind: ResourceKind): fc.Arbitrary<string> =>
  logical(fc.oneof({ arbitrary: comparisonOn(attributePath(kind)), weight: 3 }, { arbitrary: valuePath(kind), weight: 1 }));

/**
 * Long flat chains around MAX_FILTER_TERMS (100) and SQLite's expression depth (1000). Chains
 * past 1,000 terms use the shortest term, to stay under the parser's 10,000-character limit.
 */
export const longChain: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      fc.tuple(fc.integer({ min: 90, max: 130 }), fc.constantFrom('id pr', 'userName eq "a"', 'emails co "x"', 'displayName sw "a"', 'members.display co "x"')),
      fc.tuple(fc.integer({ min: 1000, max: 1100 }), fc.constant('id pr')),
    ),
    fc.constantFrom(' or ', ' and '),
  )
  .map(([[terms, term], connective]) => Array.from({ length: terms }, () => term).join(connective));

const EDIT_CHARACTERS = ['"', '(', ')', '[', ']', '\\', ' ', '.', ':', '$', '\t', 'é', '\u0000', 'x', '1'];

/** A valid filter with up to three characters inserted, deleted or replaced, or cut short. */
export const mutatedFilter = (kind: ResourceKind): fc.Arbitrary<string> =>
  fc.tuple(
    grammarFilter(kind),
    fc.array(fc.tuple(fc.constantFrom('insert', 'delete', 'replace', 'truncate'), fc.nat(), fc.constantFrom(...EDIT_CHARACTERS)), { minLength: 1, maxLength: 3 }),
  ).map(([filter, edits]) =>
    edits.reduce((text, [edit, at, ch]) => {
      const i = text.length === 0 ? 0 : at % text.length;
      if (edit === 'insert') return text.slice(0, i) + ch + text.slice(i);
      if (edit === 'delete') return text.slice(0, i) + text.slice(i + 1);
      if (edit === 'replace') return text.slice(0, i) + ch + text.slice(i + 1);
      return text.slice(0, i);
    }, filter));

/** Whatever a client might put in `filter`: grammar, near-grammar, noise (long chains have their own test). */
export const anyFilter = (kind: ResourceKind): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: grammarFilter(kind), weight: 6 },
    { arbitrary: mutatedFilter(kind), weight: 3 },
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }), weight: 1 },
  );
