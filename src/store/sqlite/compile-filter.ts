import type { ResolvedFilter, ResolvedComparison } from '../../scim/filter/resolved';
import { leafOf, type ResolvedAttribute } from '../../scim/schema/resolve-attribute';
import { foldCase } from '../../scim/values/fold-case';
import { UnsupportedQuery } from '../port';
import { budgetCheck } from './query-budget';
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

function visit(filter: ResolvedFilter, scope: SqlScope, params: SqlParam[], negated: boolean): string {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return `(${visit(filter.left, scope, params, negated)} ${filter.kind.toUpperCase()} ${visit(filter.right, scope, params, negated)})`;
    case 'not':
      return `(NOT ${visit(filter.filter, scope, params, true)})`;
    case 'present':
      return onValues(filter.attribute, scope, negated, leafOf(filter.attribute).type === 'complex' ? hasSubValue : isNonEmpty);
    case 'compare':
      return filter.op === 'ne'
        ? `(NOT ${onValues(filter.attribute, scope, true, (v) => comparison({ ...filter, op: 'eq' }, v, params))})`
        : onValues(filter.attribute, scope, negated, (v) => comparison(filter, v, params));
    case 'valuePath': {
      const collection = scope.collection(filter.attribute);
      if (!collection) throw new UnsupportedQuery('filter', `filtering inside ${filter.attribute.top.name}[...]`);
      // Inside the subquery a NULL only drops that element, so the inner filter starts un-negated.
      const inner = visit(filter.filter, elementScope(filter.attribute, collection), params, false);
      return exists(collection, inner);
    }
  }
}

/** Applies a predicate to the attribute's value, or to any of its values when multi-valued. */
function onValues(attribute: ResolvedAttribute, scope: SqlScope, negated: boolean, predicate: (value: SqlValue) => string): string {
  const isMulti = attribute.top.multiValued && scope.base.length < containerPath(attribute).length;
  if (!isMulti) {
    const value = scope.scalar(attribute);
    if (!value) throw new UnsupportedQuery('filter', `filtering on ${attribute.jsonPath.join('.')}`);
    return negated ? `IFNULL(${predicate(value)}, 0)` : predicate(value);
  }
  const collection = scope.collection(attribute);
  const element = collection?.element(attribute.sub);
  if (!collection || !element) throw new UnsupportedQuery('filter', `filtering on ${attribute.jsonPath.join('.')}`);
  return exists(collection, predicate(element));
}

const isNonEmpty = (v: SqlValue) => `(${v.sql} IS NOT NULL AND ${v.sql} <> '')`;

/** `name pr`: a complex value is present when one of its sub-attributes has a value ({} and {"givenName": ""} are not). */
const hasSubValue = (v: SqlValue) =>
  `EXISTS (SELECT 1 FROM json_each(${v.sql}) sub WHERE sub.value IS NOT NULL AND sub.value <> '')`;

/** A condition on the elements of a collection, in the list's tenant; its rows count against the list's time budget. */
function exists(collection: SqlCollection, predicate: string): string {
  const { from, within, correlate, semiJoin, rowKey } = collection;
  const checked = [within, rowKey ? budgetCheck(rowKey) : undefined, predicate].filter(Boolean).join(' AND ');
  if (semiJoin) return `${semiJoin.outer} IN (SELECT ${semiJoin.inner} FROM ${from} WHERE ${checked})`;
  return `EXISTS (SELECT 1 FROM ${from} WHERE ${correlate ? `${correlate} AND ` : ''}${checked})`;
}

function comparison(filter: ResolvedComparison, value: SqlValue, params: SqlParam[]): string {
  const leaf = leafOf(filter.attribute);
  const fold = typeof filter.value === 'string' && leaf.type !== 'dateTime' && leaf.caseExact !== true;
  const column = fold && !value.folded ? `scim_fold(${value.sql})` : value.sql;
  const operand = typeof filter.value === 'boolean' ? Number(filter.value) : fold ? foldCase(filter.value as string) : filter.value;
  const bind = (param: SqlParam) => (params.push(param), '?');
  switch (filter.op) {
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
