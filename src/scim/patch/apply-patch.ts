import { bindOperation, type PatchTarget } from './patch-target';
import type { PatchOperation } from './patch-request';
import { memberEdits, type MemberEdit } from './member-edits';
import { mutability } from '../errors';
import type { ResourceType } from '../schema/definitions';
import { isGroupMembers, tooManyValues, type ResourceLimits } from '../schema/resource-limits';
import { leafOf } from '../schema/resolve-attribute';
import { cloneJson, deepEqual, isJsonObject, valuesAt, type Json, type JsonObject } from '../values/json';
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
 *
 * With `limits`, no multi-valued attribute may hold more than `maxMultiValues` values even
 * between operations: every operation may scan the attribute it changes, so this keeps each
 * one's cost bounded by the limit, however many operations follow.
 */
export function applyPatch(
  resourceType: ResourceType, data: JsonObject, rendered: JsonObject, operations: readonly PatchOperation[], limits?: Pick<ResourceLimits, 'maxMultiValues'>,
): PatchOutcome {
  const result = cloneJson(data);
  const edits: MemberEdit[] = [];
  for (const operation of operations) {
    for (const target of bindOperation(resourceType, operation)) {
      if (isMembers(resourceType, target)) edits.push(...memberEdits(target));
      else if (!isUnchangedReadOnly(target, rendered)) {
        if (limits) checkSentCount(target, limits.maxMultiValues);
        patchAttribute(result, target);
        if (limits) checkValueCount(result, target, limits.maxMultiValues);
      }
    }
  }
  return { data: result, memberEdits: edits };
}

const isMembers = (resourceType: ResourceType, target: PatchTarget) =>
  !target.attribute.extension && isGroupMembers(resourceType, target.attribute.top.name);

const nameOf = ({ top, extension }: PatchTarget['attribute']) => (extension ? `${extension.id}:${top.name}` : top.name);

/**
 * An add or replace may not send more values than the attribute may hold (duplicates of values
 * it already has included): refused before they are compared, so 100,000 values cost one look.
 */
function checkSentCount(target: PatchTarget, max: number): void {
  const whole = target.attribute.top.multiValued && !target.attribute.sub && !target.valueFilter;
  if (whole && target.op !== 'remove' && Array.isArray(target.value) && target.value.length > max) {
    throw tooManyValues(nameOf(target.attribute), target.value.length, max);
  }
}

function checkValueCount(data: JsonObject, target: PatchTarget, max: number): void {
  const { top, extension } = target.attribute;
  if (!top.multiValued) return;
  const holder = extension ? data[extension.id] : data;
  const values = isJsonObject(holder) ? holder[top.name] : undefined;
  if (Array.isArray(values) && values.length > max) throw tooManyValues(nameOf(target.attribute), values.length, max);
}

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
