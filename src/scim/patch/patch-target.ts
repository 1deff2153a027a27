import type { PatchOperation, PatchVerb } from './patch-request';
import { invalidPath } from '../errors';
import { resolveValueFilter } from '../filter/resolve-filter';
import type { ResolvedFilter } from '../filter/resolved';
import { formatPath, type AttributePath } from '../path/attribute-path';
import { parseAttributePath } from '../path/parse-path';
import type { AttributeDefinition, ResourceType } from '../schema/definitions';
import { leafOf, resolveAttribute, resolveRelative, type ResolvedAttribute } from '../schema/resolve-attribute';
import { ScimError } from '../errors';
import { lenientValue, takesBareValue } from '../values/idp-leniency';
import { closestAttribute } from '../schema/name-candidates';
import { isForeignSchemaName } from '../schema/unknown-attributes';
import { isJsonObject, type Json } from '../values/json';

/**
 * One operation bound to the schema: the attribute it changes, the elements it selects and the
 * sub-attribute it sets. A no-path add/replace becomes one target per key of its value, where a
 * key may be a plain name, a dotted `name.givenName` or a URN-qualified name (Entra sends all
 * three), or an extension URN holding an object of that extension's attributes.
 *
 * Each value is read by the definition it is written to (values/idp-leniency): Entra's
 * `"value": "False"` for `active` is false, and its bare `"<id>"` for the enterprise `manager`
 * is a whole new manager, `{"value": "<id>"}`.
 */
export interface PatchTarget {
  readonly op: PatchVerb;
  readonly attribute: ResolvedAttribute;
  readonly valueFilter?: ResolvedFilter;
  /** Sub-attribute after a value filter: `emails[type eq "work"].value`. */
  readonly subAfterFilter?: AttributeDefinition;
  readonly value?: Json;
  readonly text: string;
}

export function bindOperation(resourceType: ResourceType, operation: PatchOperation): PatchTarget[] {
  if (!operation.path) return bindValueKeys(resourceType, operation);
  // An IdP's own extension (urn:okta:custom:1.0:User:costCode): ignored, as in a POST or PUT body.
  if (isForeignSchemaName(resourceType, operation.pathText!.trim())) return [];
  // A path that is a whole extension URN (some clients send it) targets that extension's attributes.
  const extension = resourceType.extensions.find((e) => e.schema.id.toLowerCase() === operation.pathText!.trim().toLowerCase());
  if (extension) return bindExtensionPath(resourceType, operation, extension.schema.id);
  const { path } = operation;
  const attribute = resolvePath(resourceType, path.attribute);
  const valueFilter = path.valueFilter ? bindValueFilter(attribute, path.valueFilter, operation.pathText!) : undefined;
  const subAfterFilter = path.subAttribute !== undefined ? bindSub(attribute, path.subAttribute, operation.pathText!) : undefined;
  const value = operation.value === undefined ? undefined : lenient(subAfterFilter ?? leafOf(attribute), operation.value, !valueFilter);
  return [{ op: operation.op, attribute, valueFilter, subAfterFilter, ...(value === undefined ? {} : { value }), text: operation.pathText! }];
}

/**
 * The value as the attribute's type means it. `whole` is false when the value is one element
 * selected by a value filter (`emails[type eq "work"]`), which is taken as a single element.
 * A bare string for a singular complex attribute names a whole new value: its other
 * sub-attributes are cleared (null), so a new manager does not keep the old manager's $ref.
 */
function lenient(definition: AttributeDefinition, value: Json, whole: boolean): Json {
  // A string for one element of a multi-valued complex attribute is no element (the bare form is for singular ones).
  if (!whole && definition.multiValued && typeof value === 'string') return value;
  const read = whole ? lenientValue(definition, value) : lenientValue({ ...definition, multiValued: false }, value);
  if (typeof value !== 'string' || !isJsonObject(read) || !takesBareValue(definition)) return read;
  const cleared = (definition.subAttributes ?? []).filter((s) => s.mutability !== 'readOnly' && !(s.name in read));
  return { ...read, ...Object.fromEntries(cleared.map((s) => [s.name, null])) };
}

