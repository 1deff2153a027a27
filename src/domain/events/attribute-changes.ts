import type { AttributeChange } from '../../store/events-port';
import { deepEqual, isJsonObject, type Json, type JsonObject } from '../../scim/values/json';

/**
 * The attributes that differ between two states of a resource, sorted by path, each with its
 * value before and after (a side without a value is left out: an attribute that appears has
 * no `before`). The granularity is what a consumer acts on:
 *  - a singular complex attribute (`name`) per sub-attribute: `name.givenName`;
 *  - an extension (a key starting with `urn:`) per attribute, with the SCIM path
 *    `urn:…:User:employeeNumber`; a complex attribute inside it (`manager`) as a whole;
 *  - a multi-valued attribute (an array) as a whole: its elements have no stable identity
 *    to diff by, and the whole list is what a consumer mirrors.
 * null counts as no value (RFC 7643 §2.5: unassigned). Attribute names are as stored.
 */
export function attributeChanges(before: JsonObject | undefined, after: JsonObject | undefined): AttributeChange[] {
  const changes: AttributeChange[] = [];
  for (const key of unionOfKeys(before, after)) {
    if (isSecret(key)) continue;
    const from = valueOf(before, key);
    const to = valueOf(after, key);
    if (isComplexPair(from, to)) compareMembers(changes, memberPrefix(key), from, to);
    else compare(changes, key, from, to);
  }
  return changes.sort(byPath);
}

/** Code-unit order, not locale order: the same on every machine. */
export const byPath = (a: AttributeChange, b: AttributeChange): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** One change, without the side that has no value. */
export function change(path: string, before: Json | undefined, after: Json | undefined): AttributeChange {
  return { path, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) };
}

/**
 * Users' passwords are hashed outside `data`, so none should ever be here; should one be, it
 * must not reach an event (a password change is the store's `passwordChanged`, recorded as
 * `{path: 'password', changed: true}`).
 */
const isSecret = (key: string) => key.toLowerCase() === 'password';

const isExtension = (key: string) => key.toLowerCase().startsWith('urn:');
const memberPrefix = (key: string) => (isExtension(key) ? `${key}:` : `${key}.`);

function valueOf(object: JsonObject | undefined, key: string): Json | undefined {
  const value = object?.[key];
  return value === null ? undefined : value;
}

/** Both sides objects, or one an object and the other without a value: compared member by member. */
function isComplexPair(from: Json | undefined, to: Json | undefined): boolean {
  if (from === undefined && to === undefined) return false;
  return (from === undefined || isJsonObject(from)) && (to === undefined || isJsonObject(to));
}

function compareMembers(changes: AttributeChange[], prefix: string, from: Json | undefined, to: Json | undefined): void {
  const before = isJsonObject(from) ? from : undefined;
  const after = isJsonObject(to) ? to : undefined;
  for (const key of unionOfKeys(before, after)) compare(changes, prefix + key, valueOf(before, key), valueOf(after, key));
}

function compare(changes: AttributeChange[], path: string, from: Json | undefined, to: Json | undefined): void {
  if (!deepEqual(from, to)) changes.push(change(path, from, to));
}

function unionOfKeys(a: JsonObject | undefined, b: JsonObject | undefined): Iterable<string> {
  if (!a) return b ? Object.keys(b) : [];
  if (!b) return Object.keys(a);
  const keys = new Set(Object.keys(a));
  for (const key of Object.keys(b)) keys.add(key);
  return keys;
}
