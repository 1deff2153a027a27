import { invalidValue, ScimError } from './errors';
import { parseAttributePath } from './path/parse-path';
import { commonAttributes, type AttributeDefinition, type ResourceType, type Returned } from './schema/definitions';
import { resolveAttribute } from './schema/resolve-attribute';
import { isJsonObject, type Json, type JsonObject } from './values/json';

/**
 * RFC 7644 §3.4.2.5 / §3.9 `attributes` and `excludedAttributes`, applied to a resource as it is
 * served. Names are resolved against the schema once, up front; applying is then a single walk.
 */
export interface Projection {
  /** Applies the projection to one rendered resource, returning a new object (input not mutated). */
  apply(resource: JsonObject): JsonObject;
  /** Whether a top-level attribute (canonical core name like 'members' or 'groups') will appear in the output, so callers can skip computing it. */
  includes(attributeName: string): boolean;
}

type Mode = 'default' | 'include' | 'exclude';

/** What the projection needs to know about one key of a resource or of a complex value. */
interface Node { readonly name: string; readonly returned: Returned; readonly children?: readonly AttributeDefinition[] }

interface Rules {
  readonly mode: Mode;
  /** Named paths, as lowercased canonical keys joined by spaces (no attribute name holds one). */
  readonly named: ReadonlySet<string>;
}

// `schemas` is in no schema (RFC 7643 §3), yet a resource is meaningless without it.
const SCHEMAS: Node = { name: 'schemas', returned: 'always' };

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const keyOf = (path: readonly string[]) => path.join(' ').toLowerCase();
const nodeOf = (d: AttributeDefinition | undefined): Node | undefined =>
  d && { name: d.name, returned: d.returned, children: d.type === 'complex' ? d.subAttributes : undefined };
const findIn = (list: readonly AttributeDefinition[] | undefined, key: string) => list?.find((d) => sameName(d.name, key));

export function parseProjection(
  resourceType: ResourceType,
  attributes: string | readonly string[] | undefined,
  excludedAttributes: string | readonly string[] | undefined,
): Projection {
  const included = toList(attributes);
  const excluded = toList(excludedAttributes);
  // RFC 7644 §3.4.2.5 lets `attributes` override `excludedAttributes` when a client sends both.
  const rules: Rules =
    included.length > 0 ? { mode: 'include', named: resolveNames(resourceType, included, 'attributes') }
    : excluded.length > 0 ? { mode: 'exclude', named: resolveNames(resourceType, excluded, 'excludedAttributes') }
    : { mode: 'default', named: new Set() };
  const lookup = (key: string) => cachedTopLevelNode(resourceType, key);
  return {
    // The walk builds new objects and never writes into the input; unchanged leaves are shared.
    apply: (resource) => rules.mode === 'default' ? projectDefault(resource, lookup) : projectObject(resource, lookup, [], false, rules),
    includes: (name) => {
      const node = lookup(name);
      return node ? shows(rules, [node.name], node.returned, false) : rules.mode !== 'include';
    },
  };
}

/** Query strings carry "a, b,c"; a /.search body carries ["a", "b"]. Empty entries mean nothing. */
function toList(value: string | readonly string[] | undefined): string[] {
  const raw = value === undefined ? [] : typeof value === 'string' ? [value] : value;
  return raw.flatMap((entry) => entry.split(',')).map((name) => name.trim()).filter((name) => name !== '');
}

function resolveNames(resourceType: ResourceType, names: readonly string[], parameter: string): Set<string> {
  const keys = names.map((name) => resolveName(resourceType, name, parameter));
  return new Set(keys.filter((key): key is string => key !== undefined));
}

function resolveName(resourceType: ResourceType, name: string, parameter: string): string | undefined {
  // A bare extension URN would parse as schema "…:2.0" plus attribute "User", so it is matched first.
  const extension = resourceType.extensions.find((e) => sameName(e.schema.id, name));
  if (extension) return keyOf([extension.schema.id]);
  let path;
  try {
    path = parseAttributePath(name);
  } catch (error) {
    if (!(error instanceof ScimError)) throw error;
    throw invalidValue(`The ${parameter} parameter names "${name}", which is not an attribute path: ${error.detail}`);
  }
  // Unknown names are ignored: clients send one list everywhere, e.g. excludedAttributes=members to /Users.
  const resolved = resolveAttribute(resourceType, path);
  return resolved && keyOf(resolved.jsonPath);
}

