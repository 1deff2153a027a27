import fc from 'fast-check';

/**
 * JSON values of every shape, kept small: the server refuses bodies nested deeper than 32
 * levels, strings over 2,048 characters and multi-valued attributes over 100 values (each a
 * 400), so a few values sit just past those limits and everything else well inside them.
 */

/** Strings a SCIM client might send, or get wrong: unicode, quotes, escapes, look-alikes of other types. */
export const scimString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ maxLength: 12 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 8 }), weight: 1 },
  {
    arbitrary: fc.constantFrom(
      '', ' ', 'True', 'false', 'null', '0', '-1', '1e3', 'work', 'home', 'Active', 'Inactive', 'ConfigAdmin',
      'OneTimeCompletion', 'en-US', 'en_US', 'Europe/Berlin', 'd/m/Y', '2024-02-29T12:00:00Z', 'not a date',
      'a@example.com', 'bulkId:u1', 'urn:ietf:params:scim:schemas:core:2.0:User', '"quoted"', 'back\\slash',
      'Ödegaard ✓ 𝒳', '\u0000', '\u202e', '<script>', "' or 1=1 --", '$.x', 'x'.repeat(257), 'y'.repeat(2049),
    ),
    weight: 2,
  },
);

const scimNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: -3, max: 1000 }),
  fc.constantFrom(0, -0, 1.5, 2 ** 53, -(2 ** 63), 1e308),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Arrays nested `levels` deep around a value: `[[[…x…]]]`. */
const nestedArrays = (levels: number, inner: unknown = 'x'): unknown =>
  Array.from({ length: levels }).reduce<unknown>((value) => [value], inner);

/** Objects nested `levels` deep: `{"a":{"a":…}}`. */
const nestedObjects = (levels: number, inner: unknown = 'x'): unknown =>
  Array.from({ length: levels }).reduce<unknown>((value) => ({ a: value }), inner);

/**
 * Stand-ins for values nested 5,000 levels deep: deep enough (a few KB) to overflow any recursive
 * walk of a body, too deep for fast-check's and the tests' own JSON handling. They travel as
 * these strings and become the nested JSON only in the request text (expandDeepValues).
 */
export const DEEP_ARRAYS = '(5000 nested arrays)';
export const DEEP_OBJECTS = '(5000 nested objects)';
const DEEP_LEVELS = 5000;

/** The request text with each stand-in replaced by its nested JSON. */
export const expandDeepValues = (json: string): string =>
  json
    .split(JSON.stringify(DEEP_ARRAYS)).join(`${'['.repeat(DEEP_LEVELS)}"x"${']'.repeat(DEEP_LEVELS)}`)
    .split(JSON.stringify(DEEP_OBJECTS)).join(`${'{"a":'.repeat(DEEP_LEVELS)}"x"${'}'.repeat(DEEP_LEVELS)}`);

/** Any JSON value, bounded in depth and size, with the occasional value just past a server limit. */
export const jsonShape: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 3, depthSize: 'small' }), weight: 16 },
  { arbitrary: scimString, weight: 6 },
  { arbitrary: scimNumber, weight: 2 },
  { arbitrary: fc.constantFrom(true, false, null, [], {}, [null], [{}], { value: null }), weight: 4 },
  { arbitrary: fc.array(fc.record({ value: scimString, type: scimString, primary: fc.boolean() }, { requiredKeys: [] }), { maxLength: 3 }), weight: 4 },
  { arbitrary: fc.constantFrom(nestedArrays(40), nestedObjects(40), DEEP_ARRAYS, DEEP_OBJECTS, Array.from({ length: 101 }, (_, i) => `v${i}`)), weight: 1 },
);
