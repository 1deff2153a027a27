import type { PatchOperation, PatchVerb } from './patch-request';
import { invalidPath } from '../errors';
import { resolveValueFilter } from '../filter/resolve-filter';
import type { ResolvedFilter } from '../filter/resolved';
import { formatPath, type AttributePath } from '../path/attribute-path';
import { parseAttributePath } from '../path/parse-path';
import type { AttributeDefinition, ResourceType } from '../schema/definitions';
import { resolveAttribute, resolveRelative, type ResolvedAttribute } from '../schema/resolve-attribute';
import { ScimError } from '../errors';
import { isJsonObject, type Json } from '../values/json';

/**
 * One operation bound to the schema: the attribute it changes, the elements it selects and the
 * sub-attribute it sets. A no-path add/replace becomes one target per key of its value, where a
 * key may be a plain name, a dotted `name.givenName` or a URN-qualified name (Entra sends all
 * three), or an extension URN holding an object of that extension's attributes.
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
  // A path that is a whole extension URN (some clients send it) targets that extension's attributes.
  const extension = resourceType.extensions.find((e) => e.schema.id.toLowerCase() === operation.pathText!.trim().toLowerCase());
  if (extension) return bindExtensionPath(resourceType, operation, extension.schema.id);
  const { path } = operation;
  const attribute = resolvePath(resourceType, path.attribute);
  const valueFilter = path.valueFilter ? bindValueFilter(attribute, path.valueFilter, operation.pathText!) : undefined;
  const subAfterFilter = path.subAttribute !== undefined ? bindSub(attribute, path.subAttribute, operation.pathText!) : undefined;
  return [{ op: operation.op, attribute, valueFilter, subAfterFilter, value: operation.value, text: operation.pathText! }];
}

function bindValueKeys(resourceType: ResourceType, operation: PatchOperation): PatchTarget[] {
  const value = operation.value;
  if (!isJsonObject(value)) return [];
  return Object.entries(value).flatMap(([key, item]) => {
    if (key.toLowerCase() === 'schemas') return []; // the resource's schemas follow from its attributes
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
  return { op, attribute: resolvePath(resourceType, path), value, text };
}

function resolvePath(resourceType: ResourceType, path: AttributePath): ResolvedAttribute {
  const resolved = resolveAttribute(resourceType, path);
  if (!resolved) throw invalidPath(`"${formatPath(path)}" is not an attribute of ${resourceType.name} resources`);
  return resolved;
}

function bindValueFilter(attribute: ResolvedAttribute, filter: NonNullable<PatchOperation['path']>['valueFilter'], text: string): ResolvedFilter {
  if (attribute.sub || attribute.top.type !== 'complex' || !attribute.top.multiValued) {
    throw invalidPath(`"${text}": only multi-valued complex attributes (such as emails or members) take a [filter]`);
  }
  try {
    return resolveValueFilter(attribute, filter!);
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
