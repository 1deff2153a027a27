import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ScimError, invalidSyntax, notFound, payloadTooLarge, unsupportedMediaType, invalidFilter, invalidPath, unavailable } from '../scim/errors';
import { StoreUnavailable, UnsupportedQuery } from '../store/port';
import type { Logger } from '../logger';
import { sendScim } from './respond';

export const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** Body-parser and store failures that are the client's doing, and an unreachable store (503), as SCIM errors. */
function asScimError(error: unknown): ScimError | undefined {
  if (error instanceof ScimError) return error;
  if (error instanceof UnsupportedQuery) return error.part === 'sort' ? invalidPath(error.message) : invalidFilter(error.message);
  // Not the client's doing, but not a bug either: the database is out of reach for now.
  if (error instanceof StoreUnavailable) return unavailable(`${error.message}; try again later`, error.retryAfterSeconds);
  const type = (error as { type?: string })?.type;
  if (type === 'entity.parse.failed') return invalidSyntax(`The request body is not valid JSON: ${(error as Error).message}`);
  if (type === 'entity.too.large') return payloadTooLarge(`The request body is larger than the ${(error as { limit?: number }).limit} bytes this server accepts`);
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') return unsupportedMediaType((error as Error).message);
  // Other client errors from body-parser (aborted request, wrong Content-Length) and the
  // router (a path parameter that is not valid percent-encoding, which it marks with status 400).
  const status = (error as { status?: unknown })?.status;
  const isClientError = typeof status === 'number' && status >= 400 && status < 500;
  if (isClientError && ((error as { expose?: unknown }).expose === true || error instanceof URIError)) {
    return new ScimError(status, undefined, `The request cannot be read: ${(error as Error).message}`);
  }
  return undefined;
}

/** An Error's own fields are not enumerable, so the JSON log format would write it as {}. */
const describeError = (error: unknown) =>
  error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { message: String(error) };

/**
 * The one place errors become responses (RFC 7644 §3.12). Anything that is not a known client
 * error or an unreachable store (503 with Retry-After) is a 500 whose body says nothing about
 * the cause; the cause goes to the log.
 */
export function errorRenderer(logger: Logger): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) return next(error);
    const scim = asScimError(error);
    if (error instanceof StoreUnavailable) {
      logger.warn('store unavailable', { requestId: res.locals.requestId, error: describeError(error.cause ?? error) });
    }
    if (!scim) {
      logger.error('unhandled error', { requestId: res.locals.requestId, error: describeError(error) });
      return sendScim(res, 500, { schemas: [ERROR_URN], status: '500', detail: `Internal server error (request id ${res.locals.requestId})` });
    }
    res.set(scim.headers);
    sendScim(res, scim.status, { schemas: [ERROR_URN], status: String(scim.status), ...(scim.scimType ? { scimType: scim.scimType } : {}), detail: scim.detail });
  };
}

export const unknownRoute: RequestHandler = (req) => {
  throw notFound(`There is no SCIM endpoint at ${req.method} ${req.path}`);
};
