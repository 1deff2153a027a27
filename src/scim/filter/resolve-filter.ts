import type { Comparison, CompareOperator, Filter } from './ast';
import type { ResolvedFilter } from './resolved';
import { invalidFilter } from '../errors';
import { formatPath, type AttributePath } from '../path/attribute-path';
import type { AttributeDefinition, ResourceType } from '../schema/definitions';
import { describeAttribute, leafOf, resolveAttribute, resolveRelative, type ResolvedAttribute } from '../schema/resolve-attribute';
import { parseDateTime } from '../values/date-time';
import { isEffectivePermissions, PERMISSION_OPERATORS } from './effective-permissions';

/** Which operators make sense for which attribute types (RFC 7644 §3.4.2.2). */
const operatorsByType: Record<string, readonly CompareOperator[]> = {
  string: ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'],
  reference: ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'],
  dateTime: ['eq', 'ne', 'gt', 'ge', 'lt', 'le'],
  integer: ['eq', 'ne', 'gt', 'ge', 'lt', 'le'],
  decimal: ['eq', 'ne', 'gt', 'ge', 'lt', 'le'],
  boolean: ['eq', 'ne'],
  binary: ['eq', 'ne'],
};

/** Validates a parsed filter against a resource type; throws invalidFilter with a readable reason. */
export function resolveFilter(resourceType: ResourceType, filter: Filter): ResolvedFilter {
  return visit(filter, (path) => bindTop(resourceType, path));
}

/**
 * Validates the filter of a value path (`emails[type eq "work"]` in a PATCH path) against the
 * sub-attributes of `parent`; the result is evaluated per element with matchesElement.
 */
export function resolveValueFilter(parent: ResolvedAttribute, filter: Filter): ResolvedFilter {
  const resolved = valuePath({ attribute: parent.top.name }, filter, () => parent);
  return (resolved as Extract<ResolvedFilter, { kind: 'valuePath' }>).filter;
}

type Binder = (path: AttributePath) => ResolvedAttribute;

function visit(filter: Filter, bind: Binder): ResolvedFilter {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return { kind: filter.kind, left: visit(filter.left, bind), right: visit(filter.right, bind) };
    case 'not':
      return { kind: 'not', filter: visit(filter.filter, bind) };
    case 'present':
      return { kind: 'present', attribute: presentable(bind(filter.path)) };
    case 'compare':
      // `eq null` / `ne null` are presence tests, so they follow pr's rules (`name eq null` is `not (name pr)`).
      return filter.value === null
        ? compareWithNull(filter.op, presentable(bind(filter.path)))
        : compare(filter, filterable(bind(filter.path)));
    case 'valuePath':
      return valuePath(filter.path, filter.filter, bind);
  }
}

function valuePath(path: AttributePath, inner: Filter, bind: Binder): ResolvedFilter {
  const parent = bind(path);
  if (parent.sub || parent.top.type !== 'complex' || !parent.top.multiValued) {
    throw invalidFilter(`"${formatPath(path)}[...]" needs a multi-valued complex attribute such as emails`);
  }
  const bindInner: Binder = (innerPath) => {
    const resolved = innerPath.schema === undefined && innerPath.subAttribute === undefined
      ? resolveRelative(parent, innerPath.attribute) : undefined;
    if (!resolved) throw invalidFilter(`"${formatPath(innerPath)}" is not a sub-attribute of ${describeAttribute(parent)}`);
    return resolved;
  };
  return { kind: 'valuePath', attribute: parent, filter: visit(inner, bindInner) };
}

function bindTop(resourceType: ResourceType, path: AttributePath): ResolvedAttribute {
  const resolved = resolveAttribute(resourceType, path);
  if (!resolved) throw invalidFilter(`Unknown attribute "${formatPath(path)}" for ${resourceType.name} resources`);
  return resolved;
}

