import { parseFilter } from '../../scim/filter/parse-filter';
import { resolveFilter } from '../../scim/filter/resolve-filter';
import type { ResolvedFilter } from '../../scim/filter/resolved';
import type { ResourceType } from '../../scim/schema/definitions';
import { getKey, type JsonObject } from '../../scim/values/json';
import { accountOf, ACCOUNT_URN } from './account';

/**
 * 001: an account may have an end (the Account extension's expiresAt, a dateTime). From that
 * instant on it stops working: its tokens are refused at once (token-validity), and the
 * retention sweep deactivates it through the account rules, so the IdP and event consumers see
 * an ordinary deactivation. An expiresAt in the past is allowed on a write: it is how an
 * administrator ends an account at a known time, including now.
 */
export function expiresAtOf(data: JsonObject): number | undefined {
  const value = getKey(accountOf(data), 'expiresAt');
  if (typeof value !== 'string') return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : at;
}

/** Whether the account has reached its expiresAt at `now` (the instant itself included). */
export function isExpired(data: JsonObject, now: Date): boolean {
  const at = expiresAtOf(data);
  return at !== undefined && at <= now.getTime();
}

/**
 * The sweep's rule as a filter the store runs on its indexes and pages through: accounts still
 * Active whose expiresAt is at or before `now`. Each one the sweep deactivates leaves the
 * filter, so the sweep never holds more than a page of users.
 */
export function activeExpiredBy(userType: ResourceType, now: Date): ResolvedFilter {
  const text = `active eq true and ${ACCOUNT_URN}:expiresAt le ${JSON.stringify(now.toISOString())}`;
  return resolveFilter(userType, parseFilter(text));
}
