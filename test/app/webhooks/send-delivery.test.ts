import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type RequestListener, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { sendDelivery, type DeliveryOptions } from '../../../src/app/webhooks/send-delivery';
import type { ChangeEvent, DeliveryAttempt } from '../../../src/store/events-port';

/**
 * One delivery attempt against real receivers on 127.0.0.1 (reachable only with allowPrivate).
 * Whatever happens, sendDelivery answers with an attempt: a 2xx is the only success; every
 * failure carries a sentence, and no attempt ever contains the secret.
 */
const SECRET = 'whsec_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';
const NOW = new Date('2030-01-02T03:04:05.678Z');
const OPTIONS: DeliveryOptions = { timeoutMs: 2_000, allowPrivate: true, now: () => NOW };

const event: ChangeEvent = {
  id: 42,
  type: 'user.deactivated',
  tenant: 'default',
  occurredAt: '2030-01-02T03:04:05.000Z',
  actor: { kind: 'service', tokenId: 't1', tokenName: 'okta' },
  requestId: 'req-1',
  resource: { type: 'User', id: 'u1', userName: 'zoë@example.com' },
  changes: [{ path: 'active', before: true, after: false }],
};

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly url: string;
}

/** A receiver that records each request and each TCP connection, and answers with `answer`. */
class Receiver {
  readonly requests: Received[] = [];
  connections = 0;
  private readonly server: Server;

