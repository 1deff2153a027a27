import type { PatchTarget } from './patch-target';
import { invalidValue, mutability } from '../errors';
import type { ResolvedFilter } from '../filter/resolved';
import { getKey, isJsonObject, type Json } from '../values/json';

/**
 * Group membership is not read-modify-write: PATCH ops on `members` become set operations that
 * the store applies atomically, so a 100,000-member group is never loaded to add one member and
 * concurrent PATCHes never lose each other's changes. Members are users (no nested groups).
 */
export type MemberChange =
  | { readonly op: 'add'; readonly ids: readonly string[] }
  | { readonly op: 'remove'; readonly ids: readonly string[] }
  | { readonly op: 'removeAll' };

/** A removal by a filter other than `value eq …`: the domain resolves it against the members. */
export type MemberEdit = MemberChange | { readonly op: 'removeWhere'; readonly filter: ResolvedFilter };

export function memberEdits(target: PatchTarget): MemberEdit[] {
  if (target.attribute.sub || target.subAfterFilter) {
    throw mutability(`${target.text}: a member's value, type and display cannot be changed; remove the member and add it again`);
  }
  if (target.valueFilter) return filteredEdits(target, target.valueFilter);
  switch (target.op) {
    case 'add':
      return [{ op: 'add', ids: memberIds(target.value) }];
    case 'replace':
      return [{ op: 'removeAll' }, { op: 'add', ids: memberIds(target.value) }];
    case 'remove':
      // Entra removes members as {"op":"Remove","path":"members","value":[{"value":"id"}]}: it
      // means those members only. Reading it as "remove all members" would empty the group.
      return hasValue(target.value) ? [{ op: 'remove', ids: memberIds(target.value) }] : [{ op: 'removeAll' }];
  }
}

function filteredEdits(target: PatchTarget, filter: ResolvedFilter): MemberEdit[] {
  const ids = idsSelectedBy(filter);
  const removal: MemberEdit = ids ? { op: 'remove', ids } : { op: 'removeWhere', filter };
  if (target.op === 'remove') return [removal];
  const added: MemberEdit = { op: 'add', ids: memberIds(target.value) };
  return target.op === 'replace' ? [removal, added] : [added];
}

/** `value eq "a"` or `value eq "a" or value eq "b"`: the ids, without looking at the members. */
function idsSelectedBy(filter: ResolvedFilter): string[] | undefined {
  if (filter.kind === 'or') {
    const left = idsSelectedBy(filter.left);
    const right = idsSelectedBy(filter.right);
    return left && right ? [...left, ...right] : undefined;
  }
  const isValueEq = filter.kind === 'compare' && filter.op === 'eq' && filter.attribute.sub?.name === 'value';
  return isValueEq ? [String(filter.value)] : undefined;
}

const hasValue = (value: Json | undefined) =>
  value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);

/** The user ids in a members value: an array of {value, type?, display?, $ref?} (or one such object). */
export function memberIds(value: Json | undefined): string[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item, index) => {
    if (!isJsonObject(item)) throw invalidValue(`members[${index}] must be an object such as {"value": "<user id>"}`);
    const id = getKey(item, 'value');
    if (typeof id !== 'string' || id.trim() === '') throw invalidValue(`members[${index}].value must be the id of a user`);
    const type = getKey(item, 'type');
    if (type !== undefined && type !== null && (typeof type !== 'string' || type.toLowerCase() !== 'user')) {
      throw invalidValue(`members[${index}] has type ${JSON.stringify(type)}: only users can be members of a group here (nested groups are not supported)`);
    }
    return id;
  });
}
