import { connect, type Socket } from 'node:net';

/**
 * A raw TCP connection to a test server, for the clients HTTP libraries will not imitate: one that
 * sends half a request, trickles it, or sits idle.
 */
export interface RawConnection {
  readonly socket: Socket;
  /** Everything the server has sent so far. */
  received(): string;
  /** Resolves once `received()` matches `pattern`. */
  receive(pattern: RegExp): Promise<string>;
  /** Resolves when the server (or `giveUpMs`) closes the connection, with how long it was open. */
  readonly closed: Promise<{ received: string; openForMs: number }>;
}

export function openConnection(port: number, giveUpMs = 4500): RawConnection {
  const socket = connect(port, '127.0.0.1');
  const opened = Date.now();
  let received = '';
  const waiting = new Set<() => void>();
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString();
    for (const check of waiting) check();
  });
  socket.on('error', () => undefined);
  const giveUp = setTimeout(() => socket.destroy(), giveUpMs);
  const closed = new Promise<{ received: string; openForMs: number }>((done) => socket.on('close', () => {
    clearTimeout(giveUp);
    done({ received, openForMs: Date.now() - opened });
  }));
  const receive = (pattern: RegExp) => new Promise<string>((found) => {
    const check = () => {
      if (!pattern.test(received)) return;
      waiting.delete(check);
      found(received);
    };
    waiting.add(check);
    check();
  });
  return { socket, received: () => received, receive, closed };
}

/** Writes one byte of `drip` every 100 ms until the connection closes. */
export function trickle(connection: RawConnection, drip: string): void {
  let sent = 0;
  const dripping = setInterval(() => {
    if (!connection.socket.destroyed) connection.socket.write(drip[sent++ % drip.length]);
  }, 100);
  void connection.closed.then(() => clearInterval(dripping));
}
