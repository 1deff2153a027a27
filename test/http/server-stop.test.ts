import type { Server } from 'node:http';
import { stopGracefully } from '../../src/http/server';
import { openConnection, trickle, type RawConnection } from '../support/raw-connection';
import { startListening, type ListeningApp } from '../support/listening-app';
import { BASE, userBody, type TestApp } from '../support/test-app';

/**
 * Stopping (SIGTERM/SIGINT): stop accepting, let in-flight requests finish, close idle keep-alive
 * connections at once, and cut what remains after SHUTDOWN_TIMEOUT or at a second signal.
 * Keep-alive connections live 5 s here, as by default, so no stop may wait for them.
 */
let t: TestApp;
let server: Server;
let port: number;
let listening: ListeningApp;

beforeEach(async () => {
  listening = await startListening();
  ({ t, server, port } = listening);
});

afterEach(() => listening.close());

const body = JSON.stringify(userBody('in.flight'));
const head = (extra = '') => `POST ${BASE}/Users HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${t.token}\r\n`
  + `Content-Type: application/scim+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n`;

/** A client whose request the application has begun to handle, its body half sent. */
async function halfSentRequest(): Promise<RawConnection> {
  const handling = new Promise((begun) => server.once('request', begun));
  const connection = openConnection(port);
  connection.socket.write(head() + body.slice(0, 10));
  await handling;
  return connection;
}

const timed = async <T>(work: Promise<T>) => {
  const started = Date.now();
  return { result: await work, tookMs: Date.now() - started };
};

it('refuses new connections once stopping has begun', async () => {
  await expect(stopGracefully(server, 1000)).resolves.toEqual({ forced: false });
  await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
});

it('lets an in-flight request finish, then closes its kept-alive connection at once', async () => {
  const client = await halfSentRequest();
  const stopping = timed(stopGracefully(server, 10_000));
  client.socket.write(body.slice(10));
  const { received } = await client.closed;
  expect(received).toMatch(/^HTTP\/1\.1 201 /);
  const { result, tookMs } = await stopping;
  expect(result).toEqual({ forced: false });
  expect(tookMs).toBeLessThan(2000);
  expect((await t.get('/Users?filter=userName eq "in.flight"')).body.totalResults).toBe(1);
});

it('serves a request whose headers were still arriving, answering Connection: close', async () => {
  const client = openConnection(port);
  client.socket.write(head().slice(0, 20));
  await new Promise((settle) => setTimeout(settle, 100));
  const stopping = stopGracefully(server, 10_000);
  client.socket.write(head().slice(20) + body);
  const { received } = await client.closed;
  expect(received).toMatch(/^HTTP\/1\.1 201 /);
  expect(received).toMatch(/\r\nConnection: close\r\n/i);
  await expect(stopping).resolves.toEqual({ forced: false });
});

it('closes an idle keep-alive connection at once', async () => {
  const client = openConnection(port);
  client.socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
  await client.receive(/\r\n\r\n\{"status":"ok"\}/);
  const { result, tookMs } = await timed(stopGracefully(server, 10_000));
  expect(result).toEqual({ forced: false });
  expect(tookMs).toBeLessThan(2000);
  await client.closed;
});

it('cuts a client that holds its body open once SHUTDOWN_TIMEOUT has passed', async () => {
  const client = await halfSentRequest();
  trickle(client, ' ');
  const { result, tookMs } = await timed(stopGracefully(server, 300));
  expect(result).toEqual({ forced: true });
  expect(tookMs).toBeLessThan(2000);
  expect((await client.closed).openForMs).toBeLessThan(4000);
});

it('cuts what remains at once when asked again (a second signal)', async () => {
  const client = await halfSentRequest();
  const now = new AbortController();
  const stopping = timed(stopGracefully(server, 60_000, now.signal));
  now.abort();
  const { result, tookMs } = await stopping;
  expect(result).toEqual({ forced: true });
  expect(tookMs).toBeLessThan(2000);
  await client.closed;
});
