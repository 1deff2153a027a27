import { chainOperands } from '../../scim/filter/chains';
import { isEffectivePermissions } from '../../scim/filter/effective-permissions';
import { evaluateFilter } from '../../scim/filter/evaluate-filter';
import type { ResolvedComparison, ResolvedFilter } from '../../scim/filter/resolved';
import type { AttributeDefinition, ResourceType } from '../../scim/schema/definitions';
import { describeAttribute, leafOf, type ResolvedAttribute } from '../../scim/schema/resolve-attribute';
import { foldCase } from '../../scim/values/fold-case';
import type { Json, JsonObject } from '../../scim/values/json';
import { UnsupportedQuery } from '../port';
import { encodeKey } from './query-document';
import { anyOf } from './any-of';
import { withinDepth } from './query-depth';
import {
  containerPath, locateInElement, locateInRelated, locateInResource, matchAll, matchesNone, matchNone, type Location, type MongoQuery, type Relation,
} from './query-fields';
import { membershipQuery, type RelatedIds, type RelationResolver } from './relation-filter';
import { permissionQuery } from './permission-filter';

export type { MongoQuery } from './query-fields';
export { MAX_RELATED_MATCHES, type RelationResolver } from './relation-filter';

/** Where the compiler reads values: the resource, one element of an array ($elemMatch), or a related document. */
interface Scope {
  /** jsonPath prefix this scope stands at ([] for the resource, ["emails"] inside emails[…]). */
  readonly base: readonly string[];
  locate(attribute: ResolvedAttribute): Location | undefined;
}

/** One compilation: the resolver, and how many related ids the query holds so far (MAX_RELATED_MATCHES). */
interface Compilation {
  readonly relations: RelationResolver;
  readonly related: RelatedIds;
}

/**
 * The MongoDB visitor over a resolved filter, for `users` or `groups` documents (documents.ts).
 * Semantics match evaluateFilter: a comparison holds when any value satisfies it (MongoDB applies
 * a condition on a dotted path to every array element), `ne` is `not eq`, and `not` is `$nor`,
 * which is two-valued: a document lacking the field matches `$nor` of a condition on it.
 * Refused (UnsupportedQuery): what no field holds, a query deeper than MAX_QUERY_DEPTH
 * (query-depth.ts), and membership conditions that would need more than MAX_RELATED_MATCHES ids
 * (a user's groups, a group's members, the groups granting an effective permission).
 */
export async function compileFilter(resourceType: ResourceType, filter: ResolvedFilter, relations: RelationResolver): Promise<MongoQuery> {
  const scope: Scope = { base: [], locate: (attribute) => locateInResource(resourceType, attribute) };
  return withinDepth(await visit(filter, scope, { relations, related: { count: 0 } }));
}

async function visit(filter: ResolvedFilter, scope: Scope, compilation: Compilation): Promise<MongoQuery> {
  switch (filter.kind) {
    case 'and':
    case 'or': {
      // One n-ary $and / $or for a whole chain: its nesting does not grow with the chain.
      const operands: MongoQuery[] = [];
      for (const operand of chainOperands(filter, filter.kind)) operands.push(await visit(operand, scope, compilation));
      return filter.kind === 'and' ? { $and: operands } : anyOf(operands);
    }
    case 'not':
      return { $nor: [await visit(filter.filter, scope, compilation)] };
    case 'present':
    case 'compare':
      return leaf(filter, scope, compilation);
    case 'valuePath':
      return valuePath(filter, scope, compilation);
  }
}

type Leaf = Extract<ResolvedFilter, { kind: 'present' | 'compare' }>;

async function leaf(filter: Leaf, scope: Scope, compilation: Compilation): Promise<MongoQuery> {
  if (filter.kind === 'compare' && filter.op === 'ne') return { $nor: [await leaf({ ...filter, op: 'eq' }, scope, compilation)] };
  // Computed from the user's entitlements and its groups' permissions: stored nowhere as such.
  if (isEffectivePermissions(filter.attribute)) return permissionQuery(filter, condition, compilation.relations, compilation.related);
  const location = scope.locate(filter.attribute);
  switch (location?.kind) {
    case 'field':
      return filter.kind === 'present' ? presence(location, leafOf(filter.attribute)) : where(location, condition(filter));
    case 'constant':
      // The evaluator itself decides, so folding and type rules cannot drift from it.
      return evaluateFilter(filter, nest(filter.attribute.jsonPath.slice(scope.base.length), location.value), scope.base) ? matchAll() : matchNone();
    case 'relation':
      return viaRelation(location.relation, filter.attribute, filter, compilation);
    default:
      throw new UnsupportedQuery('filter', `filtering on ${describeAttribute(filter.attribute)}`);
  }
}

