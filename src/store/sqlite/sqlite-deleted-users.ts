import { UnsupportedQuery, type DeletedUser, type ListQuery, type Page, type UserStore } from '../port';
import { compileFilter, type SqlClause } from './compile-filter';
import { compileKeyset, compileSort } from './compile-sort';
import type { Db } from './open-database';
import { perDatabase } from './per-database';
import { budgetCheck, LIST_BUDGET_MS, queryBudget } from './query-budget';
import { storedCount } from './resource-counts';
import { userScope } from './resource-scopes';
import { toUser, type UserRow } from './rows';
import { TENANT } from './sql-scope';
import { StatementCache } from './statement-cache';

interface DeletedUserRow extends UserRow {
  deleted_at: string;
}

const toDeletedUser = (row: DeletedUserRow): DeletedUser => ({ ...toUser(row), deletedAt: row.deleted_at });

/**
 * Every statement that looks for users reads the tenant's deleted users through the partial index
 * that holds only them (users_tenant_deleted: tenant_id, deleted_at WHERE deleted_at IS NOT
 * NULL), then sorts their keys. Deleted users are few beside the live ones (each is erased
 * RETENTION_DELETED_DAYS after its deletion), so a page costs their number, never the tenant's
 * size (measured on 100,000 users: 1,000 deleted, a page in about 2 ms; 50,000 deleted, 15 to
 * 30 ms). Named, not left to the planner: without statistics it takes the condition for a common
 * one and walks the order's index over every user of the tenant, live ones included.
 */
const FROM = 'FROM users t INDEXED BY users_tenant_deleted';
const WHERE = `t.tenant_id = ${TENANT} AND t.deleted_at IS NOT NULL`;

/** The statements of the deleted users' lists (their filters give a few distinct SQL texts). */
const statementsOf = perDatabase((db: Db) => new StatementCache(db, 64));

/**
 * Soft-deleted users of one tenant, each with deletedAt: filtered, sorted and paged (offset or
 * cursor) with the live list's compilers (compile-filter.ts, compile-sort.ts), so a filter, a
 * sortBy or a cursor means here what it means in `list`; a filter or a sortBy runs within the
 * same time budget (query-budget.ts). A cursor position is [seq] or [sort value, seq], as there.
 */
export function sqliteDeletedUsers(db: Db, tenant: string, listBudgetMs = LIST_BUDGET_MS): UserStore['listDeleted'] {
  const statements = statementsOf(db);
  const budget = queryBudget(db);

  /**
   * The page's rows, in the order of `keys`: a sort moves only the keys (seq, and the sort value
   * of a cursor), so sorting thousands of deleted users never carries their documents along.
   */
  const rowsOf = (keys: readonly { seq: number }[]): DeletedUserRow[] => {
    if (keys.length === 0) return [];
    const rows = statements.get(`SELECT t.* FROM users t WHERE t.tenant_id = ${TENANT} AND t.seq IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(keys.map((key) => key.seq)), { tenant }) as DeletedUserRow[];
    const bySeq = new Map(rows.map((row) => [row.seq, row]));
    return keys.map((key) => bySeq.get(key.seq)!);
  };

  const readPage = (query: ListQuery, check: string): Page<DeletedUser> => {
    const filter = query.filter ? compileFilter(query.filter, userScope) : { sql: '1', params: [] };
    const where: SqlClause = { sql: `${WHERE} AND ${check} AND ${filter.sql}`, params: filter.params };
    const keyset = query.after ? compileKeyset(query.sort, userScope, 't.seq') : undefined;
    // A forged position is refused before the count-only shortcut, as in list.
    const after = keyset && query.after!.length > 0 ? keyset.after(query.after!) : undefined;
    // Unfiltered, the stored count (resource-counts.ts): the deleted users are never counted row by row.
    const total = query.filter
      ? (statements.get(`SELECT count(*) AS n ${FROM} WHERE ${where.sql}`).get(...where.params, { tenant }) as { n: number }).n
      : storedCount(statements, tenant, 'deleted_users');
    if (query.limit === 0 || total === 0 || (!keyset && query.offset >= total)) return { total, items: [] };
    if (!keyset) {
      const keys = statements.get(`SELECT t.seq ${FROM} WHERE ${where.sql} ORDER BY ${compileSort(query.sort, userScope, 't.seq')} LIMIT ? OFFSET ?`)
        .all(...where.params, query.limit, query.offset, { tenant }) as { seq: number }[];
      return { total, items: rowsOf(keys).map(toDeletedUser) };
    }
    const keys = statements.get(`SELECT t.seq${keyset.select} ${FROM} WHERE ${where.sql}${after ? ` AND ${after.sql}` : ''} ORDER BY ${keyset.orderBy} LIMIT ?`)
      .all(...where.params, ...(after?.params ?? []), query.limit + 1, { tenant }) as { seq: number; cursor_value?: unknown }[];
    const more = keys.length > query.limit;
    const page = more ? keys.slice(0, query.limit) : keys;
    return { total, items: rowsOf(page).map(toDeletedUser), ...(more ? { next: keyset.positionOf(page[page.length - 1]) } : {}) };
  };

  return async (query) => {
    if (!query.filter && !query.sort) return readPage(query, '1');
    const outcome = budget.run(listBudgetMs, () => readPage(query, budgetCheck('t.seq')));
    if (!outcome) {
      throw new UnsupportedQuery(query.filter ? 'filter' : 'sort', `a list of deleted users this costly: it needs more than the ${listBudgetMs} ms one request may spend searching users. Narrow the filter (userName sw "…" or eq), or leave out sortBy`);
    }
    return outcome.result;
  };
}
