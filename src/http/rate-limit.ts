import type { RequestHandler } from 'express';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { rateLimited, type RateLimit } from './rate-limited';
import { principalOf } from './tenant-scope';

/** A token may reach this many times its per-second rate in a burst (RATE_LIMIT_PER_TOKEN). */
export const BURST_FACTOR = 5;
/** How often the burst allowance refills: the long-run ceiling is rate × (1 + (BURST_FACTOR - 1) / this). */
export const BURST_WINDOW_SECONDS = 10;

const passThrough: RequestHandler = (_req, _res, next) => next();

/**
 * RATE_LIMIT_PER_TOKEN (R requests per second), keyed by the authenticated token's id, so it
 * runs after bearerAuth and before the body is read. Two fixed windows (rate-limiter-flexible's
 * BurstyRateLimiter): each token has R requests per 1-second window; once those are spent, a
 * request draws on a burst allowance of (BURST_FACTOR − 1) × R that refills every
 * BURST_WINDOW_SECONDS. So a burst may reach 5 × R in one second, and the long-run ceiling is
 * 1.4 × R. Over both: 429 with Retry-After (when the 1-second window resets).
 *
 * Counters live in this process's memory (≈ 3–9 µs a request): this check runs on every request,
 * and a shared counter would add a database write to each (≈ 90 µs and a turn at SQLite's write
 * lock; a round trip with MongoDB). N instances therefore allow N × the rate (see README).
 */
export function tokenRateLimit(perSecond: number | undefined): RequestHandler {
  if (perSecond === undefined) return passThrough;
  const limiter = new BurstyRateLimiter(
    new RateLimiterMemory({ keyPrefix: 'token', points: perSecond, duration: 1 }),
    new RateLimiterMemory({ keyPrefix: 'token-burst', points: (BURST_FACTOR - 1) * perSecond, duration: BURST_WINDOW_SECONDS }),
  );
  const limit = `This token may make ${perSecond} requests per second, in bursts of up to ${BURST_FACTOR * perSecond}`;
  return (_req, res, next) => {
    limiter.consume(principalOf(res).tokenId).then(
      () => next(),
      (rejection: unknown) => {
        if (!(rejection instanceof RateLimiterRes)) return next(rejection);
        res.locals.rateLimit = 'token' satisfies RateLimit;
        next(rateLimited(limit, rejection.msBeforeNext));
      },
    );
  };
}
