import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Application } from '../app/application';
import type { Principal } from '../app/context';
import type { Config } from '../config/config';
import { createLogger } from '../logger';
import type { Metrics, RefusalKind } from '../metrics';
import { forbidden, unauthorized } from '../scim/errors';
import { authFailureLimit, type AuthFailureLimit } from './auth-failure-limit';
import type { RateLimit } from './rate-limited';
import { routeLabel } from './route-label';

/** The tenant label of a request that entered no tenant (operator routes, /healthz, refused requests). */
export const NO_TENANT = '-';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const REFUSAL_KINDS: Record<RateLimit, RefusalKind> = { token: 'token', authFailures: 'auth_failures' };

/**
 * Counts and times every request once it is answered (or the client went away: status 499, as
 * in the request log). The tenant label is the tenant the request entered, which only a token
 * valid there can do: a request naming a tenant that does not exist, or one it may not enter,
 * is labelled `-`, so no client can add label values (and series) by inventing tenant ids.
 */
export function observeRequests(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = res.writableFinished || res.headersSent ? res.statusCode : 499;
      metrics.request({ method: METHODS.has(req.method) ? req.method : 'other', route: routeLabel(req, res), status: String(status), tenant: tenantOf(res) }, seconds);
      const limit = res.locals.rateLimit as RateLimit | undefined;
      if (limit !== undefined) metrics.refused(REFUSAL_KINDS[limit]);
    };
    res.once('finish', record);
    res.once('close', record);
    next();
  };
}

/** tenantScope sets the directory only once the token has entered the tenant. */
const tenantOf = (res: Response): string =>
  res.locals.directory !== undefined && typeof res.locals.tenantId === 'string' ? res.locals.tenantId : NO_TENANT;

const MISSING = 'Send an operator token or METRICS_TOKEN: Authorization: Bearer <token>';
const NOT_ALLOWED = 'Only an operator token or METRICS_TOKEN may read the metrics';

/**
 * GET /metrics in the Prometheus text format (version 0.0.4), for an operator token or the
 * METRICS_TOKEN secret. No token, or one that is not valid: 401, counted by the
 * failed-authentication limit like any other (`failures`: the app's own, so /metrics and SCIM
 * share one count per address; without it, a count of its own). A valid token of a tenant: 403
 * (the metrics span every tenant).
 */
export function metricsEndpoint(application: Application, config: Config, metrics: Metrics, failures?: AuthFailureLimit): RequestHandler {
  const limit = failures ?? authFailureLimit(config.rateLimitAuthFailures, createLogger(config.logLevel));
  const isMetricsToken = sameSecretAs(config.metricsToken);
  const allowed = async (req: Request, res: Response): Promise<void> => {
    const secret = bearerSecret(req);
    if (secret === undefined) return refuse(req, MISSING);
    if (isMetricsToken(secret)) return;
    const authentication = await application.authenticate(secret);
    if (!authentication.ok) return refuse(req, authentication.reason);
    res.locals.principal = authentication.principal satisfies Principal;
    if (authentication.principal.kind !== 'operator') throw forbidden(NOT_ALLOWED);
  };
  const refuse = async (req: Request, reason: string): Promise<never> => {
    await limit.recordFailure(req);
    throw unauthorized(reason);
  };
  return (req, res, next) => {
    limit.refuseBlocked(req, res, (blocked?: unknown) => {
      if (blocked) return next(blocked);
      allowed(req, res)
        .then(() => metrics.exposition())
        // Not res.send: it would rewrite the media type's parameters.
        .then((text) => void res.status(200).setHeader('Content-Type', metrics.contentType).end(text), next);
    });
  };
}

/** The secret of `Authorization: Bearer <secret>` (RFC 6750 §2.1), or undefined. */
function bearerSecret(req: Request): string | undefined {
  const match = /^Bearer +([\w.~+/-]+=*) *$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/**
 * Compares in constant time: both sides are hashed first, so neither the secret's length nor
 * the position of the first difference shows in how long the comparison takes.
 */
function sameSecretAs(expected: string | undefined): (secret: string) => boolean {
  if (expected === undefined) return () => false;
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  const wanted = digest(expected);
  return (secret) => timingSafeEqual(digest(secret), wanted);
}
