import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listen, type ServerOptions } from '../../src/http/server';
import { startTestApp, type TestApp } from './test-app';

/** The test app served by Roster's own listen() on a free loopback port, for raw-socket tests. */
export interface ListeningApp {
  readonly t: TestApp;
  readonly server: Server;
  readonly port: number;
  /** Cuts every connection, stops listening (if a test has not already) and closes the store. */
  close(): Promise<void>;
}

/** Server limits as production has them by default, unless a test sets its own. */
export async function startListening(limits: Partial<Omit<ServerOptions, 'port' | 'host'>> = {}): Promise<ListeningApp> {
  const t = await startTestApp();
  const server = await listen(t.app, { requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000, ...limits, port: 0, host: '127.0.0.1' });
  return {
    t, server, port: (server.address() as AddressInfo).port,
    async close() {
      server.closeAllConnections();
      if (server.listening) await new Promise((done) => server.close(done));
      await t.close();
    },
  };
}
