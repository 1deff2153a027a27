import { invalidValue, mutability } from '../../scim/errors';
import { getKey, isJsonObject, type JsonObject } from '../../scim/values/json';

const isBlank = (value: unknown) => typeof value !== 'string' || value.trim() === '';

const hasPart = (data: JsonObject, part: string) => {
  const name = getKey(data, 'name');
  return isJsonObject(name) && !isBlank(getKey(name, part));
};

const hasEmail = (data: JsonObject) => {
  const emails = getKey(data, 'emails');
  return Array.isArray(emails) && emails.some((e) => isJsonObject(e) && !isBlank(getKey(e, 'value')));
};

/**
 * 000, 004: first name, last name and an email address are required and cannot be blanked.
 * A user stored without one of them (imported before these rules) can still be changed, for
 * instance deactivated, as long as the write does not blank what it has.
 */
export function checkRequiredIdentity(data: JsonObject, before?: JsonObject): void {
  for (const part of ['givenName', 'familyName']) {
    if (!hasPart(data, part) && (!before || hasPart(before, part))) throw invalidValue(`name.${part} is required and cannot be blank`);
  }
  if (!hasEmail(data) && (!before || hasEmail(before))) throw invalidValue('emails is required: give at least one email with a value');
}

/** 002: with USERNAME_IMMUTABLE=true, a userName never changes once the account exists. */
export function checkUserNameChange(before: JsonObject, after: JsonObject, immutable: boolean): void {
  if (immutable && getKey(before, 'userName') !== getKey(after, 'userName')) {
    throw mutability('userName cannot be changed on this server (USERNAME_IMMUTABLE=true)');
  }
}
