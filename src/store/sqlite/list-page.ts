import { describeAttribute } from '../../scim/schema/resolve-attribute';
import { UnsupportedQuery, type ListQuery, type Page } from '../port';
import { compileFilter, type SqlClause } from './compile-filter';
import { compileKeyset, compileSort } from './compile-sort';
import { budgetCheck, type QueryBudget } from './query-budget';
import { TENANT, type SqlScope } from './sql-scope';
import { storedCount } from './resource-counts';
import { offsetStart } from './offset-start';
import type { StatementCache } from './statement-cache';

/** A resource table as listPage reads it. */
export interface ListTable<Row extends { seq: number }, T> {
  readonly statements: StatementCache;
  readonly budget: QueryBudget;
  /** The time a filtered or sorted list may take (LIST_BUDGET_MS but in tests). */
  readonly budgetMs: number;
  readonly table: 'users' | 'groups';
  /** The tenant whose rows the list reads: every statement binds it. */
  readonly tenant: string;
  readonly scope: SqlScope;
  readonly toItem: (row: Row) => T;
  /** The condition that hides rows of the tenant from every list ('1' when none). */
  readonly visible: string;
  /**
   * The visible rows are counted per block of 1,024 seqs in user_blocks (counts-migration.ts), so
   * an offset page in the default order starts from the block holding its offset (offset-start.ts).
   */
  readonly countedInBlocks?: boolean;
}

/** Every statement's WHERE starts here, so a list cannot read another tenant's rows. */
const OWN_TENANT = `t.tenant_id = ${TENANT}`;

/**
 * One page of one tenant's rows of a resource table: the exact total under the filter, then the
 * rows of the page in a total order (sortBy, then insertion sequence). The page query is skipped
 * when it would be empty (count=0 or startIndex beyond the end).
 *
 * Without a filter the total is the tenant's stored count (resource-counts.ts, kept by triggers
 * with every write), so no page, cursor pages included, counts rows. An offset page first finds
 * the seqs of its rows in the order, which SQLite reads from an index alone for the default
 * order and the indexed sorts (the OFFSET skips index entries, never table rows), then reads
 * only those rows.
 *
 * With `query.after` (a cursor, RFC 9865) the page is found by a keyset condition instead of an
 * OFFSET (compile-sort.ts), reading one row more than the page to know whether another follows.
 *
 * A list with a filter or a sortBy runs within a time budget (LIST_BUDGET_MS, query-budget.ts):
 * the rows it visits, in the table and in every subquery, are checked against the deadline, and
 * a query that runs past it is abandoned and refused as an UnsupportedQuery saying how to narrow
 * it. An unfiltered list in the default order is never refused.
 */
export function listPage<Row extends { seq: number }, T>(source: ListTable<Row, T>, query: ListQuery): Page<T> {
  if (!query.filter && !query.sort) return readPage(source, query, '1');
  const outcome = source.budget.run(source.budgetMs, () => readPage(source, query, budgetCheck('t.seq')));
  if (!outcome) throw tooCostly(source, query);
  return outcome.result;
}

function readPage<Row extends { seq: number }, T>(source: ListTable<Row, T>, query: ListQuery, check: string): Page<T> {
  const { statements, table, tenant, scope, visible } = source;
  const filter = query.filter ? compileFilter(query.filter, scope) : { sql: '1', params: [] };
  if (query.filter && !query.sort && !query.after && query.limit > 0) return pageOfMatches(source, query, { sql: `${OWN_TENANT} AND ${check} AND ${visible} AND ${filter.sql}`, params: filter.params });
  // The users list shows the live users (visible: deleted_at IS NULL), which is what 'users' counts.
  const total = query.filter
    ? (statements.get(`SELECT count(*) AS n FROM ${table} t WHERE ${OWN_TENANT} AND ${check} AND ${visible} AND ${filter.sql}`).get(...filter.params, { tenant }) as { n: number }).n
    : storedCount(statements, tenant, table);
  // likely(): the visibility test (deleted_at IS NULL) is nearly always true, so SQLite should
  // walk the sort key's index (for the keyset range, or for ORDER BY … LIMIT) rather than the
  // deleted_at index followed by a sort of every visible row.
  const where = { sql: `${OWN_TENANT} AND ${check} AND likely(${visible}) AND ${filter.sql}`, params: filter.params };
  if (query.after) return cursorPage(source, query, where, total);
  if (query.limit === 0 || query.offset >= total) return { total, items: [] };
  if (source.countedInBlocks && !query.filter && !query.sort) return { total, items: rowsOf(source, seqsFromBlock(source, query)) };
  const order = compileSort(query.sort, scope, 't.seq');
  const seqs = statements.get(`SELECT t.seq FROM ${table} t WHERE ${where.sql} ORDER BY ${order} LIMIT ? OFFSET ?`).pluck(true)
    .all(...where.params, query.limit, query.offset, { tenant }) as number[];
  return { total, items: rowsOf(source, seqs) };
}

