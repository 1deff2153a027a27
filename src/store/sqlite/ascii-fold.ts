/**
 * A case folding SQLite's built-in functions can do: lower() (ASCII letters only), plus the two
 * non-ASCII characters whose foldCase holds an ASCII letter (KELVIN SIGN → k, İ → i̇). It needs
 * no scim_fold, so the search triggers run on any connection (search-migration.ts).
 *
 * Where foldCase(value) contains an operand that `foldsAlike` accepts, asciiFold(value) contains
 * it too: each character of such an operand is one that no other character folds to (ASCII, or
 * a character without case), except the ASCII letters, which asciiFold maps alike; İ gives foldCase
 * "i" + U+0307, a mark, so its "i" can only end such an operand, and asciiFold gives that "i".
 * The converse does not hold ("İx" gives "ix"): it only narrows, foldCase decides.
 */
export const asciiFold = (value: string): string => `replace(replace(lower(${value}), char(8490), 'k'), char(304), 'i')`;

/**
 * Whether asciiFold finds every value whose foldCase contains `operand` (already foldCase'd):
 * no character foldCase produces from another, bar ASCII (checked over all of Unicode,
 * test/store/sqlite/search-index.test.ts: such characters are Cased or marks), well-formed (a
 * lone surrogate reaches SQLite as U+FFFD) and no NUL.
 */
export const foldsAlike = (operand: string): boolean => !FOLD_TARGET.test(operand) && !LONE_SURROGATE.test(operand) && !operand.includes('\0');

const FOLD_TARGET = /(?![\0-\x7f])[\p{Cased}\p{M}]/u;
const LONE_SURROGATE = /\p{Cs}/u;
