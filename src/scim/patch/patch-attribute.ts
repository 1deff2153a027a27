import type { PatchTarget } from './patch-target';
import { invalidValue, noTarget } from '../errors';
import { matchesElement } from '../filter/evaluate-filter';
import type { ResolvedFilter } from '../filter/resolved';
import type { AttributeDefinition } from '../schema/definitions';
import { canonicalJson, isJsonObject, type Json, type JsonObject } from '../values/json';
import { describedBy } from './value-patterns';

/**
 * One add/replace/remove on the attributes of a resource, in place. RFC 7643 §2.5: null, "",
 * [] and {} mean "no value", so writing one of them removes the attribute.
 */
export function patchAttribute(data: JsonObject, target: PatchTarget): void {
  const holder = holderOf(data, target);
  if (!holder) return;
  const { top, sub } = target.attribute;
  if (target.valueFilter) patchSelected(holder, top, target.valueFilter, target);
  else if (sub) patchSub(holder, top, sub, target);
  else patchWhole(holder, top, target);
  if (target.attribute.extension && Object.keys(holder).length === 0) delete data[target.attribute.extension.id];
}

/** The object holding the attribute: the resource, or its extension object (created on write). */
function holderOf(data: JsonObject, target: PatchTarget): JsonObject | undefined {
  const extension = target.attribute.extension;
  if (!extension) return data;
  const existing = data[extension.id];
  if (isJsonObject(existing)) return existing;
  if (target.op === 'remove') return undefined;
  return (data[extension.id] = {});
}

const isEmpty = (value: Json | undefined): boolean =>
  value === undefined || value === null || value === '' ||
  (Array.isArray(value) && value.length === 0) || (isJsonObject(value) && Object.values(value).every(isEmpty));

/** Renames keys of a complex value to the schema's spelling, so `GivenName` does not sit beside `givenName`. */
function canonical(definition: AttributeDefinition, value: Json): Json {
  if (!isJsonObject(value) || definition.type !== 'complex') return value;
  const renamed: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    const sub = definition.subAttributes?.find((s) => s.name.toLowerCase() === key.toLowerCase());
    renamed[sub?.name ?? key] = item;
  }
  return renamed;
}

const asList = (value: Json | undefined): Json[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);

/**
 * The value written to a complex attribute (or to an element of one) must be an object of
 * sub-attributes; spread into one, a string would become keys "0", "1", …
 */
function complexValue(top: AttributeDefinition, target: PatchTarget): JsonObject {
  const value = target.value ?? {};
  if (isJsonObject(value)) return value;
  const example = top.subAttributes?.[0]?.name ?? 'value';
  throw invalidValue(`${target.text}: ${top.name} is complex, so its value must be an object of sub-attributes such as {"${example}": …}, not ${JSON.stringify(value)}`);
}

function merge(into: Json | undefined, definition: AttributeDefinition, value: Json): JsonObject {
  const merged: JsonObject = { ...(isJsonObject(into) ? into : {}), ...(canonical(definition, value) as JsonObject) };
  for (const [key, item] of Object.entries(merged)) if (isEmpty(item)) delete merged[key];
  return merged;
}

function patchWhole(holder: JsonObject, top: AttributeDefinition, target: PatchTarget): void {
  const key = top.name;
  if (top.mutability === 'writeOnly') return writeOnly(holder, top, target);
  if (target.op === 'remove') return removeWhole(holder, top, target.value);
  if (isEmpty(target.value)) return void delete holder[key];
  if (top.multiValued) {
    const incoming = asList(target.value).map((v) => canonical(top, v));
    const kept = target.op === 'add' ? asList(holder[key]) : [];
    // A value already present is not added again: hashed, so adding n values to m costs n + m.
    const present = new Set(kept.map(canonicalJson));
    const added = incoming.filter((v) => !present.has(canonicalJson(v)));
    holder[key] = onePrimary([...kept, ...added], added);
  } else {
    holder[key] = top.type === 'complex' ? merge(holder[key], top, complexValue(top, target)) : target.value!;
  }
}

/**
 * A write-only attribute (password) cannot be seen, so it cannot be removed or blanked by
 * accident: its value is passed on as sent, for the domain's rules to judge ("" is too short).
 */
function writeOnly(holder: JsonObject, top: AttributeDefinition, target: PatchTarget): void {
  if (target.op === 'remove') throw invalidValue(`${target.text} is write-only: it can be replaced with a new value, not removed`);
  holder[top.name] = target.value ?? null;
}

