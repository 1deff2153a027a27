import type { Request, RequestHandler } from 'express';
import { Passport } from 'passport';
import { Strategy as BearerStrategy, type VerifyFunction } from 'passport-http-bearer';
import { ScimError } from '../scim/errors';
import type { Application } from '../app/application';
import type { Principal } from '../app/context';

const REALM = 'Roster';
const MISSING = 'Send a bearer token: Authorization: Bearer <token>';

/**
 * Bearer authentication on every SCIM route (passport-http-bearer). A missing, unknown, expired
 * or revoked token is a 401 with WWW-Authenticate and a SCIM error body; the principal is kept
 * in res.locals for the handlers and the request log. `onFailure` learns of every 401 (the
 * failed-authentication limit counts them).
 *
 * Only the Authorization header is read. passport-http-bearer would also take `access_token`
 * from the query string (which ends up in proxy logs, RFC 6750 §2.3) or the body, where a SCIM
 * resource may well have an attribute of that name: a body with one, beside a valid header, made
 * the strategy fail the request.
 */
export function bearerAuth(application: Pick<Application, 'authenticate'>, onFailure: (req: Request) => Promise<void> = async () => undefined): RequestHandler {
  const passport = new Passport();
  const verify: VerifyFunction = (secret, done) => {
    application.authenticate(secret).then(
      (result) => (result.ok ? done(null, result.principal) : done(null, false, result.reason)),
      (error: unknown) => done(error),
    );
  };
  passport.use(new BearerStrategy({ realm: REALM }, verify));
  return (req, res, next) => {
    const headerOnly = Object.create(req, { body: { value: undefined }, query: { value: {} } }) as Request;
    passport.authenticate('bearer', { session: false }, (error: unknown, principal: Principal | false, challenge: unknown) => {
      if (error) return next(error);
      // Counted before the 401 is sent, so the next request from that address already sees it.
      if (!principal) return void onFailure(req).then(() => next(unauthorized(challenge)), next);
      res.locals.principal = principal;
      next();
    })(headerOnly, res, next);
  };
}

/**
 * The strategy's challenge is `Bearer realm="Roster"` when no token was sent, and carries
 * error="invalid_token" and the reason (unknown, expired, revoked) when one was refused
 * (RFC 6750 §3). Anything else (a malformed header) gets the plain challenge.
 */
function unauthorized(challenge: unknown): ScimError {
  const text = typeof challenge === 'string' && challenge.startsWith('Bearer ') ? challenge : `Bearer realm="${REALM}"`;
  const reason = /error_description="([^"]*)"/.exec(text)?.[1];
  return new ScimError(401, undefined, reason ?? MISSING, { 'WWW-Authenticate': text });
}
