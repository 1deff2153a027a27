import { invalidValue, mutability } from '../../scim/errors';
import { getKey, isJsonObject, type JsonObject } from '../../scim/values/json';

const isBlank = (value: unknown) => typeof value !== 'string' || value.trim() === '';

/** 000, 004: first name, last name and an email address are required and cannot be blanked. */
export function checkRequiredIdentity(data: JsonObject): void {
  const name = getKey(data, 'name');
  for (const part of ['givenName', 'familyName']) {
    if (!isJsonObject(name) || isBlank(getKey(name, part))) throw invalidValue(`name.${part} is required and cannot be blank`);
  }
  const emails = getKey(data, 'emails');
  const hasEmail = Array.isArray(emails) && emails.some((e) => isJsonObject(e) && !isBlank(getKey(e, 'value')));
  if (!hasEmail) throw invalidValue('emails is required: give at least one email with a value');
}

/** 002: with USERNAME_IMMUTABLE=true, a userName never changes once the account exists. */
export function checkUserNameChange(before: JsonObject, after: JsonObject, immutable: boolean): void {
  if (immutable && getKey(before, 'userName') !== getKey(after, 'userName')) {
    throw mutability('userName cannot be changed on this server (USERNAME_IMMUTABLE=true)');
  }
}
