import fc from 'fast-check';
import { describedBy } from '../../../src/scim/patch/value-patterns';
import { deepEqual, isJsonObject, type Json } from '../../../src/scim/values/json';

const RUNS = { seed: 8, numRuns: 300 };

/** The rule as it was first written, comparing every element with every pattern: the oracle. */
const describesSlowly = (patterns: readonly Json[]) => (element: Json) => patterns.some((pattern) =>
  isJsonObject(pattern) && isJsonObject(element)
    ? Object.entries(pattern).every(([k, v]) => deepEqual(element[k], v))
    : deepEqual(element, pattern));

const scalar = fc.constantFrom<Json>('a@x.y', 'b@x.y', 'work', 'home', true, false, null, 1);
const element: fc.Arbitrary<Json> = fc.oneof(
  scalar,
  fc.dictionary(fc.constantFrom('value', 'type', 'primary', 'display'), scalar, { maxKeys: 4 }),
);

describe('describedBy: which elements a remove value describes', () => {
  it('selects exactly what comparing every element with every pattern selects', () => {
    fc.assert(fc.property(fc.array(element, { maxLength: 8 }), fc.array(element, { maxLength: 5 }), (elements, patterns) => {
      const fast = describedBy(patterns);
      const slow = describesSlowly(patterns);
      return elements.every((e) => fast(e) === slow(e));
    }), RUNS);
  });

  it.each<[string, Json[], Json, boolean]>([
    ['an object pattern describes elements holding its sub-attributes', [{ value: 'a@x.y' }], { value: 'a@x.y', type: 'work' }, true],
    ['every sub-attribute of the pattern must be equal', [{ value: 'a@x.y', type: 'home' }], { value: 'a@x.y', type: 'work' }, false],
    ['a sub-attribute the element lacks describes nothing', [{ display: 'A' }], { value: 'a@x.y' }, false],
    ['an empty object describes every object element', [{}], { value: 'a@x.y' }, true],
    ['a string pattern describes an equal string (roles)', ['Reports'], 'Reports', true],
    ['strings compare as sent', ['reports'], 'Reports', false],
    ['a string pattern describes no object element', ['a@x.y'], { value: 'a@x.y' }, false],
    ['an inherited property is no sub-attribute', [{ constructor: 'x' }], { value: 'a' }, false],
  ])('%s', (_rule, patterns, candidate, expected) => {
    expect(describedBy(patterns)(candidate)).toBe(expected);
  });
});
