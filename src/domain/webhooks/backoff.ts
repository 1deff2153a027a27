/** When a failed delivery is tried again: exponential backoff with full jitter. */
export interface BackoffOptions {
  /** The longest wait before the first retry. */
  readonly baseMs: number;
  /** The longest wait ever. */
  readonly capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 10_000, capMs: 3_600_000 };

/**
 * The wait before retry number `attempt` (1 for the first retry): a random time up to
 * base·2^(attempt−1), capped. Full jitter (rather than a fixed doubling) spreads the retries of
 * many deliveries that failed together, so a receiver that comes back is not hit all at once.
 */
export function retryDelayMs(attempt: number, random: () => number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const doublings = attempt > 1 ? Math.floor(attempt) - 1 : 0;
  // 2 ** 1100 is Infinity, which the cap absorbs: no overflow however long a delivery keeps failing.
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** doublings);
  const fraction = Math.min(Math.max(random(), 0), 1);
  return Math.floor(fraction * ceiling);
}
