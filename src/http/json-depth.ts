/**
 * How deeply a JSON text nests, found by one pass over its bytes that keeps a counter, not a
 * stack: the raw body is measured before JSON.parse, so no recursive code (scimmy, PATCH, bulkId
 * resolution, rendering) ever sees a body nested thousands of levels deep and overflows the
 * call stack. Brackets inside strings do not count; a backslash escapes the next byte.
 *
 * Works on UTF-8 bytes: every byte of a multi-byte character is ≥ 0x80, so none of them can be
 * mistaken for a bracket, a quote or a backslash.
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** True when some object or array in `text` sits more than `max` levels deep (`{}` is one level). */
export function nestsDeeperThan(text: Buffer, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const byte = text[i];
    if (byte === QUOTE) {
      i = endOfString(text, i + 1);
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/**
 * The index of the quote closing the string whose first byte is at `start` (or the end of the
 * text). Buffer.indexOf finds quotes natively; a quote preceded by an odd run of backslashes is
 * escaped. Each backslash is looked at once, so this stays linear.
 */
function endOfString(text: Buffer, start: number): number {
  for (let quote = text.indexOf(QUOTE, start); quote !== -1; quote = text.indexOf(QUOTE, quote + 1)) {
    let backslashes = 0;
    while (text[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
  }
  return text.length;
}
