import { invalidValue } from '../../scim/errors';
import { deepEqual, getKey, isJsonObject, type Json, type JsonObject } from '../../scim/values/json';

/**
 * The core User `roles` attribute (RFC 7643 §4.1.2): complex values whose `value` names the
 * role, with optional display, type and primary. Entra ID sends its app roles here; Roster keeps
 * it in agreement with the Account extension's `roles` (role-agreement.ts).
 */
export type CoreRole = JsonObject;

/**
 * The entries of the core roles attribute, each with its `value` trimmed; undefined when the
 * attribute is absent. Entra's AppRoleAssignmentsComplex sends an app role in a PATCH as
 * `{"value": "{\"id\":…,\"value\":\"Admin\",\"displayName\":\"Admin\"}"}`: that JSON text is read
 * as the role it describes, or the role's name would be a JSON document with an assignment id.
 * Entries without a value are returned as they are (see checkCoreRoleValues).
 */
export function readCoreRoles(data: JsonObject): CoreRole[] | undefined {
  const roles = getKey(data, 'roles');
  if (roles === undefined || roles === null) return undefined;
  const entries = Array.isArray(roles) ? roles : [roles];
  return entries.filter(isJsonObject).map(normalised);
}

/** The role names of core entries: each distinct value once, in order; entries without one name none. */
export function coreRoleValues(entries: readonly CoreRole[]): string[] {
  return [...new Set(entries.map(valueOf).filter((v): v is string => v !== undefined))];
}

/**
 * Every role is named by its value: a draft entry without one is refused, unless the stored user
 * already had it (kept from before the rules covered core roles; it names no role and is dropped).
 */
export function checkCoreRoleValues(draft: readonly CoreRole[], stored: readonly CoreRole[]): void {
  draft.forEach((entry, i) => {
    if (valueOf(entry) === undefined && !stored.some((s) => deepEqual(s, entry))) {
      throw invalidValue(`roles[${i}] has no value: each role is named by its value, e.g. {"value": "audit"}`);
    }
  });
}

/**
 * The core entries for a list of role names: for each name, the first entry with that value among
 * `sources` (so display, type and primary stay while the value stays), else `{value}`.
 */
export function coreRolesFor(roles: readonly string[], ...sources: readonly (readonly CoreRole[])[]): CoreRole[] {
  return roles.map((role) => {
    for (const source of sources) {
      const found = source.find((entry) => valueOf(entry) === role);
      if (found) return found;
    }
    return { value: role };
  });
}

/** `data` with core roles set to `entries` (removed when there are none, as for the Account roles). */
export function withCoreRoles(data: JsonObject, entries: readonly CoreRole[]): JsonObject {
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(data)) if (key.toLowerCase() !== 'roles') result[key] = value;
  if (entries.length > 0) result.roles = [...entries];
  return result;
}

const valueOf = (entry: CoreRole): string | undefined => {
  const value = entry.value;
  return typeof value === 'string' ? value : undefined;
};

/** The entry with its value under the key `value`, trimmed, and Entra's JSON text unwrapped. */
function normalised(entry: JsonObject): CoreRole {
  const value = getKey(entry, 'value');
  const rest = Object.fromEntries(Object.entries(entry).filter(([key]) => key.toLowerCase() !== 'value'));
  if (typeof value !== 'string') return value === undefined || value === null ? rest : { ...rest, value };
  const described = describedRole(value);
  if (!described) return { ...rest, value: value.trim() };
  const display = getKey(rest, 'display') ?? described.displayName;
  return { ...rest, value: described.value.trim(), ...(typeof display === 'string' ? { display } : {}) };
}

function describedRole(text: string): { value: string; displayName?: Json } | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (isJsonObject(parsed) && typeof parsed.value === 'string') return { value: parsed.value, displayName: parsed.displayName };
  } catch {
    // Not JSON after all: a role name that starts with "{".
  }
  return undefined;
}
