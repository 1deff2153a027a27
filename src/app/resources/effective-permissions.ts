import { ACCOUNT_EXTENSION, EFFECTIVE_PERMISSIONS, ownPermissions, unionOfPermissions } from '../../scim/filter/effective-permissions';
import type { Projection } from '../../scim/projection';
import type { ResourceSnapshot } from '../../scim/resource/render';
import { isJsonObject } from '../../scim/values/json';
import type { GroupRef } from '../../store/port';

/** A resource holding nothing but an effectivePermissions value, to ask a projection about it. */
const PROBE = { [ACCOUNT_EXTENSION]: { [EFFECTIVE_PERMISSIONS]: ['probe'] } };

/**
 * Whether `projection` returns effectivePermissions, so a response that does not (attributes=
 * userName, excludedAttributes=urn:…:Account) costs no membership look-up for it. Asked of the
 * projection itself, on a probe, so `attributes` and `excludedAttributes` are read by the one
 * set of rules that applies them.
 */
export function showsEffectivePermissions(projection: Projection): boolean {
  const account = projection.apply(PROBE)[ACCOUNT_EXTENSION];
  return isJsonObject(account) && EFFECTIVE_PERMISSIONS in account;
}

/**
 * The user as served, its Account extension carrying effectivePermissions: its own entitlements'
 * values and the permissions of `groups` (the groups it is a direct member of), distinct and
 * sorted. A user with none has no effectivePermissions (RFC 7643 §2.5: an empty multi-valued
 * attribute is unassigned), and gains no Account extension for it.
 */
export function withEffectivePermissions(user: ResourceSnapshot, groups: readonly GroupRef[]): ResourceSnapshot {
  const permissions = unionOfPermissions([ownPermissions(user.data), ...groups.map((group) => group.permissions ?? [])]);
  if (permissions.length === 0) return user;
  const account = user.data[ACCOUNT_EXTENSION];
  return { ...user, data: { ...user.data, [ACCOUNT_EXTENSION]: { ...(isJsonObject(account) ? account : {}), [EFFECTIVE_PERMISSIONS]: permissions } } };
}
