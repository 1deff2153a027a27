import { invalidFilter, invalidPath, type ScimError } from '../errors';
import type { AttributePath } from '../path/attribute-path';
import type { CompareOperator, CompareValue, Filter } from './ast';

/**
 * Lexer and recursive-descent parser for RFC 7644 §3.4.2.2 filters. PATCH paths
 * (../path/parse-path.ts) reuse the same pieces and differ only in the error type they raise.
 * Positions in messages are 0-based character offsets, as JSON.parse reports them.
 */

/** Bounds every input so that no request can exhaust the stack or the CPU. */
const MAX_LENGTH = 10_000;
const MAX_DEPTH = 64;

const OPERATORS: ReadonlySet<string> = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const LITERALS: ReadonlyMap<string, boolean | null> = new Map([['true', true], ['false', false], ['null', null]]);
/** The escapes a JSON string allows. */
const ESCAPE = /^\\(["\\/bfnrt]|u[0-9A-Fa-f]{4})/;
/** RFC 7643 ATTRNAME, plus the leading "$" of `$ref`. */
const ATTRNAME = /^\$?[A-Za-z][A-Za-z0-9_-]*$/;
const SCHEMA_URN = /^urn(:[^:]+)+$/i;
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
/** A word is an attrPath or a keyword; it may hold a URN, so ":" and "." belong to it. */
const WORD = /[A-Za-z0-9$:._-]+/y;
/** Whatever could be meant as part of a number, so `1or` is one bad number rather than two tokens. */
const NUMBERISH = /[-+.0-9A-Za-z]+/y;
const PUNCTUATION = /[()[\].]/y;

export interface Token {
  readonly kind: '(' | ')' | '[' | ']' | '.' | 'word' | 'string' | 'number' | 'end';
  /** The source text, quotes included, for messages. */
  readonly text: string;
  readonly pos: number;
  /** The decoded literal of a string or number token. */
  readonly value?: string | number;
}

type Fail = (detail: string) => ScimError;

/** Produces tokens on demand, so the first error in reading order is the one reported. */
class Lexer {
  private pos = 0;

  constructor(private readonly text: string, private readonly fail: Fail) {}

  next(): Token {
    while (this.text[this.pos] === ' ' || this.text[this.pos] === '\t') this.pos++;
    const start = this.pos;
    const ch = this.text[start];
    if (ch === undefined) return { kind: 'end', text: '', pos: start };
    if (ch === '"') return this.string(start);
    if (ch === '-' || (ch >= '0' && ch <= '9')) return this.number(start);
    if (/[A-Za-z$]/.test(ch)) return { kind: 'word', text: this.match(WORD, start), pos: start };
    const punctuation = this.match(PUNCTUATION, start);
    if (punctuation) return { kind: punctuation as Token['kind'], text: punctuation, pos: start };
    throw this.fail(`Unexpected character "${ch}" at position ${start}`);
  }

  private match(pattern: RegExp, start: number): string {
    pattern.lastIndex = start;
    const text = pattern.exec(this.text)?.[0] ?? '';
    this.pos = start + text.length;
    return text;
  }

  private number(start: number): Token {
    const text = this.match(NUMBERISH, start);
    const value = Number(text);
    if (!JSON_NUMBER.test(text) || !Number.isFinite(value)) {
      throw this.fail(`Invalid number "${text}" at position ${start}`);
    }
    return { kind: 'number', text, pos: start, value };
  }

  /** A JSON string: same escapes, no raw control characters; JSON.parse decodes it once checked. */
  private string(start: number): Token {
    let i = start + 1;
    for (let ch = this.text[i]; ch !== '"'; ch = this.text[i]) {
      if (ch === undefined) throw this.fail(`Unterminated string starting at position ${start}`);
      if (ch < ' ') throw this.fail(`Unescaped control character in the string at position ${i}`);
      i += ch === '\\' ? this.escapeLength(i, start) : 1;
    }
    this.pos = i + 1;
    const text = this.text.slice(start, this.pos);
    return { kind: 'string', text, pos: start, value: JSON.parse(text) as string };
  }

  private escapeLength(at: number, stringStart: number): number {
    const escape = ESCAPE.exec(this.text.slice(at, at + 6));
    if (escape) return escape[0].length;
    if (at + 1 >= this.text.length) throw this.fail(`Unterminated string starting at position ${stringStart}`);
    const shown = this.text.slice(at, this.text[at + 1] === 'u' ? at + 6 : at + 2);
    throw this.fail(`Invalid escape "${shown}" in the string at position ${at}`);
  }
}

const isOperator = (word: string): word is CompareOperator => OPERATORS.has(word);
const isKeyword = (token: Token, keyword: string) => token.kind === 'word' && token.text.toLowerCase() === keyword;

/** Quotes a token for a message; a string token already carries its quotes. */
function describe(token: Token): string {
  const text = token.text.length > 40 ? `${token.text.slice(0, 40)}…` : token.text;
  return token.kind === 'string' ? text : `"${text}"`;
}

/**
 * Grammar, loosest binding first (keywords case-insensitive):
 *   filter  = and *("or" and)        and = operand *("and" operand)
 *   operand = "not" "(" filter ")" / "(" filter ")" / attrPath ("pr" / op value / valueFilter)
 * The and/or loops build left-associative trees without recursion; only parentheses and brackets
 * recurse, and their depth is capped at MAX_DEPTH.
 */
export class FilterParser {
  readonly fail: Fail;
  private readonly lexer: Lexer;
  private lookahead: Token;
  private depth = 0;
  private insideBrackets = false;

  constructor(text: string, private readonly subject: 'filter' | 'path') {
    this.fail = subject === 'filter' ? invalidFilter : invalidPath;
    if (text.length > MAX_LENGTH) {
      throw this.fail(`The ${subject} is too long: ${text.length} characters, the limit is ${MAX_LENGTH}`);
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
    return { path: this.toPath(token), token };
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
    if (token.kind === 'word' && ATTRNAME.test(token.text)) return token.text;
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

  /** `operand *(keyword operand)`, left-associative, built in a loop rather than by recursion. */
  private chain(keyword: 'and' | 'or', operand: () => Filter): Filter {
    let left = operand();
    while (isKeyword(this.peek(), keyword)) {
      this.advance();
      left = { kind: keyword, left, right: operand() };
    }
    return left;
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

  /** `[URN ":"] ATTRNAME ["." subAttr]`; the URN is everything up to the last ":" (it contains "2.0"). */
  private toPath(token: Token): AttributePath {
    const colon = token.text.lastIndexOf(':');
    const schema = colon >= 0 ? token.text.slice(0, colon) : undefined;
    if (schema !== undefined && !SCHEMA_URN.test(schema)) {
      throw this.fail(`Invalid schema URN "${schema}" at position ${token.pos}: expected "urn:…:attribute"`);
    }
    const [attribute = '', subAttribute, ...rest] = token.text.slice(colon + 1).split('.');
    const valid = ATTRNAME.test(attribute) && (subAttribute === undefined || ATTRNAME.test(subAttribute));
    if (!valid || rest.length > 0) {
      throw this.fail(
        `Invalid attribute path ${describe(token)} at position ${token.pos}: expected attribute or attribute.subAttribute`,
      );
    }
    return { ...(schema !== undefined && { schema }), attribute, ...(subAttribute !== undefined && { subAttribute }) };
  }

  private expected(what: string, token: Token, hint = ''): ScimError {
    const found = token.kind === 'end' ? `the ${this.subject} ended` : `found ${describe(token)}${hint}`;
    return this.fail(`Expected ${what} at position ${token.pos}, but ${found}`);
  }
}

/** Parses a `filter` query parameter (or the filter of a POST /.search); throws `invalidFilter`. */
export function parseFilter(text: string): Filter {
  const parser = new FilterParser(text, 'filter');
  const filter = parser.filter();
  parser.expectEnd();
  return filter;
}
