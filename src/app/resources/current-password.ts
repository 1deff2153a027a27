import { invalidValue } from '../../scim/errors';
import type { PatchOperation } from '../../scim/patch/patch-request';
import { isJsonObject, type Json, type JsonObject } from '../../scim/values/json';

/**
 * `currentPassword`: what a user changing their own password sends to prove they know the
 * current one (README, Security). It is no attribute of the schema, so it is taken out of the
 * request before anything else reads it: it is never validated as one, stored, or echoed.
 * Accepted as a member of the PUT body, as a member of a no-path PATCH value
 * ({"op": "replace", "value": {"password": "…", "currentPassword": "…"}}), or as an operation
 * of its own ({"op": "replace", "path": "currentPassword", "value": "…"}).
 */
export interface WithCurrentPassword<T> {
  readonly rest: T;
  readonly currentPassword?: string;
}

const NAME = 'currentpassword';
const isName = (key: string) => key.toLowerCase() === NAME;

export function takeFromBody(body: JsonObject): WithCurrentPassword<JsonObject> {
  const key = Object.keys(body).find(isName);
  if (key === undefined) return { rest: body };
  const { [key]: given, ...rest } = body;
  return { rest, currentPassword: asString(given) };
}

export function takeFromOperations(operations: readonly PatchOperation[]): WithCurrentPassword<PatchOperation[]> {
  let currentPassword: string | undefined;
  const rest: PatchOperation[] = [];
  for (const operation of operations) {
    if (operation.pathText !== undefined && isName(operation.pathText.trim())) {
      currentPassword ??= asString(operation.value);
    } else if (operation.path === undefined && isJsonObject(operation.value) && Object.keys(operation.value).some(isName)) {
      const taken = takeFromBody(operation.value);
      currentPassword ??= taken.currentPassword;
      // An operation that carried only the current password has nothing left to do.
      if (Object.keys(taken.rest).length > 0) rest.push({ ...operation, value: taken.rest });
    } else {
      rest.push(operation);
    }
  }
  return currentPassword === undefined ? { rest } : { rest, currentPassword };
}

function asString(value: Json | undefined): string {
  if (typeof value !== 'string') throw invalidValue('currentPassword must be a string: the password you have now');
  return value;
}
