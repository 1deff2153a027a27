import { isEffectivePermissions } from '../../scim/filter/effective-permissions';
import type { ResourceType } from '../../scim/schema/definitions';
import type { ResolvedAttribute } from '../../scim/schema/resolve-attribute';
import type { Json } from '../../scim/values/json';
import { LIVE } from './documents';
import { encodeKey, qPath } from './query-document';

/** A MongoDB query document (the argument of find / $match). */
export type MongoQuery = Record<string, unknown>;

/** Matches every document / no document (`$nor` of either is the other); fresh objects, as callers may extend a query. */
export const matchAll = (): MongoQuery => ({});
export const matchNone = (): MongoQuery => ({ _id: { $in: [] } });

/** Whether `query` is exactly matchNone(). */
export function matchesNone(query: MongoQuery): boolean {
  const condition = query._id as Record<string, unknown> | undefined;
  return Object.keys(query).length === 1 && typeof condition === 'object' && condition !== null && Object.keys(condition).length === 1
    && Array.isArray(condition.$in) && condition.$in.length === 0;
}

/**
 * Where the values of one attribute live, for the filter and sort compilers:
 *   - `field`: a dotted path in the document (or, inside `$elemMatch`, in one array element),
 *     always holding folded text for attributes that are not caseExact (the `q` copy, the *Key
 *     fields) and ISO-8601 UTC dateTimes. `fallback` is read when `path` is missing or null
 *     (a member's display is its displayName, else its userName).
 *   - `constant`: the same value for every resource (meta.resourceType, members.type), decided
 *     when the query is compiled.
 *   - `relation`: a user's groups / a group's members, which are not stored as attributes: a
 *     user's `groupIds` holds the ids of its groups (documents.ts), and the filter compiler
 *     answers a condition on the elements through the RelationResolver (compile-filter.ts).
 */
export type Location =
  | { readonly kind: 'field'; readonly path: string; readonly fallback?: string }
  | { readonly kind: 'constant'; readonly value: Json }
  | { readonly kind: 'relation'; readonly relation: Relation };

/**
 * A multi-valued attribute whose elements are other documents: a user's groups (group
 * documents) or a group's members (user documents). A condition on its sub-attributes is
 * compiled over those related documents, as `element` places them.
 */
export interface Relation {
  readonly attribute: 'groups' | 'members';
  /** Which related documents count at all: deleted users are never members. */
  readonly live: MongoQuery;
  /** Where each sub-attribute of an element lives in the related document. */
  readonly element: Readonly<Record<string, Location>>;
}

/**
 * User.groups: the groups whose id is in the user's groupIds. Group ids (`randomUUID`) are lower
 * case, so `_id` is its own foldCase and serves the non-caseExact groups.value as a folded field.
 */
const userGroups: Relation = {
  attribute: 'groups',
  live: {},
  element: {
    value: { kind: 'field', path: '_id' },
    display: { kind: 'field', path: 'displayNameKey' },
    type: { kind: 'constant', value: 'direct' },
  },
};

/** Group.members: users only, never deleted ones. */
const groupMembers: Relation = {
  attribute: 'members',
  live: LIVE,
  element: {
    value: { kind: 'field', path: '_id' },
    display: { kind: 'field', path: qPath(['displayName']), fallback: 'userNameKey' },
    type: { kind: 'constant', value: 'User' },
  },
};

const field = (path: string): Location => ({ kind: 'field', path });

/** Attributes kept outside `q`: the indexed top-level fields, constants and relations. */
function promoted(resourceType: ResourceType): Readonly<Record<string, Location>> {
  const common: Record<string, Location> = {
    id: field('_id'),
    'meta.created': field('created'),
    'meta.lastModified': field('lastModified'),
    'meta.resourceType': { kind: 'constant', value: resourceType.name },
  };
  if (resourceType.name === 'User') {
    return { ...common, userName: field('userNameKey'), groups: { kind: 'relation', relation: userGroups } };
  }
  if (resourceType.name === 'Group') {
    return { ...common, displayName: field('displayNameKey'), members: { kind: 'relation', relation: groupMembers } };
  }
  return common;
}

/** A multi-valued attribute itself: emails for emails.value. */
export const containerPath = (attribute: ResolvedAttribute): readonly string[] =>
  attribute.sub ? attribute.jsonPath.slice(0, -1) : attribute.jsonPath;

/**
 * Where a resource-level attribute lives. meta's other sub-attributes (location, version) are
 * stored nowhere: undefined, which the compilers report as an unsupported query. So is a user's
 * effectivePermissions, computed from its groups: the filter compiler answers it from the groups
 * (permission-filter.ts), and a sort by it is refused, as by a user's groups.
 */
export function locateInResource(resourceType: ResourceType, attribute: ResolvedAttribute): Location | undefined {
  if (isEffectivePermissions(attribute)) return undefined;
  const table = promoted(resourceType);
  if (!attribute.extension) {
    const exact = own(table, attribute.jsonPath.join('.'));
    if (exact) return exact;
    const container = own(table, attribute.top.name);
    if (container?.kind === 'relation') return container;
    if (attribute.top.name === 'meta') return undefined;
  }
  return field(qPath(attribute.jsonPath));
}

/** Where a sub-attribute lives inside one element of a stored multi-valued attribute ($elemMatch). */
export function locateInElement(attribute: ResolvedAttribute): Location | undefined {
  return attribute.sub ? field(encodeKey(attribute.sub.name)) : undefined;
}

/** Where a sub-attribute of a relation's element lives in the related document ($ref: nowhere). */
export function locateInRelated(relation: Relation, attribute: ResolvedAttribute): Location | undefined {
  return own(relation.element, attribute.sub?.name ?? 'value');
}

/** A table entry by name, never an inherited Object property. */
const own = <T>(table: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(table, key) ? table[key] : undefined;
