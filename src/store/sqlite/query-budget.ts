import type { Db } from './open-database';

/**
 * The most time one filtered or sorted list request may spend in SQLite. better-sqlite3 is
 * synchronous: while a statement runs, the whole server waits, so a filter that scans (`co`,
 * `ew`, `ne`, `not`, attributes kept only in the JSON document, members.display over a large
 * group) or a sort on a computed value must not run unbounded. Measured on 100,000 users (npm run
 * bench:stall): an indexed look-up under 1 ms, one scanning term 10–140 ms, 100 of them up to
 * minutes. 80 ms leaves room, within the 100 ms a request may hold the server, for the rest of
 * the request.
 */
export const LIST_BUDGET_MS = 80;

/**
 * A call from SQLite into JavaScript costs more than a scan's own work on a row (it made one
 * `emails co` term 4 times slower), so the check calls it only for rows whose key is a multiple
 * of 64: a scan, whose keys follow each other, reaches the clock every 64 rows.
 */
const CHECK_EVERY = 64;

/**
 * SQL text that costs nothing while no budget runs and throws once the deadline has passed. It
 * takes a column of the rows being visited, so SQLite calls it once per row of that table's loop
 * (a call without arguments would be evaluated once, outside every loop). Compiled filters put it
 * in every subquery too, on the table their conditions read: a check on another table of a join
 * would only run for the rows those conditions let through, which is none when nothing matches.
 */
export const budgetCheck = (rowKey: string): string => `(${rowKey} % ${CHECK_EVERY} <> 0 OR scim_budget(${rowKey}))`;

/** Thrown by scim_budget inside a statement; SQLite abandons the statement and better-sqlite3 rethrows it. */
class BudgetExceeded extends Error {
  constructor() {
    super('the list query ran out of time');
    this.name = 'BudgetExceeded';
  }
}

export interface QueryBudget {
  /** Runs `work` (one or more statements) with a deadline `ms` from now; undefined when it was cut off. */
  run<T>(ms: number, work: () => T): { readonly result: T } | undefined;
}

const budgets = new WeakMap<Db, QueryBudget>();

/** The budget of one database connection, registering scim_budget on it the first time. */
export function queryBudget(db: Db): QueryBudget {
  const existing = budgets.get(db);
  if (existing) return existing;
  let deadline = Infinity;
  // One argument (the row key, unused): better-sqlite3 takes the SQL function's arity from the JS one's.
  db.function('scim_budget', { deterministic: false, directOnly: true }, (_rowKey: unknown) => {
    if (performance.now() > deadline) throw new BudgetExceeded();
    return 1;
  });
  const budget: QueryBudget = {
    run(ms, work) {
      deadline = performance.now() + ms;
      try {
        return { result: work() };
      } catch (error) {
        if (error instanceof BudgetExceeded) return undefined;
        throw error;
      } finally {
        deadline = Infinity;
      }
    },
  };
  budgets.set(db, budget);
  return budget;
}
