/**
 * Migration 9: exact resource counts kept with the rows (issue 13). Scaffold: the counts work
 * fills it in.
 */
export const countsMigration = `SELECT 1;`;
