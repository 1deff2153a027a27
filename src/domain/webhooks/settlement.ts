import type { AttemptOutcome, Delivery, DeliveryAttempt } from '../../store/port';
import { DEFAULT_BACKOFF, retryDelayMs } from './backoff';

export interface RetryPolicy {
  /** WEBHOOK_RETRY_WINDOW: how long after it was queued a delivery is still retried. */
  readonly retryWindowMs: number;
  readonly random: () => number;
  readonly baseMs?: number;
  readonly capMs?: number;
}

/** 2xx, and nothing else, is a delivery: a redirect is not followed, so it is not one. */
export const delivered = (attempt: DeliveryAttempt): boolean =>
  attempt.statusCode !== undefined && attempt.statusCode >= 200 && attempt.statusCode < 300;

/**
 * What an attempt makes of its delivery: delivered; or pending again after an exponential
 * backoff with jitter (counted from the attempts since it was last queued: a manual retry
 * starts over); or failed for good when the next try would fall outside the retry window.
 */
export function settle(delivery: Delivery, attempt: DeliveryAttempt, policy: RetryPolicy): AttemptOutcome {
  if (delivered(attempt)) return { eventId: delivery.eventId, attempt, state: 'delivered' };
  const tries = delivery.attempts.filter((earlier) => earlier.at >= delivery.queuedAt).length + 1;
  const options = { baseMs: policy.baseMs ?? DEFAULT_BACKOFF.baseMs, capMs: policy.capMs ?? DEFAULT_BACKOFF.capMs };
  const next = Date.parse(attempt.at) + retryDelayMs(tries, policy.random, options);
  if (next > Date.parse(delivery.queuedAt) + policy.retryWindowMs) return { eventId: delivery.eventId, attempt, state: 'failed' };
  return { eventId: delivery.eventId, attempt, state: 'pending', nextAttemptAt: new Date(next).toISOString() };
}
