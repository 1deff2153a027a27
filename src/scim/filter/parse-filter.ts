import { invalidFilter, invalidPath, type ScimError } from '../errors';
import type { AttributePath } from '../path/attribute-path';
import type { CompareOperator, CompareValue, Filter } from './ast';
import { isAttributeName, pathOfToken } from './attribute-token';
import { balancedChain } from './chains';
import { DEFAULT_MAX_TERMS, TermLimit } from './term-limit';
import { describe, isKeyword, Lexer, type Fail, type Token } from './tokenizer';

/**
 * Recursive-descent parser for RFC 7644 §3.4.2.2 filters. PATCH paths (../path/parse-path.ts)
 * reuse the same pieces and differ only in the error type they raise.
 */

/** Bounds every input so that no request can exhaust the stack or the CPU. */
const MIN_MAX_LENGTH = 10_000;
/** Characters allowed per comparison when a higher MAX_FILTER_TERMS raises the length limit with it. */
const LENGTH_PER_TERM = 100;
const MAX_DEPTH = 64;

const OPERATORS: ReadonlySet<string> = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const LITERALS: ReadonlyMap<string, boolean | null> = new Map([['true', true], ['false', false], ['null', null]]);

export type { Token } from './tokenizer';
export { DEFAULT_MAX_TERMS } from './term-limit';

export interface ParseOptions {
  /** The most comparisons (attribute tests, `pr` included, value paths' inner ones too); DEFAULT_MAX_TERMS when absent. */
  readonly maxTerms?: number;
}

const isOperator = (word: string): word is CompareOperator => OPERATORS.has(word);

/**
 * Grammar, loosest binding first (keywords case-insensitive):
 *   filter  = and *("or" and)        and = operand *("and" operand)
 *   operand = "not" "(" filter ")" / "(" filter ")" / attrPath ("pr" / op value / valueFilter)
 * The and/or loops collect a chain's operands without recursion and group them as a balanced
 * tree (chains.ts); only parentheses and brackets recurse, and their depth is capped at MAX_DEPTH.
 * Comparisons are counted as they are read, and the one past the limit stops the parse (term-limit.ts).
 */
export class FilterParser {
  readonly fail: Fail;
  private readonly lexer: Lexer;
  private readonly terms: TermLimit;
  private lookahead: Token;
  private depth = 0;
  private insideBrackets = false;

  constructor(text: string, private readonly subject: 'filter' | 'path', options: ParseOptions = {}) {
    this.fail = subject === 'filter' ? invalidFilter : invalidPath;
    const maxTerms = options.maxTerms ?? DEFAULT_MAX_TERMS;
    this.terms = new TermLimit(maxTerms, subject, this.fail);
    const maxLength = Math.max(MIN_MAX_LENGTH, maxTerms * LENGTH_PER_TERM);
    if (text.length > maxLength) {
      throw this.fail(`The ${subject} is too long: ${text.length} characters, the limit is ${maxLength}`);
    }
    this.lexer = new Lexer(text, this.fail);
    this.lookahead = this.lexer.next();
    if (this.lookahead.kind === 'end') throw this.fail(`The ${subject} is empty`);
  }

  peek(): Token {
    return this.lookahead;
  }

  advance(): Token {
    const token = this.lookahead;
    this.lookahead = this.lexer.next();
    return token;
  }

  filter(): Filter {
    return this.chain('or', () => this.chain('and', () => this.operand()));
  }

  /** An attribute path; its token is returned too, for later error messages. */
  attributePath(): { path: AttributePath; token: Token } {
    const token = this.advance();
    if (token.kind !== 'word') throw this.expected('an attribute path', token);
    return { path: pathOfToken(token, this.fail), token };
  }

  /** `[filter]` after an attribute; the inner filter's paths are relative to that attribute. */
  valueFilter(path: AttributePath, name: Token): Filter {
    const at = `Unexpected "[" at position ${this.peek().pos}`;
    if (this.insideBrackets) throw this.fail(`${at}: value filters cannot be nested`);
    // Sub-attributes are never complex (RFC 7643 §2.3.8), so they have no elements to select.
    if (path.subAttribute !== undefined) {
      throw this.fail(`${at}: a value filter cannot follow the sub-attribute "${name.text}"`);
    }
    this.insideBrackets = true;
    const inner = this.enclosed(']', 'brackets');
    this.insideBrackets = false;
    return inner;
  }

  /** The `subAttr` after `].`: a plain ATTRNAME. */
  subAttributeName(): string {
    const token = this.advance();
    if (token.kind === 'word' && isAttributeName(token.text)) return token.text;
    throw this.expected('a sub-attribute name after "."', token);
  }

