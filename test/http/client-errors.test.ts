import { openConnection } from '../support/raw-connection';
import { startListening, type ListeningApp } from '../support/listening-app';
import { BASE, ERROR_URN } from '../support/test-app';

/**
 * Requests Node itself refuses, before Roster's routes see them, still get an RFC 7644 §3.12
 * error body that says what to change, and the connection is closed.
 */
let port: number;
let listening: ListeningApp;

beforeAll(async () => {
  listening = await startListening();
  ({ port } = listening);
});

afterAll(() => listening.close());

async function send(raw: string) {
  const connection = openConnection(port);
  connection.socket.write(raw);
  const { received } = await connection.closed;
  const [head, body] = received.split('\r\n\r\n');
  return { head, body: JSON.parse(body) as { schemas: string[]; status: string; detail: string } };
}

describe('requests Node refuses before Roster sees them', () => {
  it.each([
    ['an over-long URL (a filter too long for a query string)', `GET ${BASE}/Users?filter=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431, /shorten the URL/],
    ['a request line that is not HTTP', 'HELLO THERE\r\n\r\n', 400, /not valid HTTP/],
    ['a malformed header', `GET ${BASE}/Users HTTP/1.1\r\nHost x\r\n\r\n`, 400, /not valid HTTP/],
  ])('answers %s with a SCIM error and closes the connection', async (_what, raw, status, detail) => {
    const { head, body } = await send(raw);
    expect(head).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(head).toMatch(/Content-Type: application\/scim\+json/);
    expect(head).toMatch(/Connection: close/);
    expect(body).toEqual({ schemas: [ERROR_URN], status: String(status), detail: expect.stringMatching(detail) });
  });
});
