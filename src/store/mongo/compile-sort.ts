import type { ResourceType } from '../../scim/schema/definitions';
import { describeAttribute, type ResolvedAttribute } from '../../scim/schema/resolve-attribute';
import { UnsupportedQuery, type SortSpec } from '../port';
import { COLLECTIONS } from './documents';
import { encodeKey, qPath } from './query-document';
import { containerPath, locateInRelated, locateInResource, type Location, type MongoQuery, type Relation } from './query-fields';

/**
 * How to order one page. A plain `sort` (no addFields) reads indexed fields that every document
 * has, so MongoDB walks an index instead of sorting. Otherwise `addFields` computes, per
 * document, `_sortMissing` (1 without a value) and `_sortValue`, after the `lookup` stages when
 * the value comes from memberships; pagePipeline puts the stages in order.
 */
export interface CompiledSort {
  /** Stages to run before addFields: a $lookup of the first related document (sorting by groups.* / members.*). */
  readonly lookup?: readonly MongoQuery[];
  readonly addFields?: Record<string, unknown>;
  readonly sort: Record<string, 1 | -1>;
}

/** The helper fields the sort stages add, removed again before documents are returned. */
export const SORT_FIELDS = ['_sortMissing', '_sortValue', '_sortRelated'] as const;

/**
 * sortBy (RFC 7644 §3.4.2.3) with the SQLite adapter's semantics: strings that are not caseExact
 * sort case-insensitively (by their `q` copy), a multi-valued attribute by its primary value else
 * its first, resources without a value last ascending and first descending, and ties broken by
 * `created` then `_id`, so the order is total and pages never overlap.
 */
export function compileSort(resourceType: ResourceType, sort: SortSpec | undefined): CompiledSort {
  if (!sort) return { sort: { created: 1, _id: 1 } };
  const direction = sort.descending ? -1 : 1;
  const plain = plainSort(locateInResource(resourceType, sort.attribute), direction);
  if (plain) return { sort: plain };
  const { lookup, value } = sortValue(resourceType, sort.attribute);
  return {
    ...(lookup ? { lookup: [lookup] } : {}),
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

interface SortValue {
  readonly lookup?: MongoQuery;
  /** An aggregation expression; missing or null when the resource has no value. */
  readonly value: unknown;
}

function sortValue(resourceType: ResourceType, attribute: ResolvedAttribute): SortValue {
  const location = locateInResource(resourceType, attribute);
  const unsupported = () => new UnsupportedQuery('sort', `sorting by ${describeAttribute(attribute)}`);
  if (!location) throw unsupported();
  if (location.kind === 'relation') {
    const element = locateInRelated(location.relation, attribute);
    if (!element || element.kind === 'relation') throw unsupported();
    return { lookup: relationLookup(location.relation, expressionOf(element)), value: { $first: '$_sortRelated.key' } };
  }
  if (location.kind === 'constant' || !attribute.top.multiValued) return { value: expressionOf(location) };
  return { value: firstValue(attribute) };
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
 * `_sortRelated`: at most one document `{key}`, the sort value of the first related element in
 * rendering order. The let/pipeline form runs on every MongoDB since 3.6 (and its $expr equality
 * uses the memberships indexes since 5.0); mingo runs a pipeline given with localField /
 * foreignField over the whole foreign collection, so that shorter form would not be tested.
 */
function relationLookup(relation: Relation, key: unknown): MongoQuery {
  const relatedDocument = [{ $match: { $expr: { $eq: ['$_id', '$$related'] } } }, ...(Object.keys(relation.live).length ? [{ $match: relation.live }] : [])];
  return {
    $lookup: {
      from: COLLECTIONS.memberships,
      let: { owner: '$_id' },
      as: '_sortRelated',
      pipeline: [
        { $match: { $expr: { $eq: [`$${relation.ownerKey}`, '$$owner'] } } },
        { $lookup: { from: relation.collection, let: { related: `$${relation.relatedKey}` }, as: 'related', pipeline: relatedDocument } },
        { $unwind: '$related' },
        { $replaceWith: '$related' },
        { $sort: relation.firstBy },
        { $limit: 1 },
        { $project: { _id: 0, key: key } },
      ],
    },
  };
}

/**
 * The aggregation for one page: [$match, ...lookup, $addFields, $sort, $skip, $limit, $unset].
 * `limit` must be positive ($limit: 0 is an error): a count-only request needs no documents.
 */
export function pagePipeline(match: MongoQuery, compiled: CompiledSort, offset: number, limit: number): MongoQuery[] {
  if (!(limit > 0)) throw new RangeError(`pagePipeline needs a positive limit, not ${limit}`);
  const helpers = compiled.addFields !== undefined;
  return [
    { $match: match },
    ...(compiled.lookup ?? []),
    ...(helpers ? [{ $addFields: compiled.addFields }] : []),
    { $sort: compiled.sort },
    ...(offset > 0 ? [{ $skip: offset }] : []),
    { $limit: limit },
    ...(helpers ? [{ $unset: [...SORT_FIELDS] }] : []),
  ];
}
