import { invalidValue } from '../../scim/errors';
import { getKey, isJsonObject, type Json, type JsonObject } from '../../scim/values/json';
import { coreRoleValues, readCoreRoles } from './core-roles';

/** The Account extension (schemas/roster-account.json): where the account rules keep their state. */
export const ACCOUNT_URN = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Account';
export const LOCALIZATION_URN = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Localization';

export const STATUSES = ['Created', 'Pending', 'Active', 'Inactive'] as const;
export type Status = (typeof STATUSES)[number];

export const ACCOUNT_TYPES = ['Internal', 'External', 'ConfigAdmin', 'SuperAdmin', 'OneTimeCompletion'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

/** The account as the rules see it. Absent values are undefined. */
export interface AccountState {
  readonly active?: boolean;
  readonly status?: Status;
  readonly accountType?: AccountType;
  readonly roles?: readonly string[];
  readonly activatedAt?: string;
  readonly deactivatedAt?: string;
}

export const accountOf = (data: JsonObject): JsonObject => {
  const account = data[ACCOUNT_URN];
  return isJsonObject(account) ? account : {};
};

/** The Account extension's roles as written (undefined when absent); see role-agreement for the core ones. */
export function accountRoles(data: JsonObject): string[] | undefined {
  const roles = getKey(accountOf(data), 'roles');
  return Array.isArray(roles) ? roles.map(String) : undefined;
}

/**
 * Reads the account state of a user's attributes, checking each value against its allowed list.
 * `roles` are the account's roles whichever attribute names them: the Account roles and the
 * values of the core roles (stored users have both in agreement; a draft may state either).
 */
export function readAccount(data: JsonObject): AccountState {
  const account = accountOf(data);
  const active = getKey(data, 'active');
  const named = accountRoles(data);
  const core = readCoreRoles(data);
  const roles = named || core ? [...new Set([...named ?? [], ...coreRoleValues(core ?? [])])] : undefined;
  return {
    ...(typeof active === 'boolean' ? { active } : {}),
    ...optional('status', oneOf('status', getKey(account, 'status'), STATUSES)),
    ...optional('accountType', oneOf('accountType', getKey(account, 'accountType'), ACCOUNT_TYPES)),
    ...(roles ? { roles } : {}),
    ...optional('activatedAt', stringOf(getKey(account, 'activatedAt'))),
    ...optional('deactivatedAt', stringOf(getKey(account, 'deactivatedAt'))),
  };
}

/** Writes the account state back: `active` in the core schema, the rest in the extension. */
export function writeAccount(data: JsonObject, state: AccountState): JsonObject {
  const account: JsonObject = { ...accountOf(data) };
  const set = (key: string, value: Json | undefined) => (value === undefined ? delete account[key] : (account[key] = value));
  set('status', state.status);
  set('accountType', state.accountType);
  set('roles', state.roles && state.roles.length > 0 ? [...state.roles] : undefined);
  set('activatedAt', state.activatedAt);
  set('deactivatedAt', state.deactivatedAt);
  return { ...data, active: state.active ?? false, [ACCOUNT_URN]: account };
}

const optional = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : { [key]: value } as Record<K, V>);
const stringOf = (value: Json | undefined) => (typeof value === 'string' ? value : undefined);

/** A value from a fixed list, matched without regard to case and returned in its canonical spelling. */
function oneOf<T extends string>(name: string, value: Json | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined || value === null) return undefined;
  const found = typeof value === 'string' ? allowed.find((a) => a.toLowerCase() === value.toLowerCase()) : undefined;
  if (!found) throw invalidValue(`${name} must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}`);
  return found;
}
