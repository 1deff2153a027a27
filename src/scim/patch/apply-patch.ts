import { bindOperation, type PatchTarget } from './patch-target';
import type { PatchOperation } from './patch-request';
import { memberEdits, type MemberEdit } from './member-edits';
import { mutability } from '../errors';
import type { ResourceType } from '../schema/definitions';
import { leafOf } from '../schema/resolve-attribute';
import { cloneJson, deepEqual, valuesAt, type Json, type JsonObject } from '../values/json';
import { patchAttribute } from './patch-attribute';

export interface PatchOutcome {
  /** The resource's attributes after every operation (input untouched). */
  readonly data: JsonObject;
  /** Membership edits, in order, for a group's `members`. */
  readonly memberEdits: readonly MemberEdit[];
}

/**
 * Applies PATCH operations (RFC 7644 §3.5.2) in order to a copy of a resource's attributes.
 * `rendered` is the resource as served, against which writes to read-only attributes are
 * judged: an unchanged value (Okta sends the group's `id` back) is ignored, a changed one is a
 * `mutability` error. The result is validated against the schema by the caller.
 */
export function applyPatch(resourceType: ResourceType, data: JsonObject, rendered: JsonObject, operations: readonly PatchOperation[]): PatchOutcome {
  const result = cloneJson(data);
  const edits: MemberEdit[] = [];
  for (const operation of operations) {
    for (const target of bindOperation(resourceType, operation)) {
      if (isMembers(resourceType, target)) edits.push(...memberEdits(target));
      else if (!isUnchangedReadOnly(target, rendered)) patchAttribute(result, target);
    }
  }
  return { data: result, memberEdits: edits };
}

const isMembers = (resourceType: ResourceType, target: PatchTarget) =>
  resourceType.name === 'Group' && !target.attribute.extension && target.attribute.top.name === 'members';

/** True when the target is read-only and the operation would leave it as it is. */
function isUnchangedReadOnly(target: PatchTarget, rendered: JsonObject): boolean {
  const definition = target.subAfterFilter ?? leafOf(target.attribute);
  const readOnly = target.attribute.top.mutability === 'readOnly' || definition.mutability === 'readOnly';
  if (!readOnly) return false;
  const current = valuesAt(rendered, target.attribute.jsonPath);
  const sent: Json[] = target.value === undefined ? [] : Array.isArray(target.value) ? target.value : [target.value];
  if (target.op !== 'remove' && !target.valueFilter && deepEqual(current, sent)) return true;
  throw mutability(`${target.text} is read-only and cannot be changed`);
}
