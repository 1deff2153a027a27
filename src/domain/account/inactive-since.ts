import { parseFilter } from '../../scim/filter/parse-filter';
import { resolveFilter } from '../../scim/filter/resolve-filter';
import type { ResolvedFilter } from '../../scim/filter/resolved';
import type { ResourceType } from '../../scim/schema/definitions';
import type { JsonObject } from '../../scim/values/json';
import { ACCOUNT_URN, accountOf, readAccount } from './account';
import { currentStatus } from './lifecycle';

/**
 * 003's retention rule as a filter the store can run: accounts that are Inactive and were
 * deactivated before `before`. The rule lives here; the adapters only compile the filter.
 */
export function inactiveSince(userType: ResourceType, before: string): ResolvedFilter {
  const text = `${ACCOUNT_URN}:status eq "Inactive" and ${ACCOUNT_URN}:deactivatedAt lt ${JSON.stringify(before)}`;
  return resolveFilter(userType, parseFilter(text));
}

/**
 * A restore restarts the inactivity clock. An Inactive account comes back from deletion as
 * Inactive anew: deactivatedAt becomes the time of the restore, so the sweep above gives it a
 * whole RETENTION_INACTIVE_DAYS again, instead of deleting it at its next run (its old
 * deactivatedAt is long past the cutoff: that is often why it was deleted). deactivatedAt is
 * the clock itself: the filter and its index stay as they are, and the account rules already
 * carry it through every PUT and PATCH. The first deactivation stays in the change events.
 *
 * Returns the attributes to store, or undefined when no clock runs (the account is not Inactive).
 */
export function restartedInactivity(data: JsonObject, restoredAt: string): JsonObject | undefined {
  if (currentStatus(readAccount(data)) !== 'Inactive') return undefined;
  return { ...data, [ACCOUNT_URN]: { ...accountOf(data), deactivatedAt: restoredAt } };
}
