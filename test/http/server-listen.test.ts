import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listen, listenError, listeningUrl, ListenError, type ServerOptions } from '../../src/http/server';
import { startTestApp, type TestApp } from '../support/test-app';

const options = (port: number, host = '127.0.0.1'): ServerOptions =>
  ({ port, host, requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5000 });

let t: TestApp;
const servers: Server[] = [];

beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  await t.close();
});

async function listening(opts: ServerOptions): Promise<Server> {
  const server = await listen(t.app, opts);
  servers.push(server);
  return server;
}

describe('listening', () => {
  it('PORT=0 listens on a free port, which the server reports', async () => {
    const server = await listening(options(0));
    const { port, address } = server.address() as AddressInfo;
    expect(port).toBeGreaterThan(0);
    expect(address).toBe('127.0.0.1');
    expect((await fetch(`${listeningUrl(server.address() as AddressInfo)}/healthz`)).status).toBe(200);
  });

  it('a port in use is refused with one line naming it', async () => {
    const { port } = (await listening(options(0))).address() as AddressInfo;
    const refusal = listen(t.app, options(port));
    await expect(refusal).rejects.toThrow(ListenError);
    await expect(refusal).rejects.toThrow(`port ${port} is in use`);
  });
});

describe('listen failures as one line', () => {
  it.each([
    ['EADDRINUSE', 'port 3000 is in use'],
    ['EACCES', 'port 3000 needs more privileges (EACCES): use a port above 1023 or grant CAP_NET_BIND_SERVICE'],
    ['EADDRNOTAVAIL', 'HOST=192.0.2.10 is not an address of this machine (EADDRNOTAVAIL)'],
    ['ENOTFOUND', 'HOST=192.0.2.10 cannot be resolved to an address (ENOTFOUND)'],
    ['EMFILE', 'cannot listen on 192.0.2.10 port 3000: too many open files'],
  ])('%s → %s', (code, line) => {
    const error = Object.assign(new Error('too many open files'), { code });
    expect(listenError(error, options(3000, '192.0.2.10')).message).toBe(line);
  });
});

describe('the URL the start-up line announces', () => {
  it.each([
    ['0.0.0.0', 'http://localhost:3000'],
    ['::', 'http://localhost:3000'],
    ['127.0.0.1', 'http://127.0.0.1:3000'],
    ['::1', 'http://[::1]:3000'],
    ['fd00::5', 'http://[fd00::5]:3000'],
  ])('bound to %s → %s', (address, url) => {
    expect(listeningUrl({ address, port: 3000, family: address.includes(':') ? 'IPv6' : 'IPv4' })).toBe(url);
  });
});