  expectEnd(what = `"and", "or" or the end of the ${this.subject}`): void {
    const token = this.peek();
    if (token.kind === ')' || token.kind === ']') {
      const opener = token.kind === ')' ? '(' : '[';
      throw this.fail(`Unexpected "${token.text}" at position ${token.pos}: there is no "${opener}" to close`);
    }
    if (token.kind !== 'end') throw this.expected(what, token);
  }

  /** `operand *(keyword operand)`, read in a loop and grouped as a balanced tree. */
  private chain(keyword: 'and' | 'or', operand: () => Filter): Filter {
    const operands = [operand()];
    while (isKeyword(this.peek(), keyword)) {
      this.advance();
      operands.push(operand());
    }
    return balancedChain(keyword, operands);
  }

  private operand(): Filter {
    const token = this.peek();
    if (isKeyword(token, 'not')) return this.negation();
    if (token.kind === '(') return this.enclosed(')', 'parentheses');
    const isConnective = isKeyword(token, 'and') || isKeyword(token, 'or');
    if (token.kind === 'word' && !isConnective) return this.attributeExpression();
    throw this.expected('an attribute path, "(" or "not"', token);
  }

  /** RFC 7644 only allows `not (…)`; the negation is kept as written, never pushed inwards. */
  private negation(): Filter {
    const not = this.advance();
    if (this.peek().kind !== '(') throw this.expected(`"(" after "${not.text}"`, this.peek());
    return { kind: 'not', filter: this.enclosed(')', 'parentheses') };
  }

  /** `(filter)` or `[filter]`. State is not restored on error: a parser is dropped after one. */
  private enclosed(closer: ')' | ']', name: string): Filter {
    const open = this.advance();
    if (++this.depth > MAX_DEPTH) {
      throw this.fail(`The ${this.subject} is nested too deeply at position ${open.pos}: at most ${MAX_DEPTH} levels`);
    }
    if (this.peek().kind === closer) {
      throw this.fail(`Empty ${name} at position ${open.pos}: expected a filter inside "${open.text}${closer}"`);
    }
    const inner = this.filter();
    const token = this.advance();
    if (token.kind === 'end') throw this.fail(`Missing "${closer}" to close the "${open.text}" at position ${open.pos}`);
    if (token.kind !== closer) throw this.expected(`"and", "or" or "${closer}"`, token);
    this.depth--;
    return inner;
  }

  private attributeExpression(): Filter {
    const { path, token } = this.attributePath();
    if (this.peek().kind !== '[') return this.comparison(path, token);
    const filter = this.valueFilter(path, token);
    if (this.peek().kind !== '.') return { kind: 'valuePath', path, filter };
    // Microsoft Entra ID sends `emails[type eq "work"].value eq "x"`, which is not RFC grammar;
    // it means "one work email has that value", so the comparison joins the bracket filter.
    this.advance();
    const subToken = this.peek();
    const extra = this.comparison({ attribute: this.subAttributeName() }, subToken);
    return { kind: 'valuePath', path, filter: { kind: 'and', left: filter, right: extra } };
  }

  private comparison(path: AttributePath, name: Token): Filter {
    this.terms.count(this.lexer, name);
    const opToken = this.advance();
    const op = opToken.kind === 'word' ? opToken.text.toLowerCase() : '';
    if (op === 'pr') {
      const next = this.peek();
      if (next.value !== undefined || (next.kind === 'word' && LITERALS.has(next.text.toLowerCase()))) {
        throw this.fail(`"${opToken.text}" takes no value, but found ${describe(next)} at position ${next.pos}`);
      }
      return { kind: 'present', path };
    }
    if (!isOperator(op)) {
      throw this.expected(`an operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr) after "${name.text}"`, opToken);
    }
    return { kind: 'compare', path, op, value: this.value(opToken) };
  }

  private value(opToken: Token): CompareValue {
    const token = this.advance();
    if (token.value !== undefined) return token.value;
    const literal = token.kind === 'word' ? token.text.toLowerCase() : '';
    if (LITERALS.has(literal)) return LITERALS.get(literal) ?? null;
    const hint = token.kind === 'word' ? ' (strings must be in double quotes)' : '';
    throw this.expected(`a value (string, number, true, false or null) after "${opToken.text}"`, token, hint);
  }

  private expected(what: string, token: Token, hint = ''): ScimError {
    const found = token.kind === 'end' ? `the ${this.subject} ended` : `found ${describe(token)}${hint}`;
    return this.fail(`Expected ${what} at position ${token.pos}, but ${found}`);
  }
}

/** Parses a `filter` query parameter (or the filter of a POST /.search); throws `invalidFilter`. */
export function parseFilter(text: string, options: ParseOptions = {}): Filter {
  const parser = new FilterParser(text, 'filter', options);
  const filter = parser.filter();
  parser.expectEnd();
  return filter;
}
