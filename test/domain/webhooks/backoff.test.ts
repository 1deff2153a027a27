import { DEFAULT_BACKOFF, retryDelayMs } from '../../../src/domain/webhooks/backoff';

/**
 * Retry n waits a random time in [0, base·2^(n−1)), capped: by default up to 10 s before the first
 * retry, 20 s before the second, …, never more than an hour.
 */
const always = (value: number) => () => value;
/** The largest value Math.random can return. */
const ALMOST_ONE = 1 - Number.EPSILON;

describe('retryDelayMs', () => {
  it('defaults to a 10 s base and a 1 h cap', () => {
    expect(DEFAULT_BACKOFF).toEqual({ baseMs: 10_000, capMs: 3_600_000 });
  });

  it.each([
    [1, 10_000],
    [2, 20_000],
    [3, 40_000],
    [4, 80_000],
    [9, 2_560_000],
    [10, 3_600_000],
    [50, 3_600_000],
    [5_000, 3_600_000],
  ])('retry %i waits at most %i ms', (attempt, ceiling) => {
    expect(retryDelayMs(attempt, always(ALMOST_ONE))).toBe(ceiling - 1);
    expect(retryDelayMs(attempt, always(0.5))).toBe(ceiling / 2);
    expect(retryDelayMs(attempt, always(0))).toBe(0);
  });

  it('is jittered: the random draw picks the point within the ceiling', () => {
    expect(retryDelayMs(3, always(0.25))).toBe(10_000);
    expect(retryDelayMs(3, always(0.75))).toBe(30_000);
  });

  it('takes its base and cap from the options', () => {
    const options = { baseMs: 100, capMs: 1_000 };
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelayMs(attempt, always(0.5), options))).toEqual([50, 100, 200, 400, 500]);
  });

  it('treats a first attempt given as 0, a fraction or NaN as the first retry', () => {
    for (const attempt of [0, -3, 0.5, Number.NaN]) expect(retryDelayMs(attempt, always(0.5))).toBe(5_000);
  });

  it('stays within [0, ceiling] even if the random source strays outside [0, 1)', () => {
    expect(retryDelayMs(1, always(-1))).toBe(0);
    expect(retryDelayMs(1, always(7))).toBe(10_000);
  });

  it('with Math.random stays within the ceiling of each retry', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const ceiling = Math.min(3_600_000, 10_000 * 2 ** (attempt - 1));
      for (let draw = 0; draw < 50; draw++) {
        const delay = retryDelayMs(attempt, Math.random);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
      }
    }
  });
});
