/**
 * A server under measurement runs in its own Node process, as in production: its start-up is
 * timed from spawn to the first 200 from GET /healthz, and its memory is read from
 * /proc/<pid>/status (VmRSS now, VmHWM the peak), so the load generator's own memory and CPU
 * are not counted in it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';

export interface Memory {
  /** Resident set size now (VmRSS), in MB; undefined where /proc is not available. */
  readonly rssMb?: number;
  /** Peak resident set size (VmHWM), in MB. */
  readonly peakMb?: number;
}

export interface ServerProcess {
  readonly port: number;
  readonly pid: number;
  /** Milliseconds from spawn to the first 200 from GET /healthz. */
  readonly startupMs: number;
  memory(): Memory;
  stop(): Promise<void>;
}

/** Runs `node script` with `env` on a free loopback port and waits until it answers GET /healthz. */
export async function startServer(script: string, env: Record<string, string>, timeoutMs = 120_000): Promise<ServerProcess> {
  const port = await freePort();
  const started = process.hrtime.bigint();
  // The benchmark measures the embedded store: a MONGODB_URI in the caller's shell is not passed on.
  const { MONGODB_URI: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, [script], { env: { ...inherited, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it answered /healthz`))));
  exited.catch(() => undefined);
  await Promise.race([healthy(port, timeoutMs), exited]);
  const startupMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { port, pid: child.pid!, startupMs, memory: () => memoryOf(child.pid!), stop: () => stop(child) };
}

function memoryOf(pid: number): Memory {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) / 1024;
    return { rssMb: kb('VmRSS'), peakMb: kb('VmHWM') };
  } catch {
    return {};
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function healthy(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await answers(port)) return;
    if (Date.now() > deadline) throw new Error(`no answer from GET /healthz on port ${port} in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const answers = (port: number) => new Promise<boolean>((resolve) => {
  const req = http.get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
    res.resume();
    resolve(res.statusCode === 200);
  });
  req.on('error', () => resolve(false));
});

/** A port nothing listens on (asked of the kernel, then released for the server to take). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
