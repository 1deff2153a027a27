import fc from 'fast-check';
import { canonicalJson, deepEqual, getKey, isJsonObject, valuesAt, type Json } from '../../../src/scim/values/json';

/** A fixed seed and a bounded count: the same cases on every run. */
const RUNS = { seed: 8, numRuns: 300 };

/** Small JSON values drawn from few keys and strings, so that equal and unequal pairs both occur often. */
const smallJson: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<Json>(null, true, false, 0, 1, 'a', 'A', 'b', '', 'é'),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('value', 'type', 'primary', 'Value'), tie('value'), { maxKeys: 3 }),
  ),
})).value;

describe('canonicalJson: the hash PATCH de-duplicates on', () => {
  it('is equal for two values exactly when deepEqual holds between them', () => {
    fc.assert(fc.property(smallJson, smallJson, (a, b) => (canonicalJson(a) === canonicalJson(b)) === deepEqual(a, b)), RUNS);
  });

  it.each<[string, Json, Json, boolean]>([
    ['ignores the order of object keys', { value: 'a', type: 'work' }, { type: 'work', value: 'a' }, true],
    ['keeps the order of array elements', ['a', 'b'], ['b', 'a'], false],
    ['compares strings as sent (case counts)', { value: 'A@x.y' }, { value: 'a@x.y' }, false],
    ['tells a number from the string of it', 1, '1', false],
    ['tells a missing key from a null one', { value: 'a' }, { value: 'a', type: null }, false],
    ['does not mistake a key holding JSON text for the structure', { a: '{"b":1}' }, { a: { b: 1 } }, false],
  ])('%s', (_rule, a, b, equal) => {
    expect(canonicalJson(a) === canonicalJson(b)).toBe(equal);
    expect(deepEqual(a, b)).toBe(equal);
  });
});

describe('valuesAt: every value at a path, through arrays', () => {
  /** The first implementation (flatMap at each step): the oracle for the loop that replaced it. */
  const valuesAtSlowly = (root: Json | undefined, path: readonly string[]): Json[] => {
    let current: Json[] = root === undefined ? [] : [root];
    for (const key of path) {
      const next: Json[] = [];
      for (const node of current.flatMap((n) => (Array.isArray(n) ? n : [n]))) {
        const value = isJsonObject(node) ? getKey(node, key) : undefined;
        if (value !== undefined && value !== null) next.push(value);
      }
      current = next;
    }
    return current.flatMap((n) => (Array.isArray(n) ? n : [n]));
  };
  const paths = fc.array(fc.constantFrom('value', 'type', 'VALUE', 'primary'), { maxLength: 3 });

  it('finds what the flatMap version found', () => {
    fc.assert(fc.property(fc.option(smallJson, { nil: undefined }), paths, (root, path) => deepEqual(valuesAt(root, path), valuesAtSlowly(root, path))), RUNS);
  });

  it.each<[string, Json, string[], Json[]]>([
    ['a sub-attribute of every element', { emails: [{ value: 'a' }, { value: 'b' }, { type: 'x' }] }, ['emails', 'value'], ['a', 'b']],
    ['names in any case', { Emails: [{ VALUE: 'a' }] }, ['emails', 'value'], ['a']],
    ['a multi-valued string attribute, element by element', { roles: ['r1', 'r2'] }, ['roles'], ['r1', 'r2']],
    ['nothing for null', { title: null }, ['title'], []],
  ])('%s', (_case, root, path, expected) => {
    expect(valuesAt(root, path)).toEqual(expected);
  });
});
