import type { ResolvedFilter, ResolvedComparison } from '../../scim/filter/resolved';
import { leafOf, type ResolvedAttribute } from '../../scim/schema/resolve-attribute';
import { foldCase } from '../../scim/values/fold-case';
import { UnsupportedQuery } from '../port';
import { budgetCheck } from './query-budget';
import { searchPrefilter, searchSource, type SearchColumn, type SearchSource } from './search-index';
import { containerPath, elementScope, type SqlCollection, type SqlScope, type SqlValue } from './sql-scope';

/** A WHERE clause with its positional parameters. */
export interface SqlClause {
  readonly sql: string;
  readonly params: readonly SqlParam[];
}
export type SqlParam = string | number;

/**
 * The SQLite visitor over a resolved filter. Semantics match evaluateFilter: a comparison holds
 * when any value satisfies it, `ne` is `not eq`, a missing attribute never satisfies a
 * comparison. Under a NOT, every predicate is made two-valued (IFNULL(…, 0)) so NOT never meets
 * SQL's NULL; elsewhere predicates stay bare, so SQLite can answer them from an index.
 */
export function compileFilter(filter: ResolvedFilter, scope: SqlScope): SqlClause {
  const params: SqlParam[] = [];
  const sql = visit(filter, scope, params, false);
  return { sql, params };
}

function visit(filter: ResolvedFilter, scope: SqlScope, params: SqlParam[], negated: boolean, covered = false): string {
  switch (filter.kind) {
    case 'and':
      return `(${visit(filter.left, scope, params, negated)} AND ${visit(filter.right, scope, params, negated)})`;
    case 'or':
      return !negated && !covered ? searchedOr(filter, scope, params) : `(${visit(filter.left, scope, params, negated, true)} OR ${visit(filter.right, scope, params, negated, true)})`;
    case 'not':
      return `(NOT ${visit(filter.filter, scope, params, true)})`;
    case 'present':
      return onValues(filter.attribute, scope, negated, leafOf(filter.attribute).type === 'complex' ? hasSubValue : isNonEmpty);
    case 'compare':
      return filter.op === 'ne'
        ? `(NOT ${onValues(filter.attribute, scope, true, (v) => comparison({ ...filter, op: 'eq' }, v, params))})`
        : onValues(filter.attribute, scope, negated, (v) => comparison(filter, v, params), (search) => narrowing(filter, search, params));
    case 'valuePath': {
      const collection = scope.collection(filter.attribute);
      if (!collection) throw new UnsupportedQuery('filter', `filtering inside ${filter.attribute.top.name}[...]`);
      const elements = elementScope(filter.attribute, collection);
      const driven = collection.semiJoin ? searchDriven(filter.filter, elements, params) : undefined;
      // Inside the subquery a NULL only drops that element, so the inner filter starts un-negated.
      const inner = visit(filter.filter, driven ? unsearched(elements) : elements, params, false);
      return exists(collection, inner, driven);
    }
  }
}

/**
 * An OR whose every branch a search index narrows (the console's free-text search: userName co
 * "x" or name.familyName co "x" or emails.value co "x"…): the union of the branches' index rows
 * first, then the branches themselves. SQLite does not combine the branches' `seq IN (…)` by
 * itself, and scanned every row. Each branch's rows include its matches, so their union
 * includes the OR's; under NOT this would be wrong, so it is used only outside one.
 */
function searchedOr(filter: Extract<ResolvedFilter, { kind: 'and' | 'or' }>, scope: SqlScope, params: SqlParam[]): string {
  const unionParams: SqlParam[] = [];
  const found = candidates(filter, scope, unionParams);
  const branches: SqlParam[] = [];
  const body = `(${visit(filter.left, scope, branches, false, true)} OR ${visit(filter.right, scope, branches, false, true)})`;
  const keys = found && new Set(found.map((c) => c.key));
  if (!found || keys!.size !== 1) {
    params.push(...branches);
    return body;
  }
  params.push(...unionParams, ...branches);
  return `(${found[0].key} IN (${found.map((c) => c.rows).join(' UNION ')}) AND ${body})`;
}

/**
 * Rows of search indexes that include every row `filter` holds for, as SELECTs of row keys, with
 * the key they are compared to (t.seq); undefined when some branch has none. An AND is narrowed by
 * either side. A collection's index (emails) is keyed by the row that holds the element.
 */
