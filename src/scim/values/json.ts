/** Plain JSON values as resources are stored and served. */
export type Json = string | number | boolean | null | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads a key case-insensitively (RFC 7643 §2.1: attribute names are case-insensitive). */
export function getKey(object: JsonObject, name: string): Json | undefined {
  if (name in object) return object[name];
  const lower = name.toLowerCase();
  const key = Object.keys(object).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : object[key];
}

/**
 * Every primitive value at a path, descending through arrays (emails → each email's value).
 * Plain loops, no flatMap: filters and PATCH value paths call this once per element compared.
 */
export function valuesAt(root: Json | undefined, path: readonly string[]): Json[] {
  let current: Json[] = [];
  if (root !== undefined) appendFlat(current, root);
  for (const key of path) {
    const next: Json[] = [];
    for (const node of current) {
      const value = isJsonObject(node) ? getKey(node, key) : undefined;
      if (value !== undefined && value !== null) appendFlat(next, value);
    }
    current = next;
  }
  return current;
}

/** Appends a value, or the elements of an array (one level, as a multi-valued attribute holds them). */
function appendFlat(into: Json[], value: Json): void {
  if (Array.isArray(value)) for (const element of value) into.push(element);
  else into.push(value);
}

export function deepEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * A string that two values share exactly when deepEqual holds between them: JSON with object
 * keys sorted (deepEqual ignores key order), arrays in order, strings as sent (case counts).
 * Hashing on it makes a duplicate check linear instead of comparing every pair.
 */
export function canonicalJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (!isJsonObject(value)) return JSON.stringify(value);
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
}

export const cloneJson = <T extends Json>(value: T): T => structuredClone(value);
