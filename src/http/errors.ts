import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Directory } from '../app/directory';
import { failedRequest, failureResourceAt } from '../app/failure-log';
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


/** The longest an error response waits for its failure to be recorded (a store that answers slowly must not hold it longer). */
export const RECORD_WAIT_MS = 250;

/**
 * Which failures the tenant's log records: every answer of 400 or more to a request that entered
 * the tenant (so authenticated: nobody unauthenticated writes the log), except a GET or HEAD 404
 * (an identity provider looking up a user that is not there is routine) and a 503 (the store
 * is out of reach: there is nowhere to record it).
 */
function isRecorded(req: Request, res: Response, status: number): boolean {
  if (res.locals.directory === undefined || status < 400 || status === 503) return false;
  return !(status === 404 && (req.method === 'GET' || req.method === 'HEAD'));
}

/** The request's path below its tenant's prefix: /scim/v2/tenants/acme/Users/1 → /Users/1; /admin/users/1/tokens → /users/1/tokens. */
function tenantPath(req: Request, res: Response): string {
  const path = req.originalUrl.split('?')[0];
  const prefixes = [res.locals.scimBasePath as string, `/admin/tenants/${res.locals.tenantId as string}`, '/admin'];
  const prefix = prefixes.find((p) => path.toLowerCase().startsWith(`${p.toLowerCase()}/`));
  return prefix === undefined ? '' : path.slice(prefix.length);
}

/**
 * Records a failed request in its tenant's log (app/failure-log.ts) before the answer is sent,
 * so a client that read the error finds it in the log; waits RECORD_WAIT_MS at most. A failure
 * to record is logged and changes nothing of the answer.
 */
function recordFailure(req: Request, res: Response, error: ScimError, logger: Logger): Promise<void> | undefined {
  if (!isRecorded(req, res, error.status)) return undefined;
  const resource = failureResourceAt(tenantPath(req, res), req.body);
  const failure = failedRequest(req.method, req.originalUrl, error, resource);
  const recorded = Promise.resolve().then(() => (res.locals.directory as Directory).failures.record(failure))
    .catch((cause: unknown) => void logger.warn('failed request not recorded', { requestId: res.locals.requestId, error: describeError(cause) }));
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, RECORD_WAIT_MS);
    timer.unref();
  });
  return Promise.race([recorded, waited]).finally(() => clearTimeout(timer));
}

/**
 * The one place errors become responses (RFC 7644 §3.12). Anything that is not a known client
 * error or an unreachable store (503 with Retry-After) is a 500 whose body says nothing about
 * the cause; the cause goes to the log. A failure of a request inside a tenant is recorded in
 * the tenant's failed-request log first (recordFailure).
 */
export function errorRenderer(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const scim = asScimError(error);
    if (scim?.status === 503) {
      logger.warn('store unavailable', { requestId: res.locals.requestId, error: describeError((error as Error).cause ?? error) });
    }
    if (!scim) logger.error('unhandled error', { requestId: res.locals.requestId, error: describeError(error) });
    const answer = scim ?? new ScimError(500, undefined, `Internal server error (request id ${res.locals.requestId})`);
    const send = () => {
      if (scim) res.set(scim.headers);
      sendScim(res, answer.status, scimErrorBody(answer));
    };
    const recording = recordFailure(req, res, answer, logger);
    if (recording) void recording.then(send);
    else send();
  };
}

export const unknownRoute: RequestHandler = (req) => {
  throw notFound(`There is no SCIM endpoint at ${req.method} ${req.path}`);
};