function candidates(filter: ResolvedFilter, scope: SqlScope, params: SqlParam[]): { key: string; rows: string }[] | undefined {
  if (filter.kind === 'or') {
    const left = candidates(filter.left, scope, params);
    const right = left && candidates(filter.right, scope, params);
    return left && right && [...left, ...right];
  }
  if (filter.kind === 'and') {
    const mark = params.length;
    const left = candidates(filter.left, scope, params);
    if (left) return left;
    params.length = mark;
    return candidates(filter.right, scope, params);
  }
  if (filter.kind !== 'compare' || filter.op === 'ne') return undefined;
  const isMulti = filter.attribute.top.multiValued && scope.base.length < containerPath(filter.attribute).length;
  const collection = isMulti ? scope.collection(filter.attribute) : undefined;
  const search = isMulti ? collection?.semiJoin && collection.element(filter.attribute.sub)?.search : scope.scalar(filter.attribute)?.search;
  const key = isMulti ? collection?.semiJoin?.outer : search?.row;
  const mark = params.length;
  const source = search && key ? narrowing(filter, search, params) : undefined;
  if (!source || !key) {
    params.length = mark;
    return undefined;
  }
  return [{ key, rows: `SELECT rowid FROM ${source.from} WHERE ${source.where}` }];
}

/**
 * Applies a predicate to the attribute's value, or to any of its values when multi-valued.
 * `narrow` gives the rows of a search index that hold the comparison's operand, for a collection to start from.
 */
function onValues(attribute: ResolvedAttribute, scope: SqlScope, negated: boolean, predicate: (value: SqlValue) => string, narrow?: (search: SearchColumn) => SearchSource | undefined): string {
  const isMulti = attribute.top.multiValued && scope.base.length < containerPath(attribute).length;
  if (!isMulti) {
    const value = scope.scalar(attribute);
    if (!value) throw new UnsupportedQuery('filter', `filtering on ${attribute.jsonPath.join('.')}`);
    return negated ? `IFNULL(${predicate(value)}, 0)` : predicate(value);
  }
  const collection = scope.collection(attribute);
  const element = collection?.element(attribute.sub);
  if (!collection || !element) throw new UnsupportedQuery('filter', `filtering on ${attribute.jsonPath.join('.')}`);
  // Elements found by a search index: the index's rows first, then their elements by key (left
  // to choose, SQLite read every element of the tenant from a covering index to test each one).
  const source = element.search && collection.semiJoin ? narrow?.(element.search) : undefined;
  return exists(collection, predicate(source ? { ...element, search: undefined } : element), source && { source, search: element.search! });
}

/**
 * A search index the elements of a value path can start from: the rows holding the operand of a
 * co/sw/ew that the inner filter requires (one of its top-level `and` terms). Binds its operand.
 */
function searchDriven(filter: ResolvedFilter, scope: SqlScope, params: SqlParam[]): { source: SearchSource; search: SearchColumn } | undefined {
  if (filter.kind === 'and') return searchDriven(filter.left, scope, params) ?? searchDriven(filter.right, scope, params);
  if (filter.kind !== 'compare') return undefined;
  const search = scope.scalar(filter.attribute)?.search;
  const source = search && narrowing(filter, search, params);
  return source ? { source, search: search! } : undefined;
}

/** A scope whose values no search index narrows: the elements already come from one. */
const unsearched = (scope: SqlScope): SqlScope => ({
  ...scope,
  scalar: (attribute) => {
    const value = scope.scalar(attribute);
    return value && { ...value, search: undefined };
  },
});

/**
 * Ends every EXISTS subquery. SQLite 3.53 runs a plain EXISTS as a join that stops at the first
 * match, but counts each match against the page's OFFSET: a user with two matching phone numbers
 * took two places, and page 2 repeated page 1's last users. A LIMIT keeps it a subquery.
 */
const ONE_ROW = 'LIMIT 1';

const isNonEmpty = (v: SqlValue) => `(${v.sql} IS NOT NULL AND ${v.sql} <> '')`;

/** `name pr`: a complex value is present when one of its sub-attributes has a value ({} and {"givenName": ""} are not). */
const hasSubValue = (v: SqlValue) =>
  `EXISTS (SELECT 1 FROM json_each(${v.sql}) sub WHERE sub.value IS NOT NULL AND sub.value <> '' ${ONE_ROW})`;

