import type { Json, JsonObject } from '../../scim/values/json';

/**
 * A record's fields as a JSON object, leaving out those without a value: an optional field
 * the store left undefined is absent, not a change to `undefined`.
 */
export function withoutUndefined(fields: Readonly<Record<string, Json | undefined>>): JsonObject {
  const object: JsonObject = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) object[key] = value;
  return object;
}
