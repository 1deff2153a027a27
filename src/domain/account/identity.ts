import type { RequirableUserAttribute } from '../../config/config';
import { invalidValue, mutability } from '../../scim/errors';
import type { AccountPolicy } from './account-rules';
import { getKey, isJsonObject, type JsonObject } from '../../scim/values/json';
import { fitsUsernameFormat } from './username-format';

const isBlank = (value: unknown) => typeof value !== 'string' || value.trim() === '';

const hasPart = (data: JsonObject, part: string) => {
  const name = getKey(data, 'name');
  return isJsonObject(name) && !isBlank(getKey(name, part));
};

const hasEmail = (data: JsonObject) => {
  const emails = getKey(data, 'emails');
  return Array.isArray(emails) && emails.some((e) => isJsonObject(e) && !isBlank(getKey(e, 'value')));
};

/** Whether a user holds a requirable attribute: a non-blank name part, or an email with a value. */
const HOLDS: Record<RequirableUserAttribute, (data: JsonObject) => boolean> = {
  'name.givenName': (data) => hasPart(data, 'givenName'),
  'name.familyName': (data) => hasPart(data, 'familyName'),
  emails: hasEmail,
};

/** Where the rule comes from, so that an admin knows what to change when an IdP cannot comply. */
const SETTING = "REQUIRED_USER_ATTRIBUTES, or the tenant's requiredUserAttributes setting";

const missing = (attribute: RequirableUserAttribute) => invalidValue(attribute === 'emails'
  ? `emails is required: give at least one email with a value (${SETTING})`
  : `${attribute} is required and cannot be blank (${SETTING})`);

/**
 * 000, 004: what the tenant requires beside userName (by default first name, last name and an
 * email address) must be there and cannot be blanked. A user stored without one of them (imported
 * before these rules, or while the tenant required less) can still be changed, for instance
 * deactivated, as long as the write does not blank what it has.
 */
function checkRequiredIdentity(data: JsonObject, before: JsonObject | undefined, required: readonly RequirableUserAttribute[]): void {
  for (const attribute of required) {
    const holds = HOLDS[attribute];
    if (!holds(data) && (!before || holds(before))) throw missing(attribute);
  }
}

/**
 * USERNAME_FORMAT=email (002, 004: the username is the email address). A user stored with another
 * userName before the tenant asked for addresses keeps it until a write changes it.
 */
function checkUserNameFormat(data: JsonObject, before: JsonObject | undefined, policy: Pick<AccountPolicy, 'usernameFormat'>): void {
  const userName = getKey(data, 'userName');
  if (typeof userName !== 'string' || fitsUsernameFormat(userName, policy.usernameFormat)) return;
  if (before && getKey(before, 'userName') === userName) return;
  throw invalidValue(`userName ${JSON.stringify(userName)} is not an email address: this tenant requires userNames such as ada@example.com (USERNAME_FORMAT=email, or the tenant's usernameFormat setting)`);
}

/**
 * The identity rules of one write (`current` undefined for a create), under the tenant's
 * policy: the required attributes, whether the userName may change, and its format.
 */
export function checkIdentity(current: JsonObject | undefined, draft: JsonObject, policy: AccountPolicy): void {
  checkRequiredIdentity(draft, current, policy.requiredUserAttributes);
  if (current) checkUserNameChange(current, draft, policy.usernameImmutable);
  checkUserNameFormat(draft, current, policy);
}

/** 002: with USERNAME_IMMUTABLE=true, a userName never changes once the account exists. */
function checkUserNameChange(before: JsonObject, after: JsonObject, immutable: boolean): void {
  if (immutable && getKey(before, 'userName') !== getKey(after, 'userName')) {
    throw mutability("userName cannot be changed on this server (USERNAME_IMMUTABLE=true, or the tenant's usernameImmutable setting)");
  }
}