  constructor(answer: RequestListener) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), url: req.url ?? '' });
        answer(req, res);
      });
    });
    this.server.on('connection', () => this.connections++);
  }

  async start(): Promise<this> {
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(scheme = 'http', host = '127.0.0.1', path = '/hooks/roster'): string {
    return `${scheme}://${host}:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((done) => this.server.close(done));
  }
}

const receivers: Receiver[] = [];
const receiver = (answer: RequestListener) => {
  const started = new Receiver(answer).start();
  void started.then((r) => receivers.push(r));
  return started;
};
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

/** Sends, and checks what every attempt must satisfy: its time, and no secret anywhere in it. */
async function send(url: string, options: Partial<DeliveryOptions> = {}): Promise<DeliveryAttempt> {
  const attempt = await sendDelivery({ url, secret: SECRET }, event, { ...OPTIONS, ...options });
  expect(attempt.at).toBe(NOW.toISOString());
  expect(attempt.durationMs).toBeGreaterThanOrEqual(0);
  expect(JSON.stringify(attempt)).not.toContain(SECRET);
  if (attempt.error !== undefined) expect(attempt.error).toMatch(/^[A-Z0-9].{15,}\.$/);
  return attempt;
}

describe('a receiver that answers 2xx', () => {
  it('has the event delivered: the attempt has the status and no error', async () => {
    const r = await receiver((_req, res) => res.writeHead(204).end());
    const attempt = await send(r.url());
    expect(attempt).toEqual({ at: NOW.toISOString(), statusCode: 204, durationMs: attempt.durationMs });
    expect(r.requests).toHaveLength(1);
  });

  it('receives a POST of the event JSON with the documented headers', async () => {
    const r = await receiver((_req, res) => res.writeHead(200).end('ok'));
    await send(r.url('http', '127.0.0.1', '/hooks/roster?source=roster'));
    const [{ headers, body, url }] = r.requests;
    expect(url).toBe('/hooks/roster?source=roster');
    expect(body).toBe(JSON.stringify(event));
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'user-agent': 'Roster-Webhooks/1',
      'roster-event-id': '42',
      'roster-event-type': 'user.deactivated',
    });
    expect(headers['roster-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  });

  it('signs the exact bytes it sends, at the attempt time: the receiver can verify', async () => {
    const r = await receiver((_req, res) => res.writeHead(200).end());
    await send(r.url());
    const [{ headers, body }] = r.requests;
    const { t, v1 } = Object.fromEntries(String(headers['roster-signature']).split(',').map((part) => part.split('=')));
    expect(Number(t)).toBe(Math.floor(NOW.getTime() / 1000));
    expect(v1).toBe(createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex'));
  });

  it('counts as delivered even when the body of the answer stalls past the timeout', async () => {
    const r = await receiver((_req, res) => {
      res.writeHead(200, { 'Content-Length': '1000' });
      res.write('partial');
    });
    expect(await send(r.url(), { timeoutMs: 300 })).toMatchObject({ statusCode: 200 });
  });

  it('reads at most 64 KiB of the answer and does not wait for the rest', async () => {
    const r = await receiver((_req, res) => {
      res.writeHead(200);
      res.write(Buffer.alloc(200 * 1024, 'x'));
    });
    const attempt = await send(r.url(), { timeoutMs: 5_000 });
    expect(attempt).toEqual({ at: NOW.toISOString(), statusCode: 200, durationMs: attempt.durationMs });
    expect(attempt.durationMs).toBeLessThan(5_000);
  });
});

describe('failed attempts', () => {
  it('any status other than 2xx fails, naming the status', async () => {
    const r = await receiver((_req, res) => res.writeHead(500).end('boom'));
    expect(await send(r.url())).toMatchObject({ statusCode: 500, error: 'The receiver answered with HTTP status 500.' });
  });

  it('a 4xx fails alike', async () => {
    const r = await receiver((_req, res) => res.writeHead(410).end());
    expect(await send(r.url())).toMatchObject({ statusCode: 410, error: 'The receiver answered with HTTP status 410.' });
  });

  it('a redirect fails and is not followed', async () => {
    const r = await receiver((req, res) => (req.url === '/moved' ? res.writeHead(200).end() : res.writeHead(302, { Location: '/moved' }).end()));
    const attempt = await send(r.url());
    expect(attempt.statusCode).toBe(302);
    expect(attempt.error).toMatch(/redirect to \/moved, which was not followed/);
    expect(r.requests.map((q) => q.url)).toEqual(['/hooks/roster']);
  });

  it('a receiver that does not answer within the timeout fails after about the timeout', async () => {
    const r = await receiver(() => undefined);
    const attempt = await send(r.url(), { timeoutMs: 300 });
    expect(attempt.statusCode).toBeUndefined();
    expect(attempt.error).toBe(`No answer from 127.0.0.1:${r.port} within 300 ms.`);
    expect(attempt.durationMs).toBeGreaterThanOrEqual(280);
    expect(attempt.durationMs).toBeLessThan(2_000);
  });

  it('a refused connection fails with a sentence', async () => {
    const r = await receiver((_req, res) => res.end());
    const closedUrl = r.url();
    await r.stop();
    receivers.splice(receivers.indexOf(r), 1);
    const attempt = await send(closedUrl);
    expect(attempt).toMatchObject({ error: `The connection to ${new URL(closedUrl).host} was refused.` });
    expect(attempt.statusCode).toBeUndefined();
  });

  it('a connection closed before any answer fails with a sentence', async () => {
    const r = await receiver((req) => req.socket.destroy());
    expect(await send(r.url())).toMatchObject({ error: `The connection to 127.0.0.1:${r.port} was closed before an answer came.` });
  });

  it('https to a server that does not speak TLS fails with a sentence', async () => {
    const r = await receiver((_req, res) => res.end());
    const attempt = await send(r.url('https'));
    expect(attempt.statusCode).toBeUndefined();
    expect(attempt.error).toMatch(new RegExp(`^The TLS connection to 127\\.0\\.0\\.1:${r.port} failed`));
  });

  it('a receiver whose certificate cannot be verified fails: certificates are always checked', async () => {
    let requests = 0;
    const server = createTlsServer({ key: SELF_SIGNED_KEY, cert: SELF_SIGNED_CERT }, (_req, res) => {
      requests++;
      res.end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const { port } = server.address() as AddressInfo;
      const attempt = await send(`https://127.0.0.1:${port}/hooks`);
      expect(attempt.error).toBe(`The TLS connection to 127.0.0.1:${port} failed: self-signed certificate.`);
      expect(requests).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
  });

  it.each([
    ['not a url', 'The webhook URL is not a valid URL.'],
    ['ftp://files.example.com/drop', 'The webhook URL must use https (ftp: is not allowed).'],
    ['https://user:pw@hooks.example.com/', 'The webhook URL contains a user name or password, which Roster does not send.'],
  ])('a URL that cannot be delivered to (%s) fails without throwing', async (url, error) => {
    expect(await send(url)).toMatchObject({ error });
  });
});

