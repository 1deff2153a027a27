import type { ScimError } from '../errors';

/**
 * The lexer of RFC 7644 §3.4.2.2 filters and PATCH paths. Positions in messages are 0-based
 * character offsets, as JSON.parse reports them.
 */
export interface Token {
  readonly kind: '(' | ')' | '[' | ']' | '.' | 'word' | 'string' | 'number' | 'end';
  /** The source text, quotes included, for messages. */
  readonly text: string;
  readonly pos: number;
  /** The decoded literal of a string or number token. */
  readonly value?: string | number;
}

export type Fail = (detail: string) => ScimError;

/** The escapes a JSON string allows. */
const ESCAPE = /^\\(["\\/bfnrt]|u[0-9A-Fa-f]{4})/;
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
/** A word is an attrPath or a keyword; it may hold a URN, so ":" and "." belong to it. */
const WORD = /[A-Za-z0-9$:._-]+/y;
/** Whatever could be meant as part of a number, so `1or` is one bad number rather than two tokens. */
const NUMBERISH = /[-+.0-9A-Za-z]+/y;
/** An ISO-8601 date or dateTime written without quotes (its colons would otherwise end the "number"). */
const UNQUOTED_DATE = /\d{4}-\d{2}-\d{2}(?:[Tt][0-9:.]*(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?)?/y;
const PUNCTUATION = /[()[\].]/y;

/** Produces tokens on demand, so the first error in reading order is the one reported. */
export class Lexer {
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
    const date = this.match(UNQUOTED_DATE, start);
    if (date) {
      throw this.fail(`Unquoted dateTime ${date} at position ${start}: dateTimes are strings, so put them in double quotes, as in "${date}"`);
    }
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

export const isKeyword = (token: Token, keyword: string) => token.kind === 'word' && token.text.toLowerCase() === keyword;

/** Quotes a token for a message; a string token already carries its quotes. */
export function describe(token: Token): string {
  const text = token.text.length > 40 ? `${token.text.slice(0, 40)}…` : token.text;
  return token.kind === 'string' ? text : `"${text}"`;
}