/** `remove` with a value on a multi-valued attribute removes the elements that value describes, not all. */
function removeWhole(holder: JsonObject, top: AttributeDefinition, value: Json | undefined): void {
  if (!top.multiValued || isEmpty(value)) return void delete holder[top.name];
  const doomed = describedBy(asList(value).map((v) => canonical(top, v)));
  const kept = asList(holder[top.name]).filter((element) => !doomed(element));
  if (kept.length) holder[top.name] = kept;
  else delete holder[top.name];
}

function patchSub(holder: JsonObject, top: AttributeDefinition, sub: AttributeDefinition, target: PatchTarget): void {
  const elements: JsonObject[] = top.multiValued ? asList(holder[top.name]).filter(isJsonObject) : isJsonObject(holder[top.name]) ? [holder[top.name] as JsonObject] : [];
  if (elements.length === 0 && target.op !== 'remove' && !isEmpty(target.value)) elements.push({});
  for (const element of elements) setSub(element, sub, target);
  store(holder, top, top.multiValued ? (onePrimary(elements, elements.slice(-1)) as JsonObject[]) : elements);
}

function setSub(element: JsonObject, sub: AttributeDefinition, target: PatchTarget): void {
  if (target.op === 'remove' || isEmpty(target.value)) delete element[sub.name];
  else element[sub.name] = target.value!;
}

function store(holder: JsonObject, top: AttributeDefinition, elements: JsonObject[]): void {
  const nonEmpty = elements.filter((e) => Object.keys(e).length > 0);
  if (nonEmpty.length === 0) delete holder[top.name];
  else holder[top.name] = top.multiValued ? nonEmpty : nonEmpty[0];
}

/**
 * A value filter on a multi-valued attribute selects elements; on a singular complex attribute
 * (Entra's `manager[value eq "<id>"]`) the value is a collection of one, which `store` writes
 * back as a single value.
 */
function patchSelected(holder: JsonObject, top: AttributeDefinition, filter: ResolvedFilter, target: PatchTarget): void {
  const elements = asList(holder[top.name]);
  const selected = elements.filter((e) => matchesElement(filter, e, target.attribute));
  if (target.op === 'remove') {
    if (target.subAfterFilter) selected.filter(isJsonObject).forEach((e) => delete e[target.subAfterFilter!.name]);
    const chosen = new Set(selected);
    return store(holder, top, elements.filter((e) => !(chosen.has(e) && !target.subAfterFilter)).filter(isJsonObject));
  }
  if (selected.length === 0) {
    if (!top.multiValued && elements.length > 0) {
      throw noTarget(`${target.text} matches no value: ${top.name} has another value, which this operation does not select`);
    }
    const element = created(top, filter, target);
    return void (holder[top.name] = top.multiValued ? onePrimary([...elements, element], [element]) : element);
  }
  for (const element of selected.filter(isJsonObject)) {
    if (target.subAfterFilter) setSub(element, target.subAfterFilter, target);
    else replaceContent(element, merge(element, top, complexValue(top, target)));
  }
  store(holder, top, onePrimary(elements, selected).filter(isJsonObject));
}

/** Gives a selected element the merged content, in place (so it stays the selected element): null sub-attributes go. */
function replaceContent(element: JsonObject, content: JsonObject): void {
  for (const key of Object.keys(element)) delete element[key];
  Object.assign(element, content);
}

/**
 * add/replace on `emails[type eq "work"].value` when there is no work email creates it (Entra
 * relies on this): the filter's equalities become the new element's sub-attributes.
 */
function created(top: AttributeDefinition, filter: ResolvedFilter, target: PatchTarget): JsonObject {
  const element = equalities(filter);
  if (!element) throw noTarget(`${target.text} matches no value, and its filter does not describe one to create`);
  if (target.subAfterFilter) element[target.subAfterFilter.name] = target.value!;
  else Object.assign(element, canonical(top, complexValue(top, target)) as JsonObject);
  for (const [key, item] of Object.entries(element)) if (isEmpty(item)) delete element[key];
  return element;
}

function equalities(filter: ResolvedFilter): JsonObject | undefined {
  if (filter.kind === 'compare' && filter.op === 'eq' && filter.attribute.sub) return { [filter.attribute.sub.name]: filter.value };
  if (filter.kind !== 'and') return undefined;
  const left = equalities(filter.left);
  const right = equalities(filter.right);
  return left && right ? { ...left, ...right } : undefined;
}

/** RFC 7643 §2.4: at most one element is primary; the last one just written wins. */
function onePrimary(elements: Json[], written: Json[]): Json[] {
  const winner = [...written].reverse().find((e) => isJsonObject(e) && e.primary === true);
  if (!winner) return elements;
  for (const e of elements) if (isJsonObject(e) && e !== winner && e.primary === true) e.primary = false;
  return elements;
}
