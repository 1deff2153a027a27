import { FilterParser } from '../filter/parse-filter';
import type { AttributePath } from './attribute-path';
import type { PatchPath } from './patch-path';

/**
 * Paths share the filter lexer and parser; a parser opened for a 'path' raises `invalidPath`
 * for every problem, including one inside a `[…]` value filter, as RFC 7644 §3.5.2 requires.
 */

/** `[URN ":"] attribute ["." subAttribute]`, as used by sortBy and attributes/excludedAttributes. */
export function parseAttributePath(text: string): AttributePath {
  const parser = new FilterParser(text, 'path');
  const { path } = parser.attributePath();
  parser.expectEnd('the end of the path');
  return path;
}

/**
 * A PATCH operation path: `attrPath` or `valuePath ["." subAttr]`, e.g. `name.familyName`,
 * `members[value eq "2819c223"]` or `emails[type eq "work"].value`.
 */
export function parsePatchPath(text: string): PatchPath {
  const parser = new FilterParser(text, 'path');
  const { path: attribute, token } = parser.attributePath();
  if (parser.peek().kind !== '[') {
    parser.expectEnd('"[" or the end of the path');
    return { attribute };
  }
  const valueFilter = parser.valueFilter(attribute, token);
  if (parser.peek().kind !== '.') {
    parser.expectEnd('"." or the end of the path');
    return { attribute, valueFilter };
  }
  parser.advance();
  const subAttribute = parser.subAttributeName();
  parser.expectEnd('the end of the path');
  return { attribute, valueFilter, subAttribute };
}
