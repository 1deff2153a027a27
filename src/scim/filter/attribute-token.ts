import type { AttributePath } from '../path/attribute-path';
import { describe, type Fail, type Token } from './tokenizer';

/** RFC 7643 ATTRNAME, plus the leading "$" of `$ref`. */
const ATTRNAME = /^\$?[A-Za-z][A-Za-z0-9_-]*$/;
const SCHEMA_URN = /^urn(:[^:]+)+$/i;

export const isAttributeName = (text: string): boolean => ATTRNAME.test(text);

/** A word token read as `[URN ":"] ATTRNAME ["." subAttr]`; the URN is everything up to the last ":" (it contains "2.0"). */
export function pathOfToken(token: Token, fail: Fail): AttributePath {
  const colon = token.text.lastIndexOf(':');
  const schema = colon >= 0 ? token.text.slice(0, colon) : undefined;
  if (schema !== undefined && !SCHEMA_URN.test(schema)) {
    throw fail(`Invalid schema URN "${schema}" at position ${token.pos}: expected "urn:…:attribute"`);
  }
  const [attribute = '', subAttribute, ...rest] = token.text.slice(colon + 1).split('.');
  const valid = ATTRNAME.test(attribute) && (subAttribute === undefined || ATTRNAME.test(subAttribute));
  if (!valid || rest.length > 0) {
    throw fail(`Invalid attribute path ${describe(token)} at position ${token.pos}: expected attribute or attribute.subAttribute`);
  }
  return { ...(schema !== undefined && { schema }), attribute, ...(subAttribute !== undefined && { subAttribute }) };
}
