import { chainOperands } from '../../scim/filter/chains';
import { evaluateFilter } from '../../scim/filter/evaluate-filter';
import type { ResolvedComparison, ResolvedFilter } from '../../scim/filter/resolved';
import type { AttributeDefinition, ResourceType } from '../../scim/schema/definitions';
import { describeAttribute, leafOf, type ResolvedAttribute } from '../../scim/schema/resolve-attribute';
import { foldCase } from '../../scim/values/fold-case';
import type { Json, JsonObject } from '../../scim/values/json';
import { UnsupportedQuery } from '../port';
import { encodeKey } from './query-document';
import { containerPath, locateInElement, locateInRelated, locateInResource, type Location, type MongoQuery, type Relation } from './query-fields';

export type { MongoQuery } from './query-fields';

/**
 * Answers the membership questions a filter on User.groups or Group.members asks; the compiler
 * turns the answer into `_id: {$in: [...]}`. A filter naming one id (`groups.value eq "…"`,
 * `members[value eq "…"]`) uses the first two methods. Any other condition on the elements
 * (`groups pr`, `groups.display sw "S"`, `members.display eq "…"`) needs the optional *Matching
 * methods, which take a query (compiled here) over the related collection; without them such a
 * filter is an UnsupportedQuery.
 */
export interface RelationResolver {
  /** Ids of the groups that (not deleted) user `userId` is a direct member of. */
  groupsWithMember(userId: string): Promise<string[]>;
  /** Ids of the (not deleted) users that are members of group `groupId`. */
  membersOfGroup(groupId: string): Promise<string[]>;
  /** Ids of the (not deleted) users that are direct members of at least one group matching `groupQuery`. */
  membersOfGroupsMatching?(groupQuery: MongoQuery): Promise<string[]>;
  /** Ids of the groups with at least one member matching `userQuery` (which already excludes deleted users). */
  groupsWithMembersMatching?(userQuery: MongoQuery): Promise<string[]>;
}

/** Matches every document / no document (`$nor` of either is the other); fresh objects, as callers may extend a query. */
const matchAll = (): MongoQuery => ({});
const matchNone = (): MongoQuery => ({ _id: { $in: [] } });
function matchesNone(query: MongoQuery): boolean {
  const only = singleCondition(query);
  return only?.key === '$in' && Array.isArray(only.value) && only.value.length === 0;
}

/** Where the compiler reads values: the resource, one element of an array ($elemMatch), or a related document. */
interface Scope {
  /** jsonPath prefix this scope stands at ([] for the resource, ["emails"] inside emails[…]). */
  readonly base: readonly string[];
  locate(attribute: ResolvedAttribute): Location | undefined;
}

/**
 * The MongoDB visitor over a resolved filter, for `users` or `groups` documents (documents.ts).
 * Semantics match evaluateFilter: a comparison holds when any value satisfies it (MongoDB applies
 * a condition on a dotted path to every array element), `ne` is `not eq`, and `not` is `$nor`,
 * which is two-valued: a document lacking the field matches `$nor` of a condition on it.
 */
export async function compileFilter(resourceType: ResourceType, filter: ResolvedFilter, relations: RelationResolver): Promise<MongoQuery> {
  const scope: Scope = { base: [], locate: (attribute) => locateInResource(resourceType, attribute) };
  return visit(filter, scope, relations);
}

async function visit(filter: ResolvedFilter, scope: Scope, relations: RelationResolver): Promise<MongoQuery> {
  switch (filter.kind) {
    case 'and':
    case 'or': {
      // One n-ary $and / $or for a whole chain: its nesting does not grow with the chain (BSON allows 100 levels).
      const operands: MongoQuery[] = [];
      for (const operand of chainOperands(filter, filter.kind)) operands.push(await visit(operand, scope, relations));
      return { [`$${filter.kind}`]: operands };
    }
    case 'not':
      return { $nor: [await visit(filter.filter, scope, relations)] };
    case 'present':
    case 'compare':
      return leaf(filter, scope, relations);
    case 'valuePath':
      return valuePath(filter, scope, relations);
  }
}

