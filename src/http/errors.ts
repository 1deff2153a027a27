import type { ErrorRequestHandler, RequestHandler } from 'express';
import { scimErrorOf } from '../app/failures';
import { ScimError, invalidSyntax, notFound, payloadTooLarge, scimErrorBody, unsupportedMediaType, ERROR_URN } from '../scim/errors';
import { describeError, type Logger } from '../logger';
import { sendScim } from './respond';

export { ERROR_URN };

/**
 * Use-case failures (app/failures.ts: store and domain), then what only HTTP can fail with:
 * body-parser and router errors that are the client's doing.
 */
function asScimError(error: unknown): ScimError | undefined {
  const known = scimErrorOf(error);
  if (known) return known;
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


/**
 * The one place errors become responses (RFC 7644 §3.12). Anything that is not a known client
 * error or an unreachable store (503 with Retry-After) is a 500 whose body says nothing about
 * the cause; the cause goes to the log.
 */
export function errorRenderer(logger: Logger): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) return next(error);
    const scim = asScimError(error);
    if (scim?.status === 503) {
      logger.warn('store unavailable', { requestId: res.locals.requestId, error: describeError((error as Error).cause ?? error) });
    }
    if (!scim) {
      logger.error('unhandled error', { requestId: res.locals.requestId, error: describeError(error) });
      return sendScim(res, 500, scimErrorBody(new ScimError(500, undefined, `Internal server error (request id ${res.locals.requestId})`)));
    }
    res.set(scim.headers);
    sendScim(res, scim.status, scimErrorBody(scim));
  };
}

export const unknownRoute: RequestHandler = (req) => {
  throw notFound(`There is no SCIM endpoint at ${req.method} ${req.path}`);
};
