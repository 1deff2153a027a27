import { invalidCount, invalidPath, invalidValue } from '../errors';
import { DEFAULT_MAX_TERMS, parseFilter } from '../filter/parse-filter';
import { resolveFilter } from '../filter/resolve-filter';
import type { ResolvedFilter } from '../filter/resolved';
import { parseAttributePath } from '../path/parse-path';
import { parseProjection, type Projection } from '../projection';
import type { ResourceType } from '../schema/definitions';
import { describeAttribute, leafOf, resolveAttribute, resolveRelative, type ResolvedAttribute } from '../schema/resolve-attribute';
import { getKey, type Json, type JsonObject } from '../values/json';
import { decodeCursor, queryFingerprint, type CursorKey } from './cursor';

/** The query parameters of RFC 7644 §3.4.2 (GET) or the body of a POST /.search (§3.4.3). */
export interface ListParameters {
  readonly filter?: Json;
  readonly sortBy?: Json;
  readonly sortOrder?: Json;
  readonly startIndex?: Json;
  readonly count?: Json;
  readonly attributes?: Json;
  readonly excludedAttributes?: Json;
  /** RFC 9865 §2: empty for the first cursor page, then the nextCursor of the previous one. */
  readonly cursor?: Json;
}

/** Cursor pagination (RFC 9865): where the page starts, and the query's fingerprint for the next cursor. */
export interface CursorRequest {
  /** The order keys of the last resource of the previous page; [] for the first page. */
  readonly after: readonly CursorKey[];
  readonly fingerprint: string;
}

export interface ListRequest {
  readonly filter?: ResolvedFilter;
  readonly sort?: { readonly attribute: ResolvedAttribute; readonly descending: boolean };
  /** 1-based, as the client sees it. 1 (unused) with a cursor. */
  readonly startIndex: number;
  readonly count: number;
  readonly projection: Projection;
  /** Present when the client asked for cursor pagination (a cursor parameter, even empty); index pagination otherwise. */
  readonly cursor?: CursorRequest;
}

const names = ['filter', 'sortBy', 'sortOrder', 'startIndex', 'count', 'attributes', 'excludedAttributes', 'cursor'] as const;

