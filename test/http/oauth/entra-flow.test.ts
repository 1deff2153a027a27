import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listen } from '../../../src/http/server';
import { startOAuthApp, type OAuthApp } from './oauth-app';

const HOUR = 3_600_000;

/** The JSON bodies this flow reads (only the fields it uses). */
interface Body {
  clientId: string;
  clientSecret: string;
  tokenUrl: string;
  scimUrl: string;
  secret: { id: string };
  secrets: { state: string }[];
  access_token: string;
}

/**
 * What Microsoft Entra ID does with an OAuth 2.0 client credentials gallery app, end to end over
 * a listening server and a SQLite file, with the server's clock moved by the spec: the admin
 * registers a client, Entra gets a token at the token endpoint with HTTP Basic, provisions with
 * it, gets a new one when it expires, and the admin rotates the secret with two active at once.
 */
describe('an Entra ID client credentials flow', () => {
  let o: OAuthApp;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    o = await startOAuthApp();
    server = await listen(o.app, { port: 0, host: '127.0.0.1', requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000 });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
    await o.close();
  });

  const admin = async (method: string, path: string, body?: object) => {
    const res = await fetch(`${url}${path}`, {
      method, headers: { Authorization: `Bearer ${o.service.default}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body),
    });
    return { status: res.status, body: (res.status === 204 ? {} : await res.json()) as Body };
  };
  /** Entra's token request: form body, client id and secret in HTTP Basic (RFC 6749 §2.3.1). */
  const token = async (tokenUrl: string, clientId: string, secret: string) => {
    const credentials = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64');
    const res = await fetch(tokenUrl, {
      method: 'POST',
      headers: { Authorization: `Basic ${credentials}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    return { status: res.status, body: (await res.json()) as Body };
  };
  const users = (scimUrl: string, accessToken: string) =>
    fetch(`${scimUrl}/Users?filter=${encodeURIComponent('userName eq "nobody"')}`, { headers: { Authorization: `Bearer ${accessToken}` } }).then((r) => r.status);

  it('token, SCIM call, expiry, rotation with two active secrets, revocation of the first', async () => {
    // The admin registers Entra and pastes tokenUrl, scimUrl, clientId and clientSecret into Entra.
    const created = await admin('POST', '/admin/clients', { name: 'entra' });
    expect(created.status).toBe(201);
    const { clientId, clientSecret, tokenUrl, scimUrl, secret: first } = created.body;
    expect(tokenUrl).toBe(`${url}/oauth/token`);
    expect(scimUrl).toBe(`${url}/scim/v2`);

    // "Test connection": a token, then a SCIM call with it.
    const issued = await token(tokenUrl, clientId, clientSecret);
    expect(issued).toEqual({ status: 200, body: { access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 } });
    expect(await users(scimUrl, issued.body.access_token)).toBe(200);

    // An hour later the token has expired: 401, and Entra asks for a new one.
    o.clock.advance(HOUR);
    expect(await users(scimUrl, issued.body.access_token)).toBe(401);
    const renewed = await token(tokenUrl, clientId, clientSecret);
    expect(await users(scimUrl, renewed.body.access_token)).toBe(200);

    // Rotation: a second secret; both get tokens and both tokens work.
    const added = await admin('POST', `/admin/clients/${clientId}/secrets`, {});
    expect(added.status).toBe(201);
    const second = await token(tokenUrl, clientId, added.body.clientSecret);
    expect(await users(scimUrl, second.body.access_token)).toBe(200);
    const stillFirst = await token(tokenUrl, clientId, clientSecret);
    expect(await users(scimUrl, stillFirst.body.access_token)).toBe(200);
    expect((await admin('GET', `/admin/clients/${clientId}`)).body.secrets.map((s) => s.state)).toEqual(['active', 'active']);

    // Once Entra holds the new secret, the first is revoked: its tokens stop at once, the second's do not.
    expect((await admin('DELETE', `/admin/clients/${clientId}/secrets/${first.id}`)).status).toBe(204);
    expect(await users(scimUrl, renewed.body.access_token)).toBe(401);
    expect(await users(scimUrl, stillFirst.body.access_token)).toBe(401);
    expect((await token(tokenUrl, clientId, clientSecret)).status).toBe(401);
    expect(await users(scimUrl, second.body.access_token)).toBe(200);
    expect((await token(tokenUrl, clientId, added.body.clientSecret)).status).toBe(200);
  });
});
