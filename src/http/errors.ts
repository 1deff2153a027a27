import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ScimError, invalidSyntax, notFound, payloadTooLarge, unsupportedMediaType, invalidFilter } from '../scim/errors';
import { UnsupportedQuery } from '../store/port';
import type { Logger } from '../logger';
import { sendScim } from './respond';

export const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** Body-parser and store failures that are the client's doing, as SCIM errors. */
function asScimError(error: unknown): ScimError | undefined {
  if (error instanceof ScimError) return error;
  if (error instanceof UnsupportedQuery) return invalidFilter(error.message);
  const type = (error as { type?: string })?.type;
  if (type === 'entity.parse.failed') return invalidSyntax(`The request body is not valid JSON: ${(error as Error).message}`);
  if (type === 'entity.too.large') return payloadTooLarge(`The request body is larger than the ${(error as { limit?: number }).limit} bytes this server accepts`);
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') return unsupportedMediaType((error as Error).message);
  return undefined;
}

/**
 * The one place errors become responses (RFC 7644 §3.12). Anything that is not a known client
 * error is a 500 whose body says nothing about the cause; the cause goes to the log.
 */
export function errorRenderer(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const scim = asScimError(error);
    if (!scim) {
      logger.error('unhandled error', { requestId: res.locals.requestId, error });
      return sendScim(res, 500, { schemas: [ERROR_URN], status: '500', detail: `Internal server error (request id ${res.locals.requestId})` });
    }
    res.set(scim.headers);
    sendScim(res, scim.status, { schemas: [ERROR_URN], status: String(scim.status), ...(scim.scimType ? { scimType: scim.scimType } : {}), detail: scim.detail });
  };
}

export const unknownRoute: RequestHandler = (req) => {
  throw notFound(`There is no SCIM endpoint at ${req.method} ${req.path}`);
};
