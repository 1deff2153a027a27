import type { JsonObject } from '../../scim/values/json';
import { accountOf, ACCOUNT_URN } from './account';

/**
 * 001: forcePasswordChange (Account extension) asks the application to make the user choose a
 * new password at the next sign-in. A user who then changes their own password, proving the
 * current one (/Me, or a PUT/PATCH of themselves with currentPassword), has done exactly that,
 * so the flag becomes false in the same write (an event then shows true → false). A password
 * set by an administrator or the IdP leaves it as it is: that is the temporary password the
 * flag is for.
 */
export function afterOwnPasswordChange(data: JsonObject): JsonObject {
  const account = accountOf(data);
  if (account.forcePasswordChange !== true) return data;
  return { ...data, [ACCOUNT_URN]: { ...account, forcePasswordChange: false } };
}