/** Query parameter names are matched without regard to case; a repeated one is refused. */
export function listParametersFromQuery(search: URLSearchParams): ListParameters {
  const found: Record<string, Json> = {};
  for (const name of names) {
    const values = [...search.entries()].filter(([key]) => key.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
    if (values.length > 1) throw invalidValue(`The ${name} parameter is given ${values.length} times; give it once`);
    if (values.length === 1) found[name] = values[0];
  }
  return found;
}

export function listParametersFromBody(body: JsonObject): ListParameters {
  return Object.fromEntries(names.map((name) => [name, getKey(body, name)]).filter(([, v]) => v !== undefined && v !== null));
}

/**
 * A cursor parameter, even empty, asks for cursor pagination (RFC 9865 §2.4); without one the
 * list is index-paginated as before (Roster's default method). Both at once is refused: the
 * two name different places to start. A filter with more than `maxFilterTerms` comparisons is
 * refused before anything else is read or run.
 */
/** `scope`: whose data the list reads (see CursorQuery.scope); a cursor is valid in its own scope only. */
export function parseListRequest(resourceType: ResourceType, params: ListParameters, maxPageSize: number, maxFilterTerms = DEFAULT_MAX_TERMS, scope?: string): ListRequest {
  const filter = params.filter === undefined ? undefined : filterOf(resourceType, params.filter, maxFilterTerms);
  const sort = params.sortBy === undefined ? undefined : sortOf(resourceType, params.sortBy, params.sortOrder);
  const projection = parseProjection(resourceType, nameList(params.attributes, 'attributes'), nameList(params.excludedAttributes, 'excludedAttributes'));
  if (params.cursor === undefined) {
    return {
      filter,
      sort,
      startIndex: Math.max(1, integer('startIndex', params.startIndex, 1)),
      count: Math.min(maxPageSize, Math.max(0, integer('count', params.count, maxPageSize))),
      projection,
    };
  }
  if (params.startIndex !== undefined) {
    throw invalidValue('startIndex and cursor ask for two different kinds of pagination (RFC 9865 §2.4): send startIndex for index pagination or cursor for cursor pagination, not both');
  }
  const count = integer('count', params.count, maxPageSize, invalidCount);
  const fingerprint = queryFingerprint({ resourceType: resourceType.name, filter: typeof params.filter === 'string' ? params.filter.trim() : '', sort, scope });
  return {
    filter,
    sort,
    startIndex: 1,
    // RFC 9865 §2: a negative count means 0 (the total only); above the maximum, the maximum.
    count: Math.min(maxPageSize, Math.max(0, count)),
    projection,
    cursor: { after: decodeCursor(params.cursor, fingerprint), fingerprint },
  };
}

function filterOf(resourceType: ResourceType, text: Json, maxTerms: number): ResolvedFilter | undefined {
  if (typeof text !== 'string') throw invalidValue('filter must be a string');
  if (text.trim() === '') return undefined;
  return resolveFilter(resourceType, parseFilter(text, { maxTerms }));
}

function sortOf(resourceType: ResourceType, sortBy: Json, sortOrder: Json | undefined) {
  if (typeof sortBy !== 'string') throw invalidValue('sortBy must be a string');
  const named = resolveAttribute(resourceType, parseAttributePath(sortBy));
  if (!named) throw invalidPath(`sortBy names "${sortBy}", which is not an attribute of ${resourceType.name} resources`);
  const attribute = sortable(named);
  const order = sortOrder === undefined ? 'ascending' : typeof sortOrder === 'string' ? sortOrder.toLowerCase() : '';
  if (order !== 'ascending' && order !== 'descending') throw invalidValue('sortOrder must be "ascending" or "descending"');
  return { attribute, descending: order === 'descending' };
}

/**
 * A complex attribute sorts by its `value` (`sortBy=emails` is emails.value, primary first), as
 * in filters; one without a value (name, meta) needs a sub-attribute. Write-only attributes
 * (password) are never readable, so they cannot order anything either.
 */
function sortable(named: ResolvedAttribute): ResolvedAttribute {
  const attribute = leafOf(named).type === 'complex' ? resolveRelative(named, 'value') : named;
  if (!attribute) {
    const subAttribute = leafOf(named).subAttributes?.[0]?.name ?? 'value';
    throw invalidPath(`sortBy must name a sub-attribute of ${describeAttribute(named)}, such as ${describeAttribute(named)}.${subAttribute}`);
  }
  const leaf = leafOf(attribute);
  if (leaf.returned === 'never' || leaf.mutability === 'writeOnly') throw invalidPath(`sortBy cannot name ${describeAttribute(attribute)}, which is write-only`);
  // As in filters: neither is stored, and the order they would give is the order of id.
  if (!attribute.extension && attribute.top.name === 'meta' && (leaf.name === 'location' || leaf.name === 'version')) {
    throw invalidPath(`sortBy cannot name meta.${leaf.name}: sort by id, meta.created or meta.lastModified instead`);
  }
  return attribute;
}

/**
 * RFC 7644 §3.4.2.4: integers; below 1 means 1 (startIndex), negative means 0 (count). A whole
 * number too large to count exactly (count=99999999999999999999, "give me everything") is
 * clamped like any other large one rather than refused.
 */
function integer(name: string, value: Json | undefined, fallback: number, refuse = invalidValue): number {
  if (value === undefined) return fallback;
  const number = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number)) throw refuse(`${name} must be a whole number, not ${JSON.stringify(value)}`);
  return Math.max(-Number.MAX_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, number));
}

function nameList(value: Json | undefined, parameter: string): string | string[] | undefined {
  if (value === undefined || typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw invalidValue(`${parameter} must be a comma-separated string or an array of attribute names`);
}

