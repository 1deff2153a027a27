import express, { type Request, type RequestHandler } from 'express';
import { invalidSyntax, unsupportedMediaType } from '../scim/errors';
import { isJsonObject, type JsonObject } from '../scim/values/json';
import { nestsDeeperThan } from './json-depth';

/** JSON bodies as application/scim+json or application/json (or with no Content-Type at all). */
const isJson = (contentType: string | undefined) => contentType === undefined || /^application\/([\w.+-]+\+)?json\b/i.test(contentType);

/**
 * The deepest nesting a body may have. SCIM's deepest legitimate body is shallow (Bulk →
 * Operations → operation → data → extension → complex attribute → sub-attribute is about 7);
 * thousands of levels overflow the call stack of any recursive code that reads the body.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Runs on the raw body before JSON.parse (express.json's `verify`). RFC 8259 §8.1: JSON between
 * systems is UTF-8, and the depth scan reads UTF-8 bytes, so other charsets are refused (415).
 */
function checkDepth(_req: unknown, _res: unknown, body: Buffer, encoding: string): void {
  if (!/^utf-?8$/i.test(encoding)) throw unsupportedMediaType(`Send the body in UTF-8, not ${encoding}`);
  if (nestsDeeperThan(body, MAX_JSON_DEPTH)) throw invalidSyntax(`The request body is nested deeper than ${MAX_JSON_DEPTH} levels`);
}

export function jsonBody(limit: number): RequestHandler[] {
  const rejectOtherTypes: RequestHandler = (req, _res, next) => {
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !isJson(req.headers['content-type'])) {
      return next(unsupportedMediaType(`Send the body as application/scim+json or application/json, not ${req.headers['content-type']}`));
    }
    next();
  };
  return [rejectOtherTypes, express.json({ limit, type: (req) => isJson(req.headers['content-type']), verify: checkDepth })];
}

/** The parsed body of a write: SCIM bodies are always JSON objects. */
export function bodyOf(req: Request): JsonObject {
  if (!isJsonObject(req.body)) throw invalidSyntax('The request body must be a JSON object');
  return req.body;
}
