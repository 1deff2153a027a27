import { parseFilter } from '../../../src/scim/filter/parse-filter';
import type { ResolvedFilter } from '../../../src/scim/filter/resolved';
import { resolveFilter } from '../../../src/scim/filter/resolve-filter';
import type { SchemaRegistry } from '../../../src/scim/schema/registry';
import type { JsonObject } from '../../../src/scim/values/json';
import type { UpdateResult } from '../../../src/store/port';

/** What the parts of the Store contract share: attribute URNs, clocks and small builders. */

export const ACCOUNT_URN = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Account';
export const ENTERPRISE_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const DAY = 86_400_000;
export const iso = (ms: number) => new Date(ms).toISOString();
/** Lets the clock move on, so two writes get different timestamps. */
export const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

export const userData = (userName: string, extra: JsonObject = {}): JsonObject => ({
  userName,
  name: { givenName: 'Given', familyName: 'Family' },
  emails: [{ value: `${userName.toLowerCase()}@example.com`, type: 'work', primary: true }],
  ...extra,
});

/** The Account extension of a user whose account was deactivated at `since`. */
export const inactiveSince = (since: number, status = 'Inactive'): JsonObject => ({
  active: false,
  [ACCOUNT_URN]: { status, deactivatedAt: iso(since) },
});

/**
 * The retention sweep's filter, as the domain builds it: users whose account has been Inactive
 * since before `before` (the store only compiles it).
 */
export const inactiveBefore = (registry: SchemaRegistry, before: string): ResolvedFilter =>
  resolveFilter(registry.user, parseFilter(`${ACCOUNT_URN}:status eq "Inactive" and ${ACCOUNT_URN}:deactivatedAt lt "${before}"`));

export const updated = <T>(result: UpdateResult<T>): T => {
  if (result.status !== 'updated') throw new Error(`expected an update, got ${JSON.stringify(result)}`);
  return result.resource;
};

export const sorted = (ids: readonly string[]) => [...ids].sort();
export const byId = <T extends { readonly id: string }>(items: readonly T[]) => [...items].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
