import type { SqlParam } from './compile-filter';
import { foldsAlike } from './ascii-fold';
import { budgetCheck } from './query-budget';

/**
 * Where a text attribute is indexed for substring search (search-migration.ts): a column of an
 * FTS5 trigram table whose rowid is `row`.
 */
export interface SearchColumn {
  readonly table: 'user_search' | 'user_email_search' | 'group_search';
  readonly column: string;
  /** The expression, in the filter's scope, that the index's rowid identifies (t.seq, ue.user_seq). */
  readonly row: string;
  /**
   * How the indexed text was folded: `exact` is foldCase's (the folded columns), `ascii` is
   * asciiFold's (the names, folded by SQL built-ins in triggers: ascii-fold.ts).
   */
  readonly folding: 'exact' | 'ascii';
  /** `sw` is already a range on an index of the column: the prefilter would only add work. */
  readonly prefixIndexed?: boolean;
  /**
   * For the elements of a collection: their table as the index's rows look it up (by `row`).
   * Without statistics SQLite rates every index that leads with tenant_id alike, and chose a
   * covering one, reading all of the tenant's elements for each row found; INDEXED BY says which.
   */
  readonly lookup?: string;
}

/** The trigram tokenizer indexes runs of 3 characters: a shorter operand cannot be looked up. */
export const MIN_SEARCH_LENGTH = 3;

/** The rows of a trigram index that contain a string: a FROM item and its condition. */
export interface SearchSource {
  readonly from: string;
  readonly where: string;
}

/**
 * The index rows whose column contains `operand` (already foldCase'd), for `op`: a superset of
 * the rows where `op` holds, so the compiler keeps the exact comparison beside it and the pair is
 * right under NOT and OR too. Undefined when the index cannot answer for this operand or
 * operator, which then scans as before. The rows it visits count against the list's budget.
 */
export function searchSource(search: SearchColumn, op: string, operand: string, bind: (param: SqlParam) => string): SearchSource | undefined {
  if (op !== 'co' && op !== 'ew' && !(op === 'sw' && !search.prefixIndexed)) return undefined;
  if (!indexable(operand, search.folding)) return undefined;
  const { table, column } = search;
  const query = `{${column}} : (${trigramsOf(operand).join(' AND ')})`;
  return { from: table, where: `${table} MATCH ${bind(query)} AND ${budgetCheck(`${table}.rowid`)}` };
}

/**
 * Every run of 3 characters of the operand, each in double quotes (a quote doubled) so FTS5
 * reads none of it as query syntax. The indexes keep no positions (detail=column, which allows no
 * phrase): the rows holding them all, anywhere in the column, include every one that contains the operand.
 */
function trigramsOf(operand: string): string[] {
  const points = [...operand];
  const trigrams = new Set<string>();
  for (let at = 0; at + MIN_SEARCH_LENGTH <= points.length; at++) trigrams.add(`"${points.slice(at, at + MIN_SEARCH_LENGTH).join('').replace(/"/g, '""')}"`);
  return [...trigrams];
}

/** The same as a condition on `search.row`: the planner looks the few rows found up by key. */
export function searchPrefilter(search: SearchColumn, source: SearchSource): string {
  return `${search.row} IN (SELECT rowid FROM ${source.from} WHERE ${source.where})`;
}

/**
 * Whether the index finds every value containing `operand`: 3 code points at least, and for
 * the `ascii` folding an operand asciiFold keeps (ascii-fold.ts); the folded columns are indexed
 * as foldCase folds them, so any operand will do there (bar a lone surrogate or a NUL).
 */
function indexable(operand: string, folding: SearchColumn['folding']): boolean {
  if ([...operand].length < MIN_SEARCH_LENGTH) return false;
  return folding === 'exact' ? wellFormed(operand) : foldsAlike(operand);
}

const wellFormed = (operand: string) => !/\p{Cs}/u.test(operand) && !operand.includes('\0');
