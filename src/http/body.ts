import express, { type Request, type RequestHandler } from 'express';
import { invalidSyntax, unsupportedMediaType } from '../scim/errors';
import { isJsonObject, type JsonObject } from '../scim/values/json';

/** JSON bodies as application/scim+json or application/json (or with no Content-Type at all). */
const isJson = (contentType: string | undefined) => contentType === undefined || /^application\/([\w.+-]+\+)?json\b/i.test(contentType);

export function jsonBody(limit: number): RequestHandler[] {
  const rejectOtherTypes: RequestHandler = (req, _res, next) => {
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !isJson(req.headers['content-type'])) {
      return next(unsupportedMediaType(`Send the body as application/scim+json or application/json, not ${req.headers['content-type']}`));
    }
    next();
  };
  return [rejectOtherTypes, express.json({ limit, type: (req) => isJson(req.headers['content-type']) })];
}

/** The parsed body of a write: SCIM bodies are always JSON objects. */
export function bodyOf(req: Request): JsonObject {
  if (!isJsonObject(req.body)) throw invalidSyntax('The request body must be a JSON object');
  return req.body;
}