/**
 * The seqs of a page of live users in the default order (how identity providers page): from the
 * block that holds the offset (offset-start.ts), skipping only within it.
 */
function seqsFromBlock<Row extends { seq: number }, T>({ statements, table, tenant, visible }: ListTable<Row, T>, query: ListQuery): number[] {
  const start = offsetStart(statements, tenant, query.offset);
  if (!start) return [];
  return statements.get(`SELECT t.seq FROM ${table} t WHERE ${OWN_TENANT} AND ${visible} AND t.seq >= ? ORDER BY t.seq LIMIT ? OFFSET ?`).pluck(true)
    .all(start.fromSeq, query.limit, start.skip, { tenant }) as number[];
}

/**
 * The rows of `seqs`, in that order, as items. Read by primary key after the statement that
 * found them: a row deleted in between (by another process on the file) is left out.
 */
function rowsOf<Row extends { seq: number }, T>({ statements, table, tenant, toItem }: ListTable<Row, T>, seqs: readonly number[]): T[] {
  if (seqs.length === 0) return [];
  const rows = statements.get(`SELECT t.* FROM ${table} t WHERE ${OWN_TENANT} AND t.seq IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(seqs), { tenant }) as Row[];
  const bySeq = new Map(rows.map((row) => [row.seq, row]));
  return seqs.flatMap((seq) => {
    const row = bySeq.get(seq);
    return row ? [toItem(row)] : [];
  });
}

/**
 * A filtered list in the default order (insertion sequence): one pass over the table finds the
 * matching rows' seqs in order, which gives both the exact total and the page, then only the
 * page's rows are read. A filter that must scan (`displayName co "x"`) thus scans once instead of
 * twice (count, then page), which halves what it holds the server for.
 */
function pageOfMatches<Row extends { seq: number }, T>(source: ListTable<Row, T>, query: ListQuery, where: SqlClause): Page<T> {
  const { statements, table, tenant } = source;
  const seqs = statements.get(`SELECT t.seq FROM ${table} t WHERE ${where.sql} ORDER BY t.seq`).pluck(true).all(...where.params, { tenant }) as number[];
  return { total: seqs.length, items: rowsOf(source, seqs.slice(query.offset, query.offset + query.limit)) };
}

function cursorPage<Row extends { seq: number }, T>(source: ListTable<Row, T>, query: ListQuery, where: SqlClause, total: number): Page<T> {
  const { statements, table, tenant, scope, toItem } = source;
  const keyset = compileKeyset(query.sort, scope, 't.seq');
  // Compiled (and a forged position refused) before the count-only shortcut, so count=0 checks the cursor too.
  const after = query.after!.length === 0 ? undefined : keyset.after(query.after!);
  if (query.limit === 0 || total === 0) return { total, items: [] };
  const condition = after ? ` AND ${after.sql}` : '';
  const rows = statements.get(`SELECT t.*${keyset.select} FROM ${table} t WHERE ${where.sql}${condition} ORDER BY ${keyset.orderBy} LIMIT ?`)
    .all(...where.params, ...(after?.params ?? []), query.limit + 1, { tenant }) as (Row & { cursor_value?: unknown })[];
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  return { total, items: page.map(toItem), ...(more ? { next: keyset.positionOf(page[page.length - 1]) } : {}) };
}

/** The refusal of a list that ran out of time, naming what to change. */
function tooCostly({ table, budgetMs }: ListTable<never, unknown>, query: ListQuery): UnsupportedQuery {
  const budget = `more than the ${budgetMs} ms one request may spend searching ${table}`;
  if (query.filter) {
    const sorted = query.sort ? ` (with sortBy ${describeAttribute(query.sort.attribute)})` : '';
    return new UnsupportedQuery('filter', `a filter this costly: this one${sorted} needs ${budget}. Narrow it with an indexed comparison (id, userName, externalId, displayName or emails.value with eq or sw; meta.created or meta.lastModified with gt or lt), or use fewer co, ew, ne, not and pr terms`);
  }
  return new UnsupportedQuery('sort', `sorting by ${describeAttribute(query.sort!.attribute)} here: it needs ${budget}. Add a filter that narrows the list, or sort by userName, displayName, id, meta.created or meta.lastModified`);
}