/** Top-level keys: `schemas`, common attributes, core attributes, then extension URNs. */
/**
 * The same few keys are looked up for every resource of every response: the answer depends
 * only on the resource type and the key, so it is computed once per pair.
 */
const nodeCache = new WeakMap<ResourceType, Map<string, Node | undefined>>();
function cachedTopLevelNode(resourceType: ResourceType, key: string): Node | undefined {
  let nodes = nodeCache.get(resourceType);
  if (!nodes) nodeCache.set(resourceType, (nodes = new Map()));
  if (!nodes.has(key)) nodes.set(key, topLevelNode(resourceType, key));
  return nodes.get(key);
}

function topLevelNode(resourceType: ResourceType, key: string): Node | undefined {
  if (sameName(key, SCHEMAS.name)) return SCHEMAS;
  const attribute = findIn(commonAttributes, key) ?? findIn(resourceType.core.attributes, key);
  if (attribute) return nodeOf(attribute);
  const extension = resourceType.extensions.find((e) => sameName(e.schema.id, key));
  return extension && { name: extension.schema.id, returned: 'default', children: extension.schema.attributes };
}

/** The one decision of the projection; `withinNamed` means an ancestor was named in `attributes`. */
function shows(rules: Rules, path: readonly string[], returned: Returned, withinNamed: boolean): boolean {
  if (returned === 'never') return false;
  if (returned === 'always') return true;
  const key = keyOf(path);
  switch (rules.mode) {
    case 'include':
      // Naming `name.givenName` must still let `name` through, to hold it.
      return withinNamed || rules.named.has(key) || [...rules.named].some((n) => n.startsWith(`${key} `));
    case 'exclude':
      // Excluded ancestors were dropped before their children are reached, so only this key matters.
      return returned !== 'request' && !rules.named.has(key);
    default:
      return returned !== 'request';
  }
}

type Lookup = (key: string) => Node | undefined;

const hidden = (returned: Returned) => returned === 'never' || returned === 'request';
const hidesSomething = (children: readonly AttributeDefinition[] | undefined): boolean =>
  (children ?? []).some((c) => hidden(c.returned) || hidesSomething(c.subAttributes));

/**
 * The common case (no attributes/excludedAttributes), on every resource of every list: drop only
 * what is never or only-on-request returned, walking into a complex value only when its schema
 * has something to hide there.
 */
function projectDefault(resource: JsonObject, lookup: Lookup): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(resource)) {
    const node = lookup(key);
    if (node && hidden(node.returned)) continue;
    out[key] = node?.children && hidesSomething(node.children)
      ? projectComplex(value, (k) => nodeOf(findIn(node.children, k)), [node.name], false, { mode: 'default', named: new Set() }) ?? value
      : value;
  }
  return out;
}

function projectObject(object: JsonObject, lookup: Lookup, path: readonly string[], withinNamed: boolean, rules: Rules): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(object)) {
    const node = lookup(key);
    if (!node) {
      // Keys no schema knows are not ours to hide, unless the client asked for a precise list.
      if (rules.mode !== 'include' || withinNamed) out[key] = value;
      continue;
    }
    const nodePath = [...path, node.name];
    if (!shows(rules, nodePath, node.returned, withinNamed)) continue;
    const named = rules.mode === 'include' && (withinNamed || node.returned === 'always' || rules.named.has(keyOf(nodePath)));
    const children = node.children && ((k: string) => nodeOf(findIn(node.children, k)));
    const projected = children ? projectComplex(value, children, nodePath, named, rules) : value;
    if (projected !== undefined) out[key] = projected;
  }
  return out;
}

/**
 * Projects a complex value (or each element of a multi-valued one). A value that the projection
 * emptied is dropped, so `name.givenName` on a user without one yields no `name: {}`, and an
 * extension left with nothing disappears.
 */
function projectComplex(value: Json, lookup: Lookup, path: readonly string[], withinNamed: boolean, rules: Rules): Json | undefined {
  if (Array.isArray(value)) {
    const elements = value.map((e) => (isJsonObject(e) ? projectComplex(e, lookup, path, withinNamed, rules) : e));
    const kept = elements.filter((e): e is Json => e !== undefined);
    return kept.length === 0 && value.length > 0 ? undefined : kept;
  }
  if (!isJsonObject(value)) return value;
  const projected = projectObject(value, lookup, path, withinNamed, rules);
  return Object.keys(projected).length === 0 && Object.keys(value).length > 0 ? undefined : projected;
}
