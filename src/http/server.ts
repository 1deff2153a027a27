import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerClientErrors } from './client-errors';

export interface ServerOptions {
  readonly port: number;
  readonly host: string;
  readonly requestTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
}

/** The server could not listen; the message says why in one line (port in use, address not here…). */
export class ListenError extends Error {
  override name = 'ListenError';
}

/** Node checks request and header deadlines only this often (30 s by default): at most 1 s late. */
const MAX_CHECKING_INTERVAL_MS = 1000;

/**
 * Listens on HOST:PORT with the slow-client limits set, resolving once listening. A client that
 * trickles its headers or body is answered 408 and disconnected when its time is up, with or
 * without a token: the limits hold before any middleware runs.
 */
export function listen(app: RequestListener, options: ServerOptions): Promise<Server> {
  // Headers arrive within the whole request, so their limit is never the longer one (Node refuses that).
  const headersTimeout = Math.min(options.headersTimeoutMs, options.requestTimeoutMs);
  const server = createServer({
    requestTimeout: options.requestTimeoutMs,
    headersTimeout,
    connectionsCheckingInterval: Math.min(MAX_CHECKING_INTERVAL_MS, Math.ceil(headersTimeout / 4)),
  }, app);
  server.keepAliveTimeout = options.keepAliveTimeoutMs;
  closeConnectionsWhileStopping(server);
  answerClientErrors(server);
  return new Promise((resolve, reject) => {
    server.once('error', (error) => reject(listenError(error, options)));
    server.listen(options.port, options.host, () => resolve(server));
  });
}

/**
 * Once the server stops accepting (close() was called, so it no longer listens), a connection
 * must not stay open for another request: the response says `Connection: close`, and a kept-alive
 * connection closes as soon as its last response has gone out.
 */
function closeConnectionsWhileStopping(server: Server): void {
  server.prependListener('request', (_req, res) => {
    if (!server.listening) res.setHeader('Connection', 'close');
    res.once('finish', () => {
      if (!server.listening) setImmediate(() => server.closeIdleConnections());
    });
  });
}

const LISTEN_REASONS: Readonly<Record<string, (options: ServerOptions) => string>> = {
  EADDRINUSE: ({ port }) => `port ${port} is in use`,
  EACCES: ({ port }) => `port ${port} needs more privileges (EACCES): use a port above 1023 or grant CAP_NET_BIND_SERVICE`,
  EADDRNOTAVAIL: ({ host }) => `HOST=${host} is not an address of this machine (EADDRNOTAVAIL)`,
  ENOTFOUND: ({ host }) => `HOST=${host} cannot be resolved to an address (ENOTFOUND)`,
  EAI_AGAIN: ({ host }) => `HOST=${host} cannot be resolved to an address now (EAI_AGAIN)`,
};

/** A listen failure as one line an operator can act on. */
export function listenError(error: Error & { code?: string }, options: ServerOptions): ListenError {
  const reason = LISTEN_REASONS[error.code ?? '']?.(options) ?? `cannot listen on ${options.host} port ${options.port}: ${error.message}`;
  return new ListenError(reason);
}

/** The URL to announce: a wildcard address means "any interface", so localhost reaches it; IPv6 goes in brackets. */
export function listeningUrl({ address, port }: AddressInfo): string {
  const host = address === '0.0.0.0' || address === '::' ? 'localhost' : address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${port}`;
}

/**
 * Stops accepting, lets in-flight requests finish, and after `timeoutMs` (or at once when `now`
 * aborts: a second signal) closes the connections that remain. Idle keep-alive connections close
 * at once. Resolves when every connection is closed; `forced` tells whether any had to be cut.
 */
export async function stopGracefully(server: Server, timeoutMs: number, now?: AbortSignal): Promise<{ forced: boolean }> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<true>((resolve) => {
    timer = setTimeout(() => resolve(true), timeoutMs);
    if (now?.aborted) resolve(true);
    now?.addEventListener('abort', () => resolve(true), { once: true });
  });
  const forced = await Promise.race([closed.then(() => false), deadline]);
  clearTimeout(timer);
  if (forced) {
    server.closeAllConnections();
    await closed;
  }
  return { forced };
}
