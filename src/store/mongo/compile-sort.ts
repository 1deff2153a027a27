import type { ResourceType } from '../../scim/schema/definitions';
import { describeAttribute, type ResolvedAttribute } from '../../scim/schema/resolve-attribute';
import type { mongo } from 'mongoose';
import { InvalidPosition, UnsupportedQuery, type ListPosition, type ListQuery, type Page, type SortSpec } from '../port';
import type { GroupDocument, UserDocument } from './documents';
import { encodeKey, qPath } from './query-document';
import { containerPath, locateInResource, type Location, type MongoQuery } from './query-fields';
import type { ScopedCollection } from './scoped-collection';

/**
 * How to order one page. A plain `sort` (no addFields) reads indexed fields that every document
 * has, so MongoDB walks an index instead of sorting. Otherwise `addFields` computes, per
 * document, `_sortMissing` (1 without a value) and `_sortValue`; pagePipeline puts the stages in order.
 */
export interface CompiledSort {
  readonly addFields?: Record<string, unknown>;
  readonly sort: Record<string, 1 | -1>;
}

/** The helper fields the sort stages add, removed again before documents are returned. */
export const SORT_FIELDS = ['_sortMissing', '_sortValue'] as const;

/**
 * sortBy (RFC 7644 §3.4.2.3) with the SQLite adapter's semantics: strings that are not caseExact
 * sort case-insensitively (by their `q` copy), a multi-valued attribute by its primary value else
 * its first, resources without a value last ascending and first descending, and ties broken by
 * `created` then `_id`, so the order is total and pages never overlap. Refused (400): a user's
 * groups and a group's members, which are not stored on the resource (an order by them would
 * join every matching document with its related ones, per page).
 */
export function compileSort(resourceType: ResourceType, sort: SortSpec | undefined): CompiledSort {
  if (!sort) return { sort: { created: 1, _id: 1 } };
  const direction = sort.descending ? -1 : 1;
  const plain = plainSort(locateInResource(resourceType, sort.attribute), direction);
  if (plain) return { sort: plain };
  const value = sortValue(resourceType, sort.attribute);
  return {
    addFields: {
      _sortMissing: { $cond: [{ $eq: [{ $ifNull: [value, null] }, null] }, 1, 0] },
      _sortValue: { $ifNull: [value, null] },
    },
    // Ties keep insertion order in both directions, as in SQLite.
    sort: { _sortMissing: direction, _sortValue: direction, created: 1, _id: 1 },
  };
}

/**
 * Sorts an index serves: unique keys need no tie-break; created and lastModified are tie-broken
 * in the sort's own direction, so one forward or backward scan of the {created, _id} /
 * {lastModified, created, _id} index yields the whole order (indexes.ts).
 */
function plainSort(location: Location | undefined, direction: 1 | -1): Record<string, 1 | -1> | undefined {
  if (location?.kind !== 'field' || location.fallback) return undefined;
  switch (location.path) {
    case '_id':
    case 'userNameKey':
    case 'displayNameKey':
      return { [location.path]: direction };
    case 'created':
      return { created: direction, _id: direction };
    case 'lastModified':
      return { lastModified: direction, created: direction, _id: direction };
    default:
      return undefined;
  }
}

/** An aggregation expression for the sort value of a resource; missing or null when it has none. */
function sortValue(resourceType: ResourceType, attribute: ResolvedAttribute): unknown {
  const location = locateInResource(resourceType, attribute);
  if (!location) throw new UnsupportedQuery('sort', `sorting by ${describeAttribute(attribute)}`);
  if (location.kind === 'relation') {
    const [owner, related] = location.relation.attribute === 'groups' ? ['user', 'groups'] : ['group', 'members'];
    throw new UnsupportedQuery('sort', `sorting by ${describeAttribute(attribute)} with the MongoDB store: a ${owner}'s ${related} are not stored on the ${owner}, so every page would look them up for each matching ${owner}; sort by one of the ${owner}'s own attributes instead`);
  }
  if (location.kind === 'constant' || !attribute.top.multiValued) return expressionOf(location);
  return firstValue(attribute);
}

function expressionOf(location: Exclude<Location, { kind: 'relation' }>): unknown {
  if (location.kind === 'constant') return { $literal: location.value };
  return location.fallback ? { $ifNull: [`$${location.path}`, `$${location.fallback}`] } : `$${location.path}`;
}

/** A stored multi-valued attribute: the primary element's value, else the first element's. */
function firstValue(attribute: ResolvedAttribute): unknown {
  const elements = { $ifNull: [`$${qPath(containerPath(attribute))}`, []] };
  if (!attribute.sub) return { $first: elements };
  const primary = { $first: { $filter: { input: elements, cond: { $eq: ['$$this.primary', true] } } } };
  return { $let: { vars: { element: { $ifNull: [primary, { $first: elements }] } }, in: `$$element.${encodeKey(attribute.sub.name)}` } };
}

/**
 * The aggregation for one page: [$match, $addFields, $sort, $skip, $limit, $unset].
 * `limit` must be positive ($limit: 0 is an error): a count-only request needs no documents.
 */
export function pagePipeline(match: MongoQuery, compiled: CompiledSort, offset: number, limit: number): MongoQuery[] {
  if (!(limit > 0)) throw new RangeError(`pagePipeline needs a positive limit, not ${limit}`);
  const helpers = compiled.addFields !== undefined;
  return [
    { $match: match },
    ...(helpers ? [{ $addFields: compiled.addFields }] : []),
    { $sort: compiled.sort },
    ...(offset > 0 ? [{ $skip: offset }] : []),
    { $limit: limit },
    ...(helpers ? [{ $unset: [...SORT_FIELDS] }] : []),
  ];
}

