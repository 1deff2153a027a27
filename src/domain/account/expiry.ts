import { getKey, type JsonObject } from '../../scim/values/json';
import { accountOf } from './account';

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
