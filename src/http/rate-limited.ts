import { tooManyRequests, type ScimError } from '../scim/errors';

/** Which limit refused a request; the request log names it. */
export type RateLimit = 'token' | 'authFailures';

/** Retry-After in whole seconds, at least 1 (a client told 0 would retry at once). */
export const retryAfterSeconds = (msBeforeNext: number): number => Math.max(1, Math.ceil(msBeforeNext / 1000));

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** The 429 answer of both limits, saying which limit was reached and when to come back. */
export function rateLimited(limit: string, msBeforeNext: number): ScimError {
  const seconds = retryAfterSeconds(msBeforeNext);
  return tooManyRequests(`${limit}; retry after ${plural(seconds, 'second')}`, seconds);
}
