import type { ResolvedFilter, ResolvedComparison } from './resolved';
import { leafOf, type ResolvedAttribute } from '../schema/resolve-attribute';
import { isJsonObject, valuesAt, type Json, type JsonObject } from '../values/json';
import { parseDateTime } from '../values/date-time';
import { foldCase } from '../values/fold-case';

/**
 * The in-memory visitor: does a resource (or one element of a multi-valued attribute, for the
 * inner filter of a value path) satisfy a resolved filter? PATCH uses it to select elements; the
 * store compilers are tested against it. Semantics shared with the compilers:
 *   - a comparison holds when any of the attribute's values satisfies it;
 *   - `ne` is exactly `not eq` (so a resource without the attribute matches `ne`);
 *   - strings compare case-insensitively unless the attribute is caseExact.
 */
export function evaluateFilter(filter: ResolvedFilter, target: JsonObject, base: readonly string[] = []): boolean {
  switch (filter.kind) {
    case 'and':
      return evaluateFilter(filter.left, target, base) && evaluateFilter(filter.right, target, base);
    case 'or':
      return evaluateFilter(filter.left, target, base) || evaluateFilter(filter.right, target, base);
    case 'not':
      return !evaluateFilter(filter.filter, target, base);
    case 'present':
      return valuesOf(filter.attribute, target, base).some(isNonEmpty);
    case 'compare':
      return filter.op === 'ne'
        ? !valuesOf(filter.attribute, target, base).some((v) => holds({ ...filter, op: 'eq' }, v))
        : valuesOf(filter.attribute, target, base).some((v) => holds(filter, v));
    case 'valuePath': {
      const elements = valuesAt(target, filter.attribute.jsonPath.slice(base.length));
      return elements.some((e) => isJsonObject(e) && evaluateFilter(filter.filter, e, filter.attribute.jsonPath));
    }
  }
}

/** Selects the elements of a multi-valued complex attribute that satisfy a value-path filter. */
export function matchesElement(filter: ResolvedFilter, element: Json, attribute: ResolvedAttribute): boolean {
  return isJsonObject(element) && evaluateFilter(filter, element, attribute.jsonPath);
}

function valuesOf(attribute: ResolvedAttribute, target: JsonObject, base: readonly string[]): Json[] {
  return valuesAt(target, attribute.jsonPath.slice(base.length));
}

function isNonEmpty(value: Json): boolean {
  if (value === null || value === '') return false;
  if (isJsonObject(value)) return Object.values(value).some((v) => v !== null && v !== '');
  return true;
}

function holds(filter: ResolvedComparison, raw: Json): boolean {
  const leaf = leafOf(filter.attribute);
  const actual = normalise(raw, leaf.type, leaf.caseExact === true);
  const expected = typeof filter.value === 'string' && leaf.type !== 'dateTime' && leaf.caseExact !== true
    ? foldCase(filter.value) : filter.value;
  if (actual === undefined || typeof actual !== typeof expected) return false;
  switch (filter.op) {
    case 'eq': return actual === expected;
    case 'ne': return actual !== expected;
    case 'co': return (actual as string).includes(expected as string);
    case 'sw': return (actual as string).startsWith(expected as string);
    case 'ew': return (actual as string).endsWith(expected as string);
    case 'gt': return order(actual, expected) > 0;
    case 'ge': return order(actual, expected) >= 0;
    case 'lt': return order(actual, expected) < 0;
    case 'le': return order(actual, expected) <= 0;
  }
}

/**
 * Orders two values of one type. Strings are ordered by code point, as SQLite (and MongoDB)
 * order UTF-8 text: JavaScript's < compares UTF-16 units, which puts "😀" before "\uFFFD".
 */
function order(a: string | number | boolean, b: string | number | boolean): number {
  if (typeof a !== 'string' || typeof b !== 'string') return a === b ? 0 : a > b ? 1 : -1;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Shifts UTF-16 units so surrogates (code points above U+FFFF) rank after U+E000–U+FFFF. */
const codePointRank = (unit: number) => (unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit);

function normalise(value: Json, type: string, caseExact: boolean): string | number | boolean | undefined {
  if (type === 'dateTime') return typeof value === 'string' ? parseDateTime(value) : undefined;
  if (typeof value === 'string') return caseExact ? value : foldCase(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return undefined;
}
