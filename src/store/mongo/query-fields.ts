import type { ResourceType } from '../../scim/schema/definitions';
import type { ResolvedAttribute } from '../../scim/schema/resolve-attribute';
import type { Json } from '../../scim/values/json';
import { COLLECTIONS } from './documents';
import { encodeKey, qPath } from './query-document';

/** A MongoDB query document (the argument of find / $match). */
export type MongoQuery = Record<string, unknown>;

/**
 * Where the values of one attribute live, for the filter and sort compilers:
 *   - `field`: a dotted path in the document (or, inside `$elemMatch`, in one array element),
 *     always holding folded text for attributes that are not caseExact (the `q` copy, the *Key
 *     fields) and ISO-8601 UTC dateTimes. `fallback` is read when `path` is missing or null
 *     (a member's display is its displayName, else its userName).
 *   - `constant`: the same value for every resource (meta.resourceType, members.type), decided
 *     when the query is compiled.
 *   - `relation`: a user's groups / a group's members, which live in `memberships`.
 */
export type Location =
  | { readonly kind: 'field'; readonly path: string; readonly fallback?: string }
  | { readonly kind: 'constant'; readonly value: Json }
  | { readonly kind: 'relation'; readonly relation: Relation };

/**
 * A multi-valued attribute computed from `memberships` rather than stored. Its elements are the
 * documents of `collection` linked to the resource by membership documents whose `ownerKey`
 * holds the resource's `_id` and whose `relatedKey` holds the related document's `_id`.
 */
export interface Relation {
  readonly attribute: 'groups' | 'members';
  readonly collection: string;
  readonly ownerKey: 'member' | 'group';
  readonly relatedKey: 'group' | 'member';
  /** Which related documents count at all: deleted users are never members. */
  readonly live: MongoQuery;
  /** The order elements are rendered in; the first sorts the resource (there is no primary). */
  readonly firstBy: Readonly<Record<string, 1 | -1>>;
  /** Where each sub-attribute of an element lives in the related document. */
  readonly element: Readonly<Record<string, Location>>;
}

/**
 * User.groups: the groups with a membership for the user. Group ids (`randomUUID`) are lower
 * case, so `_id` is its own foldCase and serves the non-caseExact groups.value as a folded field.
 */
const userGroups: Relation = {
  attribute: 'groups',
  collection: COLLECTIONS.groups,
  ownerKey: 'member',
  relatedKey: 'group',
  live: {},
  firstBy: { displayNameKey: 1, _id: 1 },
  element: {
    value: { kind: 'field', path: '_id' },
    display: { kind: 'field', path: 'displayNameKey' },
    type: { kind: 'constant', value: 'direct' },
  },
};

/** Group.members: users only, never deleted ones, first by insertion (as SQLite renders them). */
const groupMembers: Relation = {
  attribute: 'members',
  collection: COLLECTIONS.users,
  ownerKey: 'group',
  relatedKey: 'member',
  live: { deletedAt: null },
  firstBy: { created: 1, _id: 1 },
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
 * stored nowhere: undefined, which the compilers report as an unsupported query.
 */
export function locateInResource(resourceType: ResourceType, attribute: ResolvedAttribute): Location | undefined {
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
