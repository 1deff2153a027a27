/**
 * The one case-folding rule for attributes that are not caseExact: used for uniqueness keys,
 * filters and sorting alike, in JavaScript and (registered as a function) in SQLite, so that
 * "ÉVA" and "éva" are the same user name everywhere. SQLite's own lower() folds ASCII only.
 */
export const foldCase = (value: string): string => value.toLowerCase();
