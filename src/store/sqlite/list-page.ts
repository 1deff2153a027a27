import type { ListQuery, Page } from '../port';
import { compileFilter } from './compile-filter';
import { compileSort } from './compile-sort';
import type { SqlScope } from './sql-scope';
import type { StatementCache } from './statement-cache';

/**
 * One page of a resource table: the exact total under the filter, then the rows of the page in
 * a total order (sortBy, then insertion sequence). The page query is skipped when it would be
 * empty (count=0 or startIndex beyond the end).
 */
export function listPage<Row, T>(
  statements: StatementCache,
  table: 'users' | 'groups',
  scope: SqlScope,
  query: ListQuery,
  toItem: (row: Row) => T,
  visible = '1',
): Page<T> {
  const filter = query.filter ? compileFilter(query.filter, scope) : { sql: '1', params: [] };
  const where = { sql: `${visible} AND ${filter.sql}`, params: filter.params };
  const total = (statements.get(`SELECT count(*) AS n FROM ${table} t WHERE ${where.sql}`).get(...where.params) as { n: number }).n;
  if (query.limit === 0 || query.offset >= total) return { total, items: [] };
  const order = compileSort(query.sort, scope, 't.seq');
  const rows = statements.get(`SELECT t.* FROM ${table} t WHERE ${where.sql} ORDER BY ${order} LIMIT ? OFFSET ?`)
    .all(...where.params, query.limit, query.offset) as Row[];
  return { total, items: rows.map(toItem) };
}
