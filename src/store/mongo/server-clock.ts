import { performance } from 'node:perf_hooks';
import { describeError, type Logger } from '../../logger';

/**
 * The primary's clock, read by every instance: `meta.created` and `meta.lastModified` come from
 * it, so instances whose own clocks disagree still stamp writes on one time line and a
 * `meta.lastModified gt T` sync misses nothing because of their skew.
 *
 * How: `hello` answers with the server's `localTime`. It was read at some moment between
 * sending the command and receiving the answer; the clock assumes the midpoint, so the reading is
 * right to within half the round trip. From then on the time is that reading plus the time
 * elapsed on this process's monotonic clock (performance.now: NTP steps of the local wall clock
 * do not move it), and it is read again every `refreshMs` (60 s), which also follows a new
 * primary after a failover. The bound: instances agree with the primary's clock to within half
 * a round trip plus the drift of their monotonic clock since the last reading (a few
 * milliseconds per minute at most); and `now()` never goes back within a process.
 */
export interface ServerClock {
  /** The primary's time now, as an ISO 8601 string; never earlier than a previous answer. */
  now(): string;
  /** Reads the server's time again (the timer does this every refreshMs). */
  refresh(): Promise<void>;
  /** Stops the timer (on close). */
  stop(): void;
}

export interface ClockOptions {
  readonly refreshMs?: number;
  /** Replaceable in tests: a monotonic clock in milliseconds. */
  readonly monotonic?: () => number;
  readonly logger?: Logger;
}

/** One reading: the server's time at the midpoint of a round trip measured on the monotonic clock. */
export interface Reading {
  readonly serverTime: number;
  readonly sentAt: number;
  readonly receivedAt: number;
}

/** The server's time at monotonic instant `at`, from one reading. */
export const serverTimeAt = (reading: Reading, at: number): number =>
  reading.serverTime + (at - (reading.sentAt + reading.receivedAt) / 2);

/** How far the reading can be off: half the round trip. */
export const uncertainty = (reading: Reading): number => (reading.receivedAt - reading.sentAt) / 2;

export const REFRESH_MS = 60_000;

/**
 * Starts the clock from a first reading of `localTime` (the `hello` reply's); resolves once it
 * has one. A later failed reading keeps the previous one (logged at debug level: the
 * connection's own events report an outage).
 */
export async function startServerClock(localTime: () => Promise<Date | undefined>, options: ClockOptions = {}): Promise<ServerClock> {
  const monotonic = options.monotonic ?? (() => performance.now());
  let reading: Reading | undefined;
  let last = -Infinity;
  const read = async () => {
    const sentAt = monotonic();
    const time = await localTime();
    const receivedAt = monotonic();
    if (time instanceof Date && Number.isFinite(time.getTime())) reading = { serverTime: time.getTime(), sentAt, receivedAt };
  };
  await read();
  // A server that does not report its time (none Roster supports) leaves the local clock.
  if (!reading) options.logger?.warn('MongoDB did not report its time: timestamps come from this machine\'s clock');
  const timer = setInterval(() => {
    read().catch((error: unknown) => options.logger?.debug('could not read the MongoDB server time; keeping the last reading', describeError(error)));
  }, options.refreshMs ?? REFRESH_MS);
  timer.unref();
  return {
    now() {
      const at = monotonic();
      last = Math.max(last, reading ? serverTimeAt(reading, at) : Date.now());
      return new Date(Math.floor(last)).toISOString();
    },
    refresh: read,
    stop: () => clearInterval(timer),
  };
}
