import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import type { Application } from '../app/application';
import { invalidRequest, OAuthError, temporarilyUnavailable } from '../app/oauth-token';
import type { Config } from '../config/config';
import { ScimError } from '../scim/errors';
import type { AuthFailureLimit } from './auth-failure-limit';

const FORM = /^application\/x-www-form-urlencoded\s*(;|$)/i;
/** A token request has four or five fields; a thousand (body-parser's default) is only work. */
const MAX_FIELDS = 50;

/** RFC 6749 §5.1: a token (or an answer about one) is never cached, by the client or on the way. */
const noStore: RequestHandler = (_req, res, next) => {
  res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  next();
};

/** §4.4.2: the request is a form. A JSON body (a common mistake) is told so, not read as an empty form. */
const formOnly: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  const type = req.headers['content-type'];
  if (hasBody && (type === undefined || !FORM.test(type))) {
    return next(invalidRequest(`Send the token request as application/x-www-form-urlencoded (RFC 6749 section 4.4.2), not ${type ?? 'a body without Content-Type'}`));
  }
  next();
};

/**
 * Everything this endpoint answers is an RFC 6749 §5.2 error body, not a SCIM one: what the
 * limiters and body-parser refuse is translated here. A failure nobody expected goes on to the
 * application's error renderer, which logs it (500).
 */
const oauthErrors: ErrorRequestHandler = (error, _req, res, next) => {
  const oauth = asOAuthError(error);
  if (!oauth || res.headersSent) return next(error);
  res.status(oauth.status).set(oauth.headers).json(oauth.body);
};

function asOAuthError(error: unknown): OAuthError | undefined {
  if (error instanceof OAuthError) return error;
  if (error instanceof ScimError && (error.status === 429 || error.status === 503)) return temporarilyUnavailable(error.status, error.detail, error.headers['Retry-After']);
  const status = (error as { status?: unknown })?.status;
  const type = (error as { type?: unknown })?.type;
  if (type === 'entity.too.large') return invalidRequest(`The request body is larger than the ${(error as { limit?: number }).limit} bytes this server accepts`, 413);
  // body-parser's other refusals (a charset other than UTF-8, too many fields, a cut-short body).
  if (typeof status === 'number' && status >= 400 && status < 500 && (error as { expose?: unknown }).expose === true) {
    return invalidRequest(`The request body cannot be read: ${(error as Error).message}`);
  }
  return undefined;
}

/**
 * POST /oauth/token: the client credentials grant (RFC 6749 §4.4), one endpoint for every
 * tenant (the client's secret says which). Failed client authentications (401) count against
 * RATE_LIMIT_AUTH_FAILURES exactly like failed bearer tokens, and an address over the limit is
 * refused before its credentials are read.
 */
export function oauthTokenRouter(application: Application, config: Config, failures: AuthFailureLimit): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: config.maxBodyBytes, parameterLimit: MAX_FIELDS });
  router.use(noStore);
  router.route('/')
    .post(failures.refuseBlocked, formOnly, form, async (req, res) => {
      try {
        const issued = await application.oauth.issue({ authorization: req.headers.authorization, form: (req.body ?? {}) as Record<string, unknown> }, String(res.locals.requestId));
        // The request log names the client and its tenant, as it names a token's.
        res.locals.principal = issued.principal;
        res.locals.tenantId = issued.principal.kind === 'operator' ? undefined : issued.principal.tenantId;
        res.json(issued.response);
      } catch (error) {
        // Counted before the 401 is sent, so the next request from that address already sees it.
        if (error instanceof OAuthError && error.status === 401) await failures.recordFailure(req);
        throw error;
      }
    })
    .all(() => { throw new OAuthError(405, 'invalid_request', 'The token endpoint takes POST only', { Allow: 'POST' }); });
  router.use(oauthErrors);
  return router;
}
