import { UnsupportedQuery } from '../port';
import type { MongoQuery } from './query-fields';

/**
 * The deepest query (filter) the compiler hands to MongoDB. The server supports "no more than
 * 100 levels of nesting for BSON documents" (MongoDB Limits and Thresholds), every object and
 * every array counting as a level, and its query parser stops at the same depth; it refuses a
 * deeper command with an error a client could only see as a 500. The adapter's commands put a
 * filter at most 5 levels below their root: an aggregation's
 * `{aggregate, pipeline: [{$match: {$and: [{live: true}, filter]}}]}` (a count is sent the same
 * way), a cursor page's `{find, filter: {$and: [{$and: [live, filter]}, after]}}`, an update's
 * `{update, updates: [{q: {$and: [live, filter]}}]}` (test/store/mongo/filter-depth.test.ts
 * measures every one). 80 + 5 leaves 15 levels for what wraps a command on its way (explain,
 * a router), and 80 is far from what a SCIM client writes: a 100-term chain compiles to about 5
 * levels; only some 39 nested `not (…)`, or as many alternating and/or parentheses, reach it.
 */
export const MAX_QUERY_DEPTH = 80;

/** Levels of objects and arrays, as BSON counts them: `{}` is 1, `{a: {$eq: 1}}` 2, `{$or: [{a: 1}]}` 3. */
export function nestingDepth(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let deepest = 0;
  for (const inner of Array.isArray(value) ? value : Object.values(value)) deepest = Math.max(deepest, nestingDepth(inner));
  return 1 + deepest;
}

/** `query` itself, or an UnsupportedQuery (400 invalidFilter) when it nests deeper than MAX_QUERY_DEPTH. */
export function withinDepth(query: MongoQuery): MongoQuery {
  const depth = nestingDepth(query);
  if (depth > MAX_QUERY_DEPTH) {
    throw new UnsupportedQuery('filter', `filters nested this deeply: this one becomes a database query ${depth} levels deep and the most is ${MAX_QUERY_DEPTH}; use fewer nested parentheses and "not"`);
  }
  return query;
}