/** A complex attribute named without a sub-attribute means its `value` (RFC 7644 §3.4.2.2). */
function filterable(resolved: ResolvedAttribute): ResolvedAttribute {
  const leaf = leafOf(resolved);
  if (!resolved.extension && resolved.top.name === 'meta' && (leaf.name === 'location' || leaf.name === 'version')) {
    throw invalidFilter(`meta.${leaf.name} cannot be used in a filter: filter on id, meta.created or meta.lastModified instead`);
  }
  if (leaf.returned === 'never' || leaf.mutability === 'writeOnly') {
    throw invalidFilter(`${describeAttribute(resolved)} is write-only and cannot be used in a filter`);
  }
  if (leaf.type !== 'complex') return resolved;
  if (resolved.top.name === 'meta' && !resolved.extension) throw invalidFilter('meta is complex: filter on meta.created or meta.lastModified');
  const value = resolved.sub ? undefined : resolveRelative(resolved, 'value');
  if (!value) {
    throw invalidFilter(`${describeAttribute(resolved)} is complex: filter on one of its sub-attributes, such as ${describeAttribute(resolved)}.${firstSubName(leaf)}`);
  }
  return value;
}

/** `pr` may name a complex attribute itself (`name pr`): present when any sub-attribute has a value. */
function presentable(resolved: ResolvedAttribute): ResolvedAttribute {
  return leafOf(resolved).type === 'complex' && !resolved.top.multiValued && resolved.top.name !== 'meta' ? resolved : filterable(resolved);
}

const firstSubName = (definition: AttributeDefinition) => definition.subAttributes?.[0]?.name ?? 'value';

function compare(filter: Comparison, attribute: ResolvedAttribute): ResolvedFilter {
  const leaf = leafOf(attribute);
  const name = describeAttribute(attribute);
  if (filter.value === null) return compareWithNull(filter.op, attribute);
  if (!(operatorsByType[leaf.type] ?? []).includes(filter.op)) {
    throw invalidFilter(`The "${filter.op}" operator cannot be used with ${name}, which is of type ${leaf.type}`);
  }
  if (isEffectivePermissions(attribute) && !PERMISSION_OPERATORS.includes(filter.op)) {
    throw invalidFilter(`The "${filter.op}" operator cannot be used with ${name}: permissions are names, which have no order; use ${PERMISSION_OPERATORS.join(', ')} or pr`);
  }
  return { kind: 'compare', attribute, op: filter.op, value: typedValue(leaf, filter.value, name) };
}

/** `eq null` means "has no value" and `ne null` "has a value"; nothing else compares with null. */
function compareWithNull(op: CompareOperator, attribute: ResolvedAttribute): ResolvedFilter {
  if (op === 'eq') return { kind: 'not', filter: { kind: 'present', attribute } };
  if (op === 'ne') return { kind: 'present', attribute };
  throw invalidFilter(`The "${op}" operator cannot compare ${describeAttribute(attribute)} with null: only eq null and ne null are allowed`);
}

function typedValue(leaf: AttributeDefinition, value: string | number | boolean, name: string): string | number | boolean {
  switch (leaf.type) {
    case 'boolean':
      return booleanValue(value, name);
    case 'integer':
    case 'decimal':
      if (typeof value !== 'number' || (leaf.type === 'integer' && !Number.isInteger(value))) {
        throw invalidFilter(`${name} is of type ${leaf.type}: compare it with a number, not ${JSON.stringify(value)}`);
      }
      return value;
    case 'dateTime': {
      const date = typeof value === 'string' ? parseDateTime(value) : undefined;
      if (date === undefined) throw invalidFilter(`${name} is a dateTime: compare it with a quoted date such as "2024-01-31T00:00:00Z", not ${JSON.stringify(value)}`);
      return date;
    }
    default:
      if (typeof value !== 'string') throw invalidFilter(`${name} is a string: put the value in double quotes, as in ${name} eq "${String(value)}"`);
      return value;
  }
}

/** Booleans are true/false literals; the strings "true"/"false" (any case) are accepted too, as IdPs send them. */
function booleanValue(value: string | number | boolean, name: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw invalidFilter(`${name} is a boolean: compare it with true or false, not ${JSON.stringify(value)}`);
}
