import type { Db } from '../../src/store/sqlite/open-database';

/**
 * Records the statements an SQLite connection runs (pass `verbose` to openDatabase), so a test
 * can ask for the query plans of the SELECTs one store call made, explained on that connection.
 */
export function statementRecorder(): {
  readonly verbose: (sql: unknown) => void;
  plansOf(db: Db, run: () => Promise<unknown>): Promise<string[]>;
} {
  let ran: string[] = [];
  return {
    verbose: (sql) => void ran.push(String(sql)),
    async plansOf(db, run) {
      ran = [];
      await run();
      const selects = ran.filter((sql) => /^\s*SELECT/i.test(sql));
      return selects.flatMap((sql) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((row) => row.detail));
    },
  };
}