type Leaf = Extract<ResolvedFilter, { kind: 'present' | 'compare' }>;

async function leaf(filter: Leaf, scope: Scope, relations: RelationResolver): Promise<MongoQuery> {
  if (filter.kind === 'compare' && filter.op === 'ne') return { $nor: [await leaf({ ...filter, op: 'eq' }, scope, relations)] };
  const location = scope.locate(filter.attribute);
  switch (location?.kind) {
    case 'field':
      return filter.kind === 'present' ? presence(location, leafOf(filter.attribute)) : where(location, condition(filter));
    case 'constant':
      // The evaluator itself decides, so folding and type rules cannot drift from it.
      return evaluateFilter(filter, nest(filter.attribute.jsonPath.slice(scope.base.length), location.value), scope.base) ? matchAll() : matchNone();
    case 'relation':
      return viaRelation(location.relation, filter.attribute, filter, relations);
    default:
      throw new UnsupportedQuery('filter', `filtering on ${describeAttribute(filter.attribute)}`);
  }
}

/** `emails[type eq "work" and value co "@x"]`: one element must satisfy the whole inner filter. */
async function valuePath(filter: Extract<ResolvedFilter, { kind: 'valuePath' }>, scope: Scope, relations: RelationResolver): Promise<MongoQuery> {
  const location = scope.locate(filter.attribute);
  if (location?.kind === 'relation') return viaRelation(location.relation, filter.attribute, filter.filter, relations);
  if (location?.kind !== 'field') throw new UnsupportedQuery('filter', `filtering inside ${describeAttribute(filter.attribute)}[...]`);
  const element: Scope = { base: filter.attribute.jsonPath, locate: locateInElement };
  return { [location.path]: { $elemMatch: await visit(filter.filter, element, relations) } };
}

/**
 * A filter on the elements of a user's groups / a group's members (`filter`'s attributes are
 * sub-attributes of `attribute`), compiled over the related documents and answered by the
 * resolver as the ids of the resources with at least one matching element: `_id: {$in: [...]}`.
 */
async function viaRelation(relation: Relation, attribute: ResolvedAttribute, filter: ResolvedFilter, relations: RelationResolver): Promise<MongoQuery> {
  const scope: Scope = { base: containerPath(attribute), locate: (inner) => locateInRelated(relation, inner) };
  const inner = await visit(filter, scope, relations);
  if (matchesNone(inner)) return matchNone();
  const id = singleId(inner);
  const findsUsers = relation.attribute === 'groups';
  if (id !== undefined) return { _id: { $in: await (findsUsers ? relations.membersOfGroup(id) : relations.groupsWithMember(id)) } };
  const matching = findsUsers ? relations.membersOfGroupsMatching : relations.groupsWithMembersMatching;
  if (!matching) throw new UnsupportedQuery('filter', `filtering on ${relation.attribute} by anything but value eq`);
  const query = Object.keys(relation.live).length > 0 ? { $and: [{ ...relation.live }, inner] } : inner;
  return { _id: { $in: await matching.call(relations, query) } };
}

/** The id of a related query that is exactly `{_id: {$eq: id}}`: the common, cheap case. */
function singleId(query: MongoQuery): string | undefined {
  const only = singleCondition(query);
  return only?.key === '$eq' && typeof only.value === 'string' ? only.value : undefined;
}

/** The one operator of a query that is exactly `{_id: {<key>: value}}`. */
function singleCondition(query: MongoQuery): { key: string; value: unknown } | undefined {
  const condition = query._id;
  if (Object.keys(query).length !== 1 || typeof condition !== 'object' || condition === null) return undefined;
  const entries = Object.entries(condition);
  return entries.length === 1 ? { key: entries[0][0], value: entries[0][1] } : undefined;
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
