import { ScimError } from '../errors';
import { parseAttributePath } from '../path/parse-path';
import { parsePatchRequest } from '../patch/patch-request';
import type { AttributePath } from '../path/attribute-path';
import type { ResourceType } from '../schema/definitions';
import { resolveAttribute } from '../schema/resolve-attribute';
import { isJsonObject, type JsonObject } from '../values/json';

/** Whether `path` names the resource type's `members` (or a part of it: `members[value eq "…"]`, `members.value`). */
const isMembers = (type: ResourceType, path: AttributePath) => resolveAttribute(type, path)?.jsonPath[0] === 'members';

/** A key of a no-path PATCH value (`members`, `urn:…:core:2.0:Group:members`), or false when it is no path at all. */
function keyIsMembers(type: ResourceType, key: string): boolean {
  try {
    return isMembers(type, parseAttributePath(key));
  } catch (error) {
    if (error instanceof ScimError) return false;
    throw error;
  }
}

/**
 * Whether a PATCH `body` (already applied, so valid) writes the member list of a resource of
 * `type`: an operation's path is rooted at `members`, or a no-path operation's value holds
 * `members`. Resource types without `members` (Users) never do.
 */
export function patchWritesMembers(type: ResourceType, body: JsonObject): boolean {
  if (!resolveAttribute(type, { attribute: 'members' })) return false;
  return parsePatchRequest(body).some((operation) => operation.path
    ? isMembers(type, operation.path.attribute)
    : isJsonObject(operation.value) && Object.keys(operation.value).some((key) => keyIsMembers(type, key)));
}
