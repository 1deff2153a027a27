import type { RequestHandler } from 'express';
import { Passport } from 'passport';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import { unauthorized } from '../scim/errors';
import type { Principal, Tokens } from '../domain/tokens';

/**
 * Bearer authentication on every SCIM route (passport-http-bearer). A missing, unknown, expired
 * or revoked token is a 401 with WWW-Authenticate and a SCIM error body; the principal is kept
 * in res.locals for the handlers and the request log.
 */
export function bearerAuth(tokens: Tokens): RequestHandler {
  const passport = new Passport();
  passport.use(new BearerStrategy((secret, done) => {
    tokens.authenticate(secret).then(
      (result) => (result.ok ? done(null, result.principal) : done(null, false, result.reason)),
      (error: unknown) => done(error),
    );
  }));
  return (req, res, next) => {
    passport.authenticate('bearer', { session: false }, (error: unknown, principal: Principal | false, info: unknown) => {
      if (error) return next(error);
      if (!principal) return next(unauthorized(typeof info === 'string' && !info.startsWith('Bearer') ? info : 'Send a bearer token: Authorization: Bearer <token>'));
      res.locals.principal = principal;
      next();
    })(req, res, next);
  };
}
