import type { JsonObject } from '../../scim/values/json';
import { accountOf, ACCOUNT_URN } from './account';

/** The Account attributes of issue 12 that are no part of the lifecycle state, but are kept like it. */
export const KEPT_ACCOUNT_ATTRIBUTES = ['expiresAt', 'forcePasswordChange', 'birthdate'] as const;

/**
 * README, Account rules: a PUT that leaves out the Account extension, or some of its attributes,
 * keeps their current values, so an identity provider that does not know them (Okta's App
 * Integration Wizard apps PUT only what they map) cannot wipe an expiry or a forced password
 * change an administrator set. PATCH `remove` clears them. Returns the draft with each of
 * KEPT_ACCOUNT_ATTRIBUTES the draft leaves out taken from the current user.
 */
export function keepUnstatedOnReplace(current: JsonObject, draft: JsonObject): JsonObject {
  const before = accountOf(current);
  const stated = accountOf(draft);
  const kept = KEPT_ACCOUNT_ATTRIBUTES.filter((name) => before[name] !== undefined && stated[name] === undefined);
  if (kept.length === 0) return draft;
  return { ...draft, [ACCOUNT_URN]: { ...stated, ...Object.fromEntries(kept.map((name) => [name, before[name]])) } };
}
