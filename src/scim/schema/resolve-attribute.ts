import type { AttributePath } from '../path/attribute-path';
import { commonAttributes, type AttributeDefinition, type ResourceType, type SchemaDefinition } from './definitions';

/** An attribute path bound to its definition in a resource type. */
export interface ResolvedAttribute {
  /** The extension schema that owns the attribute, when it is not a core or common one. */
  readonly extension?: SchemaDefinition;
  readonly top: AttributeDefinition;
  readonly sub?: AttributeDefinition;
  /** Canonical keys leading to the value in a resource's JSON, e.g. ["urn:…:User", "manager", "value"]. */
  readonly jsonPath: readonly string[];
}

export const leafOf = (resolved: ResolvedAttribute): AttributeDefinition => resolved.sub ?? resolved.top;

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const findIn = (list: readonly AttributeDefinition[] | undefined, name: string) => list?.find((a) => sameName(a.name, name));

/**
 * Binds a path to its definition, case-insensitively (RFC 7643 §2.1). Unqualified names refer
 * to the common and core attributes; as a courtesy, an unqualified name found in exactly one
 * extension (and not in the core schema) resolves there. Returns undefined when nothing matches.
 */
export function resolveAttribute(resourceType: ResourceType, path: AttributePath): ResolvedAttribute | undefined {
  const owner = ownerOf(resourceType, path);
  if (!owner) return undefined;
  const top = owner.extension ? findIn(owner.extension.attributes, path.attribute) : findInCore(resourceType, path.attribute);
  if (!top) return undefined;
  const prefix = owner.extension ? [owner.extension.id] : [];
  return bindSub(top, path.subAttribute, prefix, owner.extension);
}

/** Resolves a sub-attribute name relative to a complex attribute (inside `emails[...]`). */
export function resolveRelative(parent: ResolvedAttribute, name: string): ResolvedAttribute | undefined {
  if (parent.sub || parent.top.type !== 'complex') return undefined;
  const sub = findIn(parent.top.subAttributes, name);
  return sub ? { ...parent, sub, jsonPath: [...parent.jsonPath, sub.name] } : undefined;
}

function bindSub(
  top: AttributeDefinition,
  subName: string | undefined,
  prefix: string[],
  extension: SchemaDefinition | undefined,
): ResolvedAttribute | undefined {
  if (subName === undefined) return { extension, top, jsonPath: [...prefix, top.name] };
  const sub = findIn(top.subAttributes, subName);
  return sub ? { extension, top, sub, jsonPath: [...prefix, top.name, sub.name] } : undefined;
}

function findInCore(resourceType: ResourceType, name: string): AttributeDefinition | undefined {
  return findIn(commonAttributes, name) ?? findIn(resourceType.core.attributes, name);
}

function ownerOf(resourceType: ResourceType, path: AttributePath): { extension?: SchemaDefinition } | undefined {
  if (path.schema !== undefined) {
    if (sameName(path.schema, resourceType.core.id)) return {};
    const extension = resourceType.extensions.find((e) => sameName(e.schema.id, path.schema!));
    return extension ? { extension: extension.schema } : undefined;
  }
  if (findInCore(resourceType, path.attribute)) return {};
  const holders = resourceType.extensions.filter((e) => findIn(e.schema.attributes, path.attribute));
  return holders.length === 1 ? { extension: holders[0].schema } : {};
}

/** The canonical text of a resolved attribute, for messages and sortBy echoes. */
export function describeAttribute(resolved: ResolvedAttribute): string {
  const names = resolved.sub ? `${resolved.top.name}.${resolved.sub.name}` : resolved.top.name;
  return resolved.extension ? `${resolved.extension.id}:${names}` : names;
}