describe('address safety at delivery (allowPrivate false)', () => {
  const guarded = { allowPrivate: false };

  it.each([
    ['an IP literal', '127.0.0.1', 'Refused to connect to 127.0.0.1: it is a loopback address'],
    ['an IPv4-mapped IPv6 literal', '[::ffff:127.0.0.1]', 'Refused to connect to ::ffff:7f00:1: it is a loopback address'],
    ['a name that resolves to loopback', 'localhost', 'Refused to connect to localhost at 127.0.0.1: it is a loopback address'],
  ])('refuses %s before connecting: the receiver sees no connection', async (_what, host, message) => {
    const r = await receiver((_req, res) => res.end());
    const attempt = await send(r.url('https', host), guarded);
    expect(attempt.error).toBe(`${message}, and webhooks may only reach public addresses (unless WEBHOOK_ALLOW_PRIVATE=true).`);
    expect(attempt.statusCode).toBeUndefined();
    expect(r.connections).toBe(0);
  });

  it('refuses plain http unless private addresses are allowed', async () => {
    const r = await receiver((_req, res) => res.end());
    expect(await send(r.url('http'), guarded)).toMatchObject({ error: 'The webhook URL must use https (http: is not allowed).' });
    expect(r.connections).toBe(0);
  });

  it('with allowPrivate, reaches a name that resolves to loopback', async () => {
    const r = await receiver((_req, res) => res.writeHead(200).end());
    expect(await send(r.url('http', 'localhost'))).toMatchObject({ statusCode: 200 });
    expect(r.connections).toBe(1);
  });
});

/** A self-signed certificate for 127.0.0.1 and localhost (openssl req -x509 -newkey ec, valid until 2126): trusted by nobody. */
const SELF_SIGNED_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgGgg9rQyTf/4aUQMf
6/i37hrV8/lwqb/8Z5e8HsHxLWehRANCAATeZoLSHgye1DIHTLCPBnnVgxkd5SfJ
KR2z7jfwuKKjRLxyHMI4CMM5HuNYxT4Sev65xVpOaK0TvRdfAmsTVk9E
-----END PRIVATE KEY-----`;
const SELF_SIGNED_CERT = `-----BEGIN CERTIFICATE-----
MIIBmzCCAUGgAwIBAgIUFWqNo8E+pk2wKBsILp4StnJafFAwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyNDAwMjgwNFoYDzIxMjYxMDMx
MDAyODA0WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAATeZoLSHgye1DIHTLCPBnnVgxkd5SfJKR2z7jfwuKKjRLxyHMI4CMM5
HuNYxT4Sev65xVpOaK0TvRdfAmsTVk9Eo28wbTAdBgNVHQ4EFgQUOLLWjYynBE8K
HGe+7KUYsCiMpZowHwYDVR0jBBgwFoAUOLLWjYynBE8KHGe+7KUYsCiMpZowDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwCgYIKoZI
zj0EAwIDSAAwRQIhAKwPjgywLkf75OhZwTNKAPcgXHRCNnvE8yBMtTbYj+snAiBt
SRq/tL29zCPoL4+NOUXIw4iFHhHf5oCrol4hs70nAA==
-----END CERTIFICATE-----`;
