import type { Fail, Lexer, Token } from './tokenizer';

/** The default of MAX_FILTER_TERMS: the most comparisons (`pr` included) one filter may hold. */
export const DEFAULT_MAX_TERMS = 100;

const COMPARISONS: ReadonlySet<string> = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr']);
const CONNECTIVES: ReadonlySet<string> = new Set(['and', 'or', 'not']);

/**
 * Counts a filter's comparisons as the parser reads them. The one past the limit stops the
 * parse: the rest is only tokenised, to tell the client how many the filter holds, so a huge
 * filter costs no more than reading the limit's worth of terms and scanning the remaining text.
 */
export class TermLimit {
  private terms = 0;

  constructor(private readonly max: number, private readonly subject: string, private readonly fail: Fail) {}

  /** One more comparison, whose attribute path is `name`; throws past the limit. */
  count(lexer: Lexer, name: Token): void {
    if (++this.terms <= this.max) return;
    let total = this.terms;
    let complete = true;
    try {
      total += remainingComparisons(lexer, name);
    } catch {
      complete = false;
    }
    const has = complete ? `this one has ${total}` : `this one has at least ${total}`;
    throw this.fail(`${this.subject} too complex: at most ${this.max} comparisons (${has}); split it into several requests`);
  }
}

/**
 * The comparisons after `from` (an attribute path already counted): an operator, or `pr`, right
 * after a word that is neither an operator nor a connective. Throws on a token it cannot read.
 */
function remainingComparisons(lexer: Lexer, from: Token): number {
  let count = 0;
  let afterPath = from.kind === 'word';
  for (let token = lexer.next(); token.kind !== 'end'; token = lexer.next()) {
    const word = token.kind === 'word' ? token.text.toLowerCase() : '';
    const isComparison = afterPath && COMPARISONS.has(word);
    if (isComparison) count++;
    afterPath = token.kind === 'word' && !isComparison && !CONNECTIVES.has(word);
  }
  return count;
}
