/**
 * Migration 10: the substring-search index (issue 13). Scaffold: the search work fills it in.
 */
export const searchMigration = `SELECT 1;`;
