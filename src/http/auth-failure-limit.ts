import type { Request, RequestHandler } from 'express';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Logger } from '../logger';
import { rateLimited, retryAfterSeconds, type RateLimit } from './rate-limited';

const WINDOW_SECONDS = 60;

/** RATE_LIMIT_AUTH_FAILURES: the check before authentication and the count after a refusal. */
export interface AuthFailureLimit {
  /** Answers 429, before any token is hashed or looked up, to an address that has failed too often. */
  readonly refuseBlocked: RequestHandler;
  /** Counts one failed authentication (a 401) from the request's address. */
  readonly recordFailure: (req: Request) => Promise<void>;
}

/** req.ip honours X-Forwarded-For only with TRUST_PROXY; it is undefined once the socket is gone. */
const addressOf = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/**
 * At most N failed authentications per client address in a fixed 60-second window that starts
 * at the address's first failure; after the Nth, every request from that address is answered
 * 429 until the window ends. Only failures count, and a success does not reset the count:
 * otherwise a client holding one valid token could interleave it to keep guessing (or flooding)
 * for ever, and one client's success would wipe out the failures of another behind the same NAT.
 * Per process, in memory (see README: N instances allow N × the limit).
 */
export function authFailureLimit(perMinute: number | undefined, logger: Logger): AuthFailureLimit {
  if (perMinute === undefined) return { refuseBlocked: (_req, _res, next) => next(), recordFailure: async () => undefined };
  const limiter = new RateLimiterMemory({ keyPrefix: 'auth-failures', points: perMinute, duration: WINDOW_SECONDS });
  const limit = `This address has failed to authenticate ${perMinute} times within ${WINDOW_SECONDS} seconds`;
  return {
    refuseBlocked: (req, res, next) => {
      limiter.get(addressOf(req)).then((state) => {
        // A window whose timer has not fired yet (a busy event loop) is over all the same.
        if (!state || state.consumedPoints < perMinute || state.msBeforeNext <= 0) return next();
        res.locals.rateLimit = 'authFailures' satisfies RateLimit;
        next(rateLimited(limit, state.msBeforeNext));
      }, next);
    },
    recordFailure: async (req) => {
      const clientAddress = addressOf(req);
      const state = await limiter.penalty(clientAddress);
      // Once per window, when the address reaches the limit: one line, not one per refused request.
      if (state.consumedPoints === perMinute) {
        logger.warn('too many failed authentications', { clientAddress, failures: perMinute, retryAfterSeconds: retryAfterSeconds(state.msBeforeNext) });
      }
    },
  };
}
