import { invalidValue, type ScimError } from '../errors';
import { commonAttributes, type ResourceType } from './definitions';
import { isJsonObject, type Json, type JsonObject } from '../values/json';

/**
 * Bounds on what one resource may hold, so that neither a write nor anything later done with
 * the resource (PATCH, filters, rendering) costs more than a bounded amount of work. The numbers
 * come from configuration; this module knows none of them.
 *
 * Characters are counted as Unicode code points (an emoji is one character, as a person counts
 * it), not as UTF-16 units.
 */
export interface ResourceLimits {
  /** Most values one multi-valued attribute may hold; a group's `members` are exempt. */
  readonly maxMultiValues: number;
  /** Longest string anywhere in a resource (sub-attributes, extensions and password included). */
  readonly maxStringLength: number;
  /** Longest `userName` and `displayName`. */
  readonly maxNameLength: number;
}

/** Attributes whose length is a name's, not any string's. */
const NAME_ATTRIBUTES = new Set(['username', 'displayname']);
const isName = (key: string) => NAME_ATTRIBUTES.has(key.toLowerCase());

export const tooManyValues = (path: string, count: number, max: number): ScimError =>
  invalidValue(`${path} has ${count} values, more than the ${max} this server accepts in one attribute`);

/**
 * A group's `members`: any number (issue 8 exempts them), and read by the group endpoint
 * itself, member by member, rather than coerced by scimmy.
 */
export const isGroupMembers = (resourceType: ResourceType, key: string): boolean =>
  resourceType.name === 'Group' && key.toLowerCase() === 'members';

const tooLong = (path: string, max: number): ScimError =>
  invalidValue(`${path} is longer than ${max} characters, the most this server accepts`);

/** True when `text` has more than `max` code points; counts only when UTF-16 length cannot decide. */
export function longerThan(text: string, max: number): boolean {
  if (text.length <= max) return false;
  if (text.length > 2 * max) return true;
  let count = 0;
  for (const _ of text) if (++count > max) return true;
  return false;
}

interface Pending {
  readonly value: Json;
  readonly path: string;
  /** False for a group's members, which may be any number. */
  readonly counted: boolean;
  /** The longest string allowed here: maxNameLength for userName and displayName. */
  readonly maxLength: number;
}

/**
 * Checks a write body (or a PATCH result) before anything costly is done with it: every array
 * at most `maxMultiValues` long, every string at most `maxStringLength` (`maxNameLength` for a
 * top-level userName or displayName, in any case, as scimmy reads names). Read-only attributes
 * are skipped: they are ignored on input (a client may send back a user's 300 `groups`).
 *
 * Both walks keep their own stack, so they never recurse. The first only looks (100,000
 * members in a quarter of the time); only a body that breaks a limit is walked again with
 * paths, to name what broke it.
 */
export function checkSizes(resourceType: ResourceType, body: JsonObject, limits: ResourceLimits): void {
  const top = topLevelValues(resourceType, body, limits);
  if (fitsLimits(top, limits)) return;
  throw firstViolation(top, limits);
}

/** Why one value breaks a limit, or undefined; its children are checked on their own. */
function broken(item: Pending, limits: ResourceLimits): ScimError | undefined {
  const { value, path } = item;
  if (typeof value === 'string') return longerThan(value, item.maxLength) ? tooLong(path, item.maxLength) : undefined;
  if (Array.isArray(value) && item.counted && value.length > limits.maxMultiValues) return tooManyValues(path, value.length, limits.maxMultiValues);
  return undefined;
}

function fitsLimits(top: readonly Pending[], limits: ResourceLimits): boolean {
  const stack: Json[] = [];
  for (const item of top) {
    if (broken(item, limits)) return false;
    pushChildren(stack, item.value);
  }
  // Below the top level, every array is counted and every string is any string: no path needed to judge.
  const strings = limits.maxStringLength;
  while (stack.length > 0) {
    const value = stack.pop()!;
    if (typeof value === 'string' ? longerThan(value, strings) : Array.isArray(value) && value.length > limits.maxMultiValues) return false;
    pushChildren(stack, value);
  }
  return true;
}

function pushChildren(stack: Json[], value: Json): void {
  if (Array.isArray(value)) for (const element of value) stack.push(element);
  else if (isJsonObject(value)) for (const key of Object.keys(value)) stack.push(value[key]);
}

/** The same walk with paths, for the message: returns the first value found over a limit. */
function firstViolation(top: readonly Pending[], limits: ResourceLimits): ScimError {
  const stack = [...top];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const error = broken(item, limits);
    if (error) return error;
    const { value, path } = item;
    if (Array.isArray(value)) value.forEach((element, index) => stack.push(nested(element, `${path}[${index}]`, limits)));
    else if (isJsonObject(value)) for (const [key, element] of Object.entries(value)) stack.push(nested(element, `${path}.${key}`, limits));
  }
  throw new Error('firstViolation: the body breaks no limit');
}

const nested = (value: Json, path: string, limits: ResourceLimits): Pending => ({ value, path, counted: true, maxLength: limits.maxStringLength });

/** The attributes of a body to check, by the name the client used; an extension's attributes as `urn:…:name`. */
function topLevelValues(resourceType: ResourceType, body: JsonObject, limits: ResourceLimits): Pending[] {
  const readOnly = readOnlyNames(resourceType.core.attributes.concat(commonAttributes));
  const pending: Pending[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (readOnly.has(key.toLowerCase())) continue;
    const extension = resourceType.extensions.find((e) => e.schema.id.toLowerCase() === key.toLowerCase());
    if (extension && isJsonObject(value)) {
      const skipped = readOnlyNames(extension.schema.attributes);
      for (const [name, item] of Object.entries(value)) {
        if (!skipped.has(name.toLowerCase())) pending.push(nested(item, `${key}:${name}`, limits));
      }
      continue;
    }
    pending.push({ value, path: key, counted: !isGroupMembers(resourceType, key), maxLength: isName(key) ? limits.maxNameLength : limits.maxStringLength });
  }
  return pending;
}

const readOnlyNames = (attributes: readonly { name: string; mutability: string }[]) =>
  new Set(attributes.filter((a) => a.mutability === 'readOnly').map((a) => a.name.toLowerCase()));
