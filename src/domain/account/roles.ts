import { invalidValue } from '../../scim/errors';
import type { AccountType } from './account';

/**
 * 004: roles belong only to ConfigAdmin accounts, at most `maxRoles` distinct ones (25 by
 * default). Duplicates are dropped. Changing a ConfigAdmin with roles to another type must
 * clear the roles in the same request. The roles are those of the core attribute and the
 * Account extension alike (role-agreement), so the rules hold whichever one a write uses.
 *
 * `stored` (the roles the account has) lets a write that neither changes the type nor adds a
 * role keep them even when they break a rule: a user stored before the rules covered the core
 * attribute, or before MAX_ROLES was lowered, can still be deactivated or lose roles.
 */
export function checkRoles(
  roles: readonly string[],
  accountType: AccountType,
  previousType: AccountType | undefined,
  maxRoles: number,
  stored: readonly string[] = [],
): string[] {
  const distinct = [...new Set(roles.map((r) => r.trim()))];
  if (distinct.some((r) => r === '')) throw invalidValue('roles cannot contain an empty role name');
  if (previousType === accountType && distinct.every((r) => stored.includes(r))) return distinct;
  if (distinct.length > maxRoles) throw invalidValue(`An account can have at most ${maxRoles} roles; this request gives it ${distinct.length}`);
  if (distinct.length > 0 && accountType !== 'ConfigAdmin') {
    throw invalidValue(previousType === 'ConfigAdmin'
      ? `Only ConfigAdmin accounts have roles: to make this account ${accountType}, also clear its roles (roles: []) in the same request`
      : `Only ConfigAdmin accounts have roles; this account is ${accountType}`);
  }
  return distinct;
}
