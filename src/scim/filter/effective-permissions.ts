import type { ResolvedAttribute } from '../schema/resolve-attribute';
import { valuesAt, type JsonObject } from '../values/json';
import type { CompareOperator } from './ast';

/**
 * A user's effective permissions (the Account extension's read-only `effectivePermissions`): the
 * values of the user's own `entitlements` and the `permissions` of every group the user is a
 * direct member of (the Roster Group extension), distinct and sorted. Computed, never stored on
 * the user: the Users endpoint renders it from a page's memberships, and each store answers a
 * filter on it from the groups that grant the permission and the users' own entitlements.
 *
 * This is how an application maps identity-provider groups to its own permissions: the IdP
 * pushes groups and memberships, an administrator gives each group its permissions, and the
 * application reads (or filters by) effectivePermissions.
 */
export const ACCOUNT_EXTENSION = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Account';
export const GROUP_EXTENSION = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Group';

/** Where a user's effective permissions are rendered: Account extension, effectivePermissions. */
export const EFFECTIVE_PERMISSIONS = 'effectivePermissions';
/** Where a group's permissions are kept in its attributes. */
export const GROUP_PERMISSIONS_PATH: readonly string[] = [GROUP_EXTENSION, 'permissions'];
/** Where a user's own permissions are kept in its attributes: the values of its entitlements. */
export const OWN_PERMISSIONS_PATH: readonly string[] = ['entitlements', 'value'];

/**
 * The comparisons a filter may make on effectivePermissions. Permissions are names, often
 * namespaced ("reports.view"): equality and the text matches make sense (`sw "reports."` picks a
 * namespace); an order of names does not, so gt, ge, lt and le are refused.
 */
export const PERMISSION_OPERATORS: readonly CompareOperator[] = ['eq', 'ne', 'co', 'sw', 'ew'];

/** Whether a resolved attribute is the User's effectivePermissions (only ever resolved on Users). */
export const isEffectivePermissions = (attribute: ResolvedAttribute): boolean =>
  attribute.sub === undefined && attribute.extension?.id === ACCOUNT_EXTENSION && attribute.top.name === EFFECTIVE_PERMISSIONS;

/** The permissions a group grants its members, each once, as written. */
export const groupPermissions = (data: JsonObject): string[] => distinctStrings(valuesAt(data, GROUP_PERMISSIONS_PATH));

/** A user's own permissions: the values of its entitlements, each once, as written. */
export const ownPermissions = (data: JsonObject): string[] => distinctStrings(valuesAt(data, OWN_PERMISSIONS_PATH));

/**
 * The union of permission lists, distinct and sorted (by UTF-16 code units, as JavaScript sorts
 * strings), compared exactly as effectivePermissions is caseExact.
 */
export function unionOfPermissions(lists: Iterable<readonly string[]>): string[] {
  const all = new Set<string>();
  for (const list of lists) for (const permission of list) all.add(permission);
  return [...all].sort();
}

/** Non-empty strings only: an entitlement without a value grants nothing. */
function distinctStrings(values: readonly unknown[]): string[] {
  return [...new Set(values.filter((value): value is string => typeof value === 'string' && value !== ''))];
}