function bindValueKeys(resourceType: ResourceType, operation: PatchOperation): PatchTarget[] {
  const value = operation.value;
  if (!isJsonObject(value)) return [];
  return Object.entries(value).flatMap(([key, item]) => {
    if (key.toLowerCase() === 'schemas') return []; // the resource's schemas follow from its attributes
    if (isForeignSchemaName(resourceType, key)) return [];
    const extension = resourceType.extensions.find((e) => e.schema.id.toLowerCase() === key.toLowerCase());
    if (extension && isJsonObject(item)) {
      return Object.entries(item).map(([name, v]) => target(resourceType, operation.op, { schema: extension.schema.id, ...splitName(name) }, v, `${key}:${name}`));
    }
    return [target(resourceType, operation.op, parseKey(key), item, key)];
  });
}

function bindExtensionPath(resourceType: ResourceType, operation: PatchOperation, urn: string): PatchTarget[] {
  if (operation.op === 'remove' && operation.value === undefined) {
    return resourceType.extensions.find((e) => e.schema.id === urn)!.schema.attributes
      .filter((a) => a.mutability !== 'readOnly')
      .map((a) => target(resourceType, 'remove', { schema: urn, attribute: a.name }, null, `${urn}:${a.name}`));
  }
  if (!isJsonObject(operation.value)) throw invalidPath(`"${urn}" as a path needs an object of that extension's attributes as its value`);
  return bindValueKeys(resourceType, { op: operation.op, value: { [urn]: operation.value } });
}

const splitName = (name: string): { attribute: string; subAttribute?: string } => {
  const [attribute, subAttribute] = name.split('.', 2);
  return subAttribute === undefined ? { attribute } : { attribute, subAttribute };
};

function parseKey(key: string): AttributePath {
  try {
    return parseAttributePath(key);
  } catch (error) {
    if (error instanceof ScimError) throw invalidPath(`"${key}" in the PATCH value is not an attribute name`);
    throw error;
  }
}

function target(resourceType: ResourceType, op: PatchVerb, path: AttributePath, value: Json, text: string): PatchTarget {
  const attribute = resolvePath(resourceType, path);
  return { op, attribute, value: lenient(leafOf(attribute), value, true), text };
}

function resolvePath(resourceType: ResourceType, path: AttributePath): ResolvedAttribute {
  const resolved = resolveAttribute(resourceType, path);
  if (!resolved) {
    const text = formatPath(path);
    const meant = closestAttribute(resourceType, text);
    throw invalidPath(`"${text}" is not an attribute of ${resourceType.name} resources${meant ? ` (did you mean "${meant}"?)` : ''}`);
  }
  return resolved;
}

/**
 * A value filter selects elements of a complex attribute. On a singular one it treats the value
 * as a collection of one: Entra removes the manager with `urn:…:manager[value eq "<id>"]`, which
 * removes it only while it is that manager.
 */
function bindValueFilter(attribute: ResolvedAttribute, filter: NonNullable<PatchOperation['path']>['valueFilter'], text: string): ResolvedFilter {
  if (attribute.sub || attribute.top.type !== 'complex') {
    throw invalidPath(`"${text}": only complex attributes (such as emails, members or manager) take a [filter]`);
  }
  // The filter binder accepts multi-valued attributes only; its result is evaluated per element alike.
  const asCollection = attribute.top.multiValued ? attribute : { ...attribute, top: { ...attribute.top, multiValued: true } };
  try {
    return resolveValueFilter(asCollection, filter!);
  } catch (error) {
    if (error instanceof ScimError) throw invalidPath(`"${text}": ${error.detail}`);
    throw error;
  }
}

function bindSub(attribute: ResolvedAttribute, name: string, text: string): AttributeDefinition {
  const sub = resolveRelative(attribute, name)?.sub;
  if (!sub) throw invalidPath(`"${text}": ${attribute.top.name} has no sub-attribute "${name}"`);
  return sub;
}