/** `emails[type eq "work" and value co "@x"]`: one element must satisfy the whole inner filter. */
async function valuePath(filter: Extract<ResolvedFilter, { kind: 'valuePath' }>, scope: Scope, compilation: Compilation): Promise<MongoQuery> {
  const location = scope.locate(filter.attribute);
  if (location?.kind === 'relation') return viaRelation(location.relation, filter.attribute, filter.filter, compilation);
  if (location?.kind !== 'field') throw new UnsupportedQuery('filter', `filtering inside ${describeAttribute(filter.attribute)}[...]`);
  const element: Scope = { base: filter.attribute.jsonPath, locate: locateInElement };
  return { [location.path]: { $elemMatch: await visit(filter.filter, element, compilation) } };
}

/**
 * A filter on the elements of a user's groups / a group's members (`filter`'s attributes are
 * sub-attributes of `attribute`): compiled over the related documents, then turned into a
 * condition on the resource by relation-filter.ts (through groupIds, never memberships).
 */
async function viaRelation(relation: Relation, attribute: ResolvedAttribute, filter: ResolvedFilter, compilation: Compilation): Promise<MongoQuery> {
  const scope: Scope = { base: containerPath(attribute), locate: (inner) => locateInRelated(relation, inner) };
  const inner = await visit(filter, scope, compilation);
  return matchesNone(inner) ? matchNone() : membershipQuery(relation, inner, compilation.relations, compilation.related);
}

/** "Some value satisfies `condition`", reading the fallback field when the first is missing or null. */
function where(location: Extract<Location, { kind: 'field' }>, condition: MongoQuery): MongoQuery {
  if (!location.fallback) return { [location.path]: condition };
  return { $or: [{ [location.path]: condition }, { [location.path]: null, [location.fallback]: condition }] };
}

/**
 * `pr` as in evaluateFilter: some value is neither null nor "". A complex value is present when
 * one of its sub-attributes is ({} and {"givenName": ""} are not).
 */
function presence(location: Extract<Location, { kind: 'field' }>, definition: AttributeDefinition): MongoQuery {
  if (definition.type !== 'complex') return where(location, nonEmpty(definition));
  const subs = definition.subAttributes ?? [];
  return { $or: subs.map((sub) => presence({ kind: 'field', path: `${location.path}.${encodeKey(sub.name)}` }, sub)) };
}

/** A value of the type that is not empty. Comparisons are type-bracketed, so `$gt: ""` matches exactly the non-empty strings. */
function nonEmpty(definition: AttributeDefinition): MongoQuery {
  switch (definition.type) {
    case 'boolean': return { $in: [true, false] };
    case 'integer':
    case 'decimal': return { $type: 'number' };
    default: return { $gt: '' };
  }
}

/** The operator expression for a comparison; the operand is folded exactly when evaluateFilter folds it. */
function condition(filter: ResolvedComparison): MongoQuery {
  const leafDefinition = leafOf(filter.attribute);
  const fold = typeof filter.value === 'string' && leafDefinition.type !== 'dateTime' && leafDefinition.caseExact !== true;
  const operand = fold ? foldCase(filter.value as string) : filter.value;
  switch (filter.op) {
    case 'eq': return { $eq: operand };
    case 'gt': return { $gt: operand };
    case 'ge': return { $gte: operand };
    case 'lt': return { $lt: operand };
    case 'le': return { $lte: operand };
    // Anchored at the start with ^ so an index on the field can serve sw as a range.
    case 'sw': return { $regex: `^${escapeRegex(operand as string)}` };
    // JavaScript lacks \z and PCRE's $ also matches before a final newline: "no character follows" is the true end in both.
    case 'ew': return { $regex: `${escapeRegex(operand as string)}(?![\\s\\S])` };
    case 'co': return { $regex: escapeRegex(operand as string) };
    case 'ne': throw new Error('ne is compiled as not eq');
  }
}

/** Escapes every regex metacharacter, the same way for PCRE (MongoDB) and JavaScript (mingo). */
export const escapeRegex = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/** {a: {b: value}} for ["a", "b"]: a constant placed where evaluateFilter looks for it. */
function nest(path: readonly string[], value: Json): JsonObject {
  return path.reduceRight<Json>((inner, key) => ({ [key]: inner }), value) as JsonObject;
}
