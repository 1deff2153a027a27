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

/** Every primitive value at a path, descending through arrays (emails → each email's value). */
export function valuesAt(root: Json | undefined, path: readonly string[]): Json[] {
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

export const cloneJson = <T extends Json>(value: T): T => structuredClone(value);
