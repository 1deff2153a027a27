import { forbidden } from '../scim/errors';
import { deepEqual, isJsonObject, type Json, type JsonObject } from '../scim/values/json';
import { ACCOUNT_URN, LOCALIZATION_URN, readAccount } from './account/account';
import { DEFAULT_ACCOUNT_TYPE } from './account/account-type';
import { currentStatus } from './account/lifecycle';

/**
 * What a user may change about themselves without write access ("My Account"): their profile.
 * Everything else is who they are to the organisation and to the identity provider: userName
 * and emails (sign-in and matching keys; an email taken from someone else would receive their
 * mail), externalId (the IdP's matching key), active and the Account extension (their access),
 * the Enterprise extension (employeeNumber, manager, …), userType, roles, entitlements, ims and
 * certificates. Those stay with writers.
 */
export const PROFILE_ATTRIBUTES: readonly string[] = [
  'name', 'displayName', 'nickName', 'title', 'phoneNumbers', 'addresses', 'photos',
  'locale', 'preferredLanguage', 'timezone', 'profileUrl', LOCALIZATION_URN,
];
const PROFILE = new Set(PROFILE_ATTRIBUTES.map((name) => name.toLowerCase()));
/** Where the account rules keep the account: compared as the rules read it (accountChanged). */
const ACCOUNT_KEYS = new Set(['active', ACCOUNT_URN.toLowerCase()]);

/**
 * Refuses (403, naming the attribute) a self-service write that changed anything outside the
 * profile. `before` and `after` are the stored attributes before and after the account rules,
 * so restating a current value (a client echoing the whole resource in a PUT) changes nothing.
 */
export function checkSelfServiceScope(before: JsonObject, after: JsonObject): void {
  const was = byLowerKey(before);
  const will = byLowerKey(after);
  for (const key of new Set([...was.keys(), ...will.keys()])) {
    if (PROFILE.has(key)) continue;
    const [a, b] = [was.get(key), will.get(key)];
    const changed = ACCOUNT_KEYS.has(key) ? accountChanged(before, after) : !deepEqual(a?.[1], b?.[1]);
    if (changed) throw outOfScope(changedAttribute((b ?? a)![0], a?.[1], b?.[1]));
  }
}

const outOfScope = (attribute: string) => forbidden(
  `You may change only your own profile (${PROFILE_ATTRIBUTES.join(', ')}); ${attribute} can only be changed by an administrator`,
);

const byLowerKey = (data: JsonObject) => new Map(Object.entries(data).map(([key, value]) => [key.toLowerCase(), [key, value] as const]));

/**
 * The account as its rules define it (status, type, roles). Its timestamps are read-only and
 * stamped by the rules; an account stored before the rules existed gains its defaults on any
 * write, which is no change the user asked for.
 */
function accountChanged(before: JsonObject, after: JsonObject): boolean {
  const summary = (data: JsonObject) => {
    const account = readAccount(data);
    return { status: currentStatus(account), accountType: account.accountType ?? DEFAULT_ACCOUNT_TYPE, roles: [...new Set(account.roles ?? [])].sort() };
  };
  return !deepEqual(summary(before), summary(after));
}

/** `urn:…:User:department` rather than the whole extension, when an extension changed. */
function changedAttribute(name: string, a: Json | undefined, b: Json | undefined): string {
  if (!name.startsWith('urn:') || !isJsonObject(a ?? {}) || !isJsonObject(b ?? {})) return name;
  const was = (a ?? {}) as JsonObject;
  const will = (b ?? {}) as JsonObject;
  const sub = [...new Set([...Object.keys(was), ...Object.keys(will)])].find((key) => !deepEqual(was[key], will[key]));
  return sub === undefined ? name : `${name}:${sub}`;
}
