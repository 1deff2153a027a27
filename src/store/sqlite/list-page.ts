import type { ListQuery, Page } from '../port';
import { compileFilter } from './compile-filter';
import { compileKeyset, compileSort } from './compile-sort';
import type { SqlScope } from './sql-scope';
import type { StatementCache } from './statement-cache';

/**
 * One page of a resource table: the exact total under the filter, then the rows of the page in
 * a total order (sortBy, then insertion sequence). The page query is skipped when it would be
 * empty (count=0 or startIndex beyond the end).
 *
 * With `query.after` (a cursor, RFC 9865) the page is found by a keyset condition instead of an
 * OFFSET (compile-sort.ts), reading one row more than the page to know whether another follows.
 */
export function listPage<Row extends { seq: number }, T>(
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
  // likely(): the visibility test (deleted_at IS NULL) is nearly always true, so SQLite should
  // walk the sort key's index (for the keyset range, or for ORDER BY … LIMIT) rather than the
  // deleted_at index followed by a sort of every visible row.
  if (query.after) return cursorPage(statements, table, scope, query, { sql: `likely(${visible}) AND ${filter.sql}`, params: filter.params }, total, toItem);
  if (query.limit === 0 || query.offset >= total) return { total, items: [] };
  const order = compileSort(query.sort, scope, 't.seq');
  const rows = statements.get(`SELECT t.* FROM ${table} t WHERE likely(${visible}) AND ${filter.sql} ORDER BY ${order} LIMIT ? OFFSET ?`)
    .all(...where.params, query.limit, query.offset) as Row[];
  return { total, items: rows.map(toItem) };
}

function cursorPage<Row extends { seq: number }, T>(
  statements: StatementCache,
  table: 'users' | 'groups',
  scope: SqlScope,
  query: ListQuery,
  where: { sql: string; params: readonly unknown[] },
  total: number,
  toItem: (row: Row) => T,
): Page<T> {
  const keyset = compileKeyset(query.sort, scope, 't.seq');
  // Compiled (and a forged position refused) before the count-only shortcut, so count=0 checks the cursor too.
  const after = query.after!.length === 0 ? undefined : keyset.after(query.after!);
  if (query.limit === 0 || total === 0) return { total, items: [] };
  const condition = after ? ` AND ${after.sql}` : '';
  const rows = statements.get(`SELECT t.*${keyset.select} FROM ${table} t WHERE ${where.sql}${condition} ORDER BY ${keyset.orderBy} LIMIT ?`)
    .all(...where.params, ...(after?.params ?? []), query.limit + 1) as (Row & { cursor_value?: unknown })[];
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  return { total, items: page.map(toItem), ...(more ? { next: keyset.positionOf(page[page.length - 1]) } : {}) };
}