/**
 * The _ids of one later page in a computed order: [$match, $addFields, $project, $sort, $skip,
 * $limit]. The $project keeps only the sort keys before the blocking $sort, so a sort over a
 * large tenant holds keys in memory (and spills them), never whole documents; listPage then
 * reads the page's documents alone.
 */
export function keysPipeline(match: MongoQuery, compiled: CompiledSort, offset: number, limit: number): MongoQuery[] {
  if (!(limit > 0)) throw new RangeError(`keysPipeline needs a positive limit, not ${limit}`);
  const keys = Object.fromEntries(Object.keys(compiled.sort).map((field) => [field, 1]));
  return [
    { $match: match },
    ...(compiled.addFields ? [{ $addFields: compiled.addFields }] : []),
    { $project: { _id: 1, ...keys } },
    { $sort: compiled.sort },
    ...(offset > 0 ? [{ $skip: offset }] : []),
    { $limit: limit },
    { $project: { _id: 1 } },
  ];
}

/**
 * Keyset pagination (RFC 9865 cursors) over exactly the order `compiled.sort` gives. A position
 * is the values of the sort keys of the last document served, in the sort's key order
 * ([created, _id] by default; [userNameKey] for the unique keys; [_sortMissing, _sortValue,
 * created, _id] for computed values). Within one sort key every document holds the same BSON
 * type (ISO strings, folded strings, or one attribute's type; null only beside _sortMissing 1),
 * so the query's type-bracketed $gt/$lt compare exactly as $sort orders.
 */
export function positionOf(compiled: CompiledSort, document: Record<string, unknown>): ListPosition {
  return Object.keys(compiled.sort).map((field) => {
    const value = document[field] ?? null;
    if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new Error(`cannot make a cursor position from the ${typeof value} value of ${field}`);
    }
    return value;
  });
}

/**
 * "Comes after `position`": (k0 > b0) or (k0 = b0 and k1 > b1) or … (`$lt` for a descending key),
 * under a leading `k0 >= b0` range the first key's index answers, so a page reads about `limit`
 * documents at any depth when the sort is an index's (never a $skip).
 */
export function keysetMatch(compiled: CompiledSort, position: ListPosition): MongoQuery {
  const keys = Object.entries(compiled.sort);
  if (position.length !== keys.length) throw new InvalidPosition(`a position in this order has ${keys.length} keys, not ${position.length}`);
  keys.forEach(([field], i) => {
    const value = position[i];
    const fits = field === '_sortMissing' ? value === 0 || value === 1 : field === '_sortValue' ? true : typeof value === 'string';
    if (!fits) throw new InvalidPosition(`the ${field} key of the position has the wrong type`);
  });
  const beyond = (i: number): MongoQuery => ({
    ...Object.fromEntries(keys.slice(0, i).map(([field], j) => [field, { $eq: position[j] }])),
    [keys[i][0]]: { [keys[i][1] === 1 ? '$gt' : '$lt']: position[i] },
  });
  const [first, direction] = keys[0];
  return {
    [first]: { [direction === 1 ? '$gte' : '$lte']: position[0] },
    $or: keys.map((_, i) => beyond(i)),
  };
}

/** The aggregation for one cursor page: [$match, $addFields, $match after, $sort, $limit]; the helper fields stay for positionOf. */
export function cursorPipeline(match: MongoQuery, compiled: CompiledSort, after: MongoQuery | undefined, limit: number): MongoQuery[] {
  return [
    { $match: match },
    ...(compiled.addFields ? [{ $addFields: compiled.addFields }] : []),
    ...(after ? [{ $match: after }] : []),
    { $sort: compiled.sort },
    { $limit: limit },
    { $project: { q: 0 } },
  ];
}

/**
 * One cursor page of users or groups (ListQuery.after), as listPage (models.ts) answers an
 * index page: the exact total under the filter (`storedTotal` when unfiltered), then up to `limit` documents after the
 * position, reading one more to know whether a next page exists. A sort on indexed fields is a
 * find with the keyset in its filter; one on computed values is the aggregation above.
 */
export async function cursorPage<D extends UserDocument | GroupDocument, T>(
  collection: ScopedCollection<D>,
  match: mongo.Filter<D>,
  query: ListQuery,
  order: () => CompiledSort,
  toItem: (document: D) => T,
  storedTotal?: () => Promise<number>,
): Promise<Page<T>> {
  const compiled = order();
  // Checked before the count-only shortcut, so count=0 refuses a forged cursor too.
  const after = query.after && query.after.length > 0 ? keysetMatch(compiled, query.after) : undefined;
  // Unfiltered, the tenant's kept total (resource-counts.ts): a cursor page counts nothing either.
  const total = storedTotal ? await storedTotal() : await collection.countDocuments(match);
  if (query.limit === 0 || total === 0) return { total, items: [] };
  const documents = compiled.addFields !== undefined
    ? await collection.aggregate<D>(cursorPipeline(match as MongoQuery, compiled, after, query.limit + 1), { allowDiskUse: true }).toArray()
    : await collection.find((after ? { $and: [match, after] } : match) as mongo.Filter<D>, { projection: { q: 0 }, sort: compiled.sort, limit: query.limit + 1, allowDiskUse: true }).toArray();
  const more = documents.length > query.limit;
  const page = more ? documents.slice(0, query.limit) : documents;
  const last = page[page.length - 1] as Record<string, unknown>;
  return { total, items: page.map((document) => toItem(document as D)), ...(more ? { next: positionOf(compiled, last) } : {}) };
}
