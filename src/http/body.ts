import express, { type RequestHandler } from 'express';
import { unsupportedMediaType } from '../scim/errors';

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
