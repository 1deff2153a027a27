/**
 * Closed-loop load: `concurrency` clients, each sending its next request when the previous one
 * has answered, until `requests` have been sent or `maxSeconds` have passed (whichever first: a
 * scenario that takes half a second a request still ends). A few unmeasured requests warm the
 * server up first (JIT, prepared statements, page cache). Latency is measured at the client, over
 * loopback, so it includes the client's own share of the machine.
 */
import type { Send } from './scim-client';

export interface Figures {
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  /** Answers with a status of 400 or more, or requests that failed outright. */
  readonly failures: number;
}

export interface Load {
  readonly method: string;
  readonly path: (i: number) => string;
  readonly body?: (i: number) => object;
}

export interface LoadLimits {
  readonly requests: number;
  readonly concurrency: number;
  readonly maxSeconds: number;
  readonly warmUp: number;
}

export async function measure(send: Send, load: Load, limits: LoadLimits): Promise<Figures> {
  // The warm-up uses indices past the measured ones, so writes (POST) never collide with them.
  await drive(send, load, limits.warmUp, limits.concurrency, limits.maxSeconds, limits.requests);
  const latencies: number[] = [];
  let failures = 0;
  const started = process.hrtime.bigint();
  const sent = await drive(send, load, limits.requests, limits.concurrency, limits.maxSeconds, 0, (ms, ok) => {
    latencies.push(ms);
    if (!ok) failures++;
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => round(latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? 0);
  return { requests: sent, seconds: round(seconds), rps: round(sent / seconds), p50: pct(50), p95: pct(95), p99: pct(99), failures };
}

const round = (n: number) => Math.round(n * 100) / 100;

async function drive(send: Send, load: Load, requests: number, concurrency: number, maxSeconds: number, first: number, observe?: (ms: number, ok: boolean) => void): Promise<number> {
  const deadline = Date.now() + maxSeconds * 1000;
  let next = 0;
  const worker = async () => {
    while (next < requests && Date.now() < deadline) {
      const i = first + next++;
      const t0 = process.hrtime.bigint();
      const status = await send(load.method, load.path(i), load.body?.(i)).catch(() => 0);
      observe?.(Number(process.hrtime.bigint() - t0) / 1e6, status > 0 && status < 400);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return next;
}
