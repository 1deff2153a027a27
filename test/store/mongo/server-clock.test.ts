import { serverTimeAt, startServerClock, uncertainty } from '../../../src/store/mongo/server-clock';

/**
 * The server clock against a fake `hello`: a monotonic clock the test moves, and a server whose
 * time and answer delay the test chooses.
 */
function fakeServer(serverStart: number) {
  let monotonic = 1_000;
  let delay = 0;
  let failing = false;
  const server = {
    /** The server's time at the current monotonic instant. */
    offset: serverStart - monotonic,
    advance: (ms: number) => void (monotonic += ms),
    setDelay: (ms: number) => void (delay = ms),
    fail: (on: boolean) => void (failing = on),
    monotonic: () => monotonic,
    /** Answers after `delay`, stamped at the midpoint, as the server would. */
    async localTime(): Promise<Date> {
      if (failing) throw new Error('no primary');
      monotonic += delay / 2;
      const time = new Date(monotonic + server.offset);
      monotonic += delay / 2;
      return time;
    },
  };
  return server;
}

const T0 = Date.parse('2025-01-01T00:00:00.000Z');

describe('the server clock', () => {
  it('takes the server time at the midpoint of the round trip, and says how far off it can be', () => {
    const reading = { serverTime: T0, sentAt: 100, receivedAt: 140 };
    expect(serverTimeAt(reading, 120)).toBe(T0);
    expect(serverTimeAt(reading, 140)).toBe(T0 + 20);
    expect(serverTimeAt(reading, 1_140)).toBe(T0 + 1_020);
    expect(uncertainty(reading)).toBe(20);
  });

  it('answers the primary\'s time, however far this machine\'s clock is off', async () => {
    const server = fakeServer(T0);
    server.setDelay(30);
    const clock = await startServerClock(() => server.localTime(), { monotonic: server.monotonic });
    expect(clock.now()).toBe(new Date(T0 + 30).toISOString());
    server.advance(2_000);
    expect(clock.now()).toBe(new Date(T0 + 2_030).toISOString());
    clock.stop();
  });

  it('follows the server when read again (a new primary, a corrected server clock)', async () => {
    const server = fakeServer(T0);
    const clock = await startServerClock(() => server.localTime(), { monotonic: server.monotonic });
    server.advance(60_000);
    server.offset += 5_000;
    await clock.refresh();
    expect(clock.now()).toBe(new Date(T0 + 65_000).toISOString());
    clock.stop();
  });

  it('never goes back, even when the server\'s clock does', async () => {
    const server = fakeServer(T0);
    const clock = await startServerClock(() => server.localTime(), { monotonic: server.monotonic });
    server.advance(1_000);
    const before = clock.now();
    server.offset -= 10_000;
    await clock.refresh();
    expect(clock.now()).toBe(before);
    server.advance(9_999);
    expect(clock.now()).toBe(before);
    server.advance(2);
    expect(clock.now() > before).toBe(true);
    clock.stop();
  });

  it('keeps the last reading when the server cannot be read', async () => {
    const server = fakeServer(T0);
    const clock = await startServerClock(() => server.localTime(), { monotonic: server.monotonic });
    server.fail(true);
    await expect(clock.refresh()).rejects.toThrow('no primary');
    server.advance(500);
    expect(clock.now()).toBe(new Date(T0 + 500).toISOString());
    clock.stop();
  });

  it('reads the server again every refresh interval, on a timer that does not keep the process alive', async () => {
    jest.useFakeTimers();
    try {
      const localTime = jest.fn(async () => new Date(T0));
      const clock = await startServerClock(localTime, { refreshMs: 60_000 });
      expect(localTime).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(120_000);
      expect(localTime).toHaveBeenCalledTimes(3);
      clock.stop();
      await jest.advanceTimersByTimeAsync(120_000);
      expect(localTime).toHaveBeenCalledTimes(3);
    } finally {
      jest.useRealTimers();
    }
  });

  it('falls back to this machine\'s clock, with a warning, for a server that does not tell its time', async () => {
    const warn = jest.fn();
    const clock = await startServerClock(async () => undefined, { logger: { warn } as never });
    const before = Date.now();
    expect(Date.parse(clock.now())).toBeGreaterThanOrEqual(before);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/did not report its time/));
    clock.stop();
  });
});
