import type { Db } from '../../src/store/sqlite/open-database';

const SELECTS = /^\s*SELECT/i;

/**
 * Records the statements an SQLite connection runs (pass `verbose` to openDatabase), so a test
 * can ask which statements one store call made, and their query plans, explained on that
 * connection. `which` picks the statements (the SELECTs unless told).
 */
export function statementRecorder(): {
  readonly verbose: (sql: unknown) => void;
  statementsOf(run: () => Promise<unknown>, which?: RegExp): Promise<string[]>;
  plansOf(db: Db, run: () => Promise<unknown>, which?: RegExp): Promise<string[]>;
} {
  let ran: string[] = [];
  const statementsOf = async (run: () => Promise<unknown>, which = SELECTS) => {
    ran = [];
    await run();
    const picked = ran.filter((sql) => which.test(sql));
    ran = [];
    return picked;
  };
  return {
    verbose: (sql) => void ran.push(String(sql)),
    statementsOf,
    async plansOf(db, run, which) {
      const statements = await statementsOf(run, which);
      return statements.flatMap((sql) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((row) => row.detail));
    },
  };
}
