import type { Server } from 'node:http';
import { listen } from '../../src/http/server';
import { openConnection, trickle, type RawConnection } from '../support/raw-connection';
import { startListening, type ListeningApp } from '../support/listening-app';
import { BASE, userBody, type TestApp } from '../support/test-app';

/**
 * Slow clients: each limit is set to 1 s here, so a client that trickles its request must be cut
 * off within a few seconds (Node's own defaults would keep it 60–300 s), while a client that sends
 * its request at once is served as usual.
 */
const LIMIT_MS = 1000;
const CUT_OFF_WITHIN_MS = 3500;
const GIVE_UP_MS = 4500;

let t: TestApp;
let server: Server;
let port: number;
let listening: ListeningApp;

beforeAll(async () => {
  listening = await startListening({ requestTimeoutMs: LIMIT_MS, headersTimeoutMs: LIMIT_MS, keepAliveTimeoutMs: LIMIT_MS });
  ({ t, server, port } = listening);
});

afterAll(() => listening.close());

type Outcome = Awaited<RawConnection['closed']>;

/** A client that sends `head`, then one byte of `drip` every 100 ms, until the server closes the connection. */
function slowClient(head: string, drip: string): Promise<Outcome> {
  const connection = openConnection(port, GIVE_UP_MS);
  connection.socket.write(head);
  if (drip) trickle(connection, drip);
  return connection.closed;
}

const bodyHead = (authorization: string) =>
  `POST ${BASE}/Users HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/scim+json\r\nContent-Length: 100000\r\n${authorization}\r\n`;

describe('a client that trickles its request is cut off', () => {
  // The four clients trickle at the same time: the specs below read their outcomes.
  let outcomes: Record<'withToken' | 'withoutToken' | 'headers' | 'idle', Outcome>;
  beforeAll(async () => {
    const [withToken, withoutToken, headers, idle] = await Promise.all([
      slowClient(bodyHead(`Authorization: Bearer ${t.token}\r\n`), ' '),
      slowClient(bodyHead(''), ' '),
      slowClient('GET /healthz HTTP/1.1\r\nHost: localhost\r\n', 'X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n'),
      slowClient('GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n', ''),
    ]);
    outcomes = { withToken, withoutToken, headers, idle };
  });

  it('a body trickled with a valid token: 408 Request Timeout with a SCIM error body, then the connection is closed', () => {
    expect(outcomes.withToken.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(outcomes.withToken.received).toMatch(/\r\n\r\n\{"schemas":\["urn:ietf:params:scim:api:messages:2\.0:Error"\],"status":"408"/);
    expect(outcomes.withToken.openForMs).toBeLessThan(CUT_OFF_WITHIN_MS);
  });

  it('a body trickled without a token: answered 401, and the connection is closed all the same', () => {
    expect(outcomes.withoutToken.received).toMatch(/^HTTP\/1\.1 401 /);
    expect(outcomes.withoutToken.openForMs).toBeLessThan(CUT_OFF_WITHIN_MS);
  });

  it('headers trickled one byte at a time: 408, then the connection is closed', () => {
    expect(outcomes.headers.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(outcomes.headers.openForMs).toBeLessThan(CUT_OFF_WITHIN_MS);
  });

  it('an idle keep-alive connection is closed after KEEP_ALIVE_TIMEOUT', () => {
    expect(outcomes.idle.received).toMatch(/^HTTP\/1\.1 200 /);
    expect(outcomes.idle.openForMs).toBeLessThan(CUT_OFF_WITHIN_MS);
  });
});

describe('a client that sends its request at once is unaffected', () => {
  const url = (path: string) => `http://127.0.0.1:${port}${BASE}${path}`;
  const headers = () => ({ Authorization: `Bearer ${t.token}`, 'Content-Type': 'application/scim+json' });

  it('creates and reads a user over keep-alive connections', async () => {
    const created = await fetch(url('/Users'), { method: 'POST', headers: headers(), body: JSON.stringify(userBody('prompt.client')) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const read = await fetch(url(`/Users/${id}`), { headers: headers() });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { userName: string }).userName).toBe('prompt.client');
  });
});

describe('the limits as set on the server', () => {
  it('holds HEADERS_TIMEOUT to REQUEST_TIMEOUT when set longer (the headers are part of the request)', async () => {
    const other = await listen(t.app, { port: 0, host: '127.0.0.1', requestTimeoutMs: 2000, headersTimeoutMs: 60_000, keepAliveTimeoutMs: 5000 });
    try {
      expect(other.requestTimeout).toBe(2000);
      expect(other.headersTimeout).toBe(2000);
      expect(other.keepAliveTimeout).toBe(5000);
    } finally {
      await new Promise((done) => other.close(done));
    }
  });
});