/**
 * A condition on the elements of a collection, in the list's tenant; its rows count against the
 * list's time budget. `driven`: the semi-join starts from a search index's rows (CROSS JOIN keeps
 * that order) and reads the elements of each row found.
 */
function exists(collection: SqlCollection, predicate: string, driven?: { source: SearchSource; search: SearchColumn }): string {
  const { from, within, correlate, semiJoin, rowKey } = collection;
  const checked = [within, rowKey ? budgetCheck(rowKey) : undefined, predicate].filter(Boolean).join(' AND ');
  if (semiJoin && driven) {
    const { source, search } = driven;
    return `${semiJoin.outer} IN (SELECT ${semiJoin.inner} FROM ${source.from} CROSS JOIN ${search.lookup ?? from}
      WHERE ${source.where} AND ${search.row} = ${source.from}.rowid AND ${checked})`;
  }
  if (semiJoin) return `${semiJoin.outer} IN (SELECT ${semiJoin.inner} FROM ${from} WHERE ${checked})`;
  return `EXISTS (SELECT 1 FROM ${from} WHERE ${correlate ? `${correlate} AND ` : ''}${checked} ${ONE_ROW})`;
}

/** Strings compare folded unless the attribute is caseExact (or a dateTime, compared as written). */
const folds = (filter: ResolvedComparison) => {
  const leaf = leafOf(filter.attribute);
  return typeof filter.value === 'string' && leaf.type !== 'dateTime' && leaf.caseExact !== true;
};

const binder = (params: SqlParam[]) => (param: SqlParam) => (params.push(param), '?');

/** A trigram index's rows for a co/sw/ew on `search`'s attribute, when it can answer for the operand. */
function narrowing(filter: ResolvedComparison, search: SearchColumn, params: SqlParam[]): SearchSource | undefined {
  return folds(filter) ? searchSource(search, filter.op, foldCase(filter.value as string), binder(params)) : undefined;
}

function comparison(filter: ResolvedComparison, value: SqlValue, params: SqlParam[]): string {
  const fold = folds(filter);
  const column = fold && !value.folded ? `scim_fold(${value.sql})` : value.sql;
  const operand = typeof filter.value === 'boolean' ? Number(filter.value) : fold ? foldCase(filter.value as string) : filter.value;
  // A trigram index narrows co/sw/ew first (prefilter ⊇ matches); the exact comparison still decides.
  const source = value.search ? narrowing(filter, value.search, params) : undefined;
  const prefilter = source && searchPrefilter(value.search!, source);
  const exact = compare(filter.op, column, operand, binder(params));
  return prefilter ? `(${prefilter} AND ${exact})` : exact;
}

function compare(op: ResolvedComparison['op'], column: string, operand: SqlParam, bind: (param: SqlParam) => string): string {
  switch (op) {
    case 'eq': return `${column} = ${bind(operand)}`;
    case 'ne': return `${column} <> ${bind(operand)}`;
    case 'gt': return `${column} > ${bind(operand)}`;
    case 'ge': return `${column} >= ${bind(operand)}`;
    case 'lt': return `${column} < ${bind(operand)}`;
    case 'le': return `${column} <= ${bind(operand)}`;
    case 'co': return `instr(${column}, ${bind(operand)}) > 0`;
    case 'sw': return startsWith(column, operand as string, bind);
    case 'ew': return endsWith(column, operand as string, bind);
  }
}

/**
 * `sw` as a range (prefix ≤ v < successor(prefix)) so an index on the column serves it; text
 * order in SQLite is code point order, so the successor bumps the last code point.
 */
function startsWith(column: string, prefix: string, bind: (p: SqlParam) => string): string {
  if (prefix === '') return `${column} IS NOT NULL`;
  const points = [...prefix];
  const last = points.pop()!.codePointAt(0)!;
  const successor = points.join('') + String.fromCodePoint(Math.min(last + 1, 0x10ffff));
  return `(${column} >= ${bind(prefix)} AND ${column} < ${bind(successor)})`;
}

function endsWith(column: string, suffix: string, bind: (p: SqlParam) => string): string {
  if (suffix === '') return `${column} IS NOT NULL`;
  return `substr(${column}, -${[...suffix].length}) = ${bind(suffix)}`;
}
