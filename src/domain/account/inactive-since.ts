import { parseFilter } from '../../scim/filter/parse-filter';
import { resolveFilter } from '../../scim/filter/resolve-filter';
import type { ResolvedFilter } from '../../scim/filter/resolved';
import type { ResourceType } from '../../scim/schema/definitions';
import { ACCOUNT_URN } from './account';

/**
 * 003's retention rule as a filter the store can run: accounts that are Inactive and were
 * deactivated before `before`. The rule lives here; the adapters only compile the filter.
 */
export function inactiveSince(userType: ResourceType, before: string): ResolvedFilter {
  const text = `${ACCOUNT_URN}:status eq "Inactive" and ${ACCOUNT_URN}:deactivatedAt lt ${JSON.stringify(before)}`;
  return resolveFilter(userType, parseFilter(text));
}
