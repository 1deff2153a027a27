import request from 'supertest';
import { accessToken, basic, createClient, startOAuthApp, tokenRequest, type OAuthApp } from './oauth-app';

const GRANT = { grant_type: 'client_credentials' };

/** Asserts an RFC 6749 §5.2 error response (never a SCIM error body, never cached) and returns its body. */
function expectOAuthError(res: request.Response, status: number, error: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers.pragma).toBe('no-cache');
  expect(Object.keys(res.body).sort()).toEqual(['error', 'error_description']);
  expect(res.body.error).toBe(error);
  expect(res.body.error_description).toMatch(/^[\x20\x21\x23-\x5b\x5d-\x7e]{20,}$/);
  return res.body as { error: string; error_description: string };
}

/**
 * POST /oauth/token (RFC 6749 §4.4): the client credentials grant, client authentication by
 * HTTP Basic or form fields, and every refusal in the shape OAuth clients read.
 */
describe('POST /oauth/token', () => {
  let o: OAuthApp;
  let entra: Awaited<ReturnType<typeof createClient>>;
  afterEach(() => o.close());

  describe('with the limits off', () => {
    beforeEach(async () => {
      o = await startOAuthApp();
      entra = await createClient(o.app, o.service.default);
    });

    it('answers a Basic-authenticated request with a Bearer token, its lifetime, and no-store', async () => {
      const res = await tokenRequest(o.app, GRANT, basic(entra.clientId, entra.clientSecret));
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers.pragma).toBe('no-cache');
      expect(res.body).toEqual({ access_token: expect.stringMatching(/^roster_at_[\w-]{43}$/), token_type: 'Bearer', expires_in: 3600 });
    });

    it('takes client_id and client_secret as form fields too', async () => {
      const res = await tokenRequest(o.app, { ...GRANT, client_id: entra.clientId, client_secret: entra.clientSecret });
      expect(res.status).toBe(200);
      expect((await request(o.app).get('/scim/v2/Users').set('Authorization', `Bearer ${res.body.access_token}`)).status).toBe(200);
    });

    it('issues tokens of OAUTH_TOKEN_TTL', async () => {
      await o.close();
      o = await startOAuthApp({ oauthTokenTtlMs: 6 * 3_600_000 });
      entra = await createClient(o.app, o.service.default);
      expect((await tokenRequest(o.app, GRANT, basic(entra.clientId, entra.clientSecret))).body.expires_in).toBe(21_600);
    });

    it('says which scope it granted when one was asked for', async () => {
      const res = await tokenRequest(o.app, { ...GRANT, scope: 'scim.write' }, basic(entra.clientId, entra.clientSecret));
      expect(res.body.scope).toBe('scim');
    });

    it('a token of the acme tenant\'s client works at acme\'s SCIM URL and is 401 at the default tenant\'s', async () => {
      const acme = await createClient(o.app, o.operator, '/admin/tenants/acme');
      const token = await accessToken(o.app, acme.clientId, acme.clientSecret);
      expect((await request(o.app).get('/scim/v2/tenants/acme/Users').set('Authorization', `Bearer ${token}`)).status).toBe(200);
      expect((await request(o.app).get('/scim/v2/Users').set('Authorization', `Bearer ${token}`)).status).toBe(401);
    });

    describe('refuses', () => {
      it.each<[string, () => Record<string, string>, () => string | undefined, number, string, RegExp]>([
        ['a wrong secret', () => GRANT, () => basic(entra.clientId, 'roster_cs_wrong'), 401, 'invalid_client', /not valid/],
        ['an unknown client id', () => GRANT, () => basic('no-such-client', entra.clientSecret), 401, 'invalid_client', /not valid/],
        ['no client authentication', () => GRANT, () => undefined, 401, 'invalid_client', /No client authentication/],
        ['a bearer token instead', () => GRANT, () => 'Bearer roster_x', 401, 'invalid_client', /does not take Bearer/],
        ['no grant_type', () => ({}), () => basic(entra.clientId, entra.clientSecret), 400, 'invalid_request', /grant_type is missing/],
        ['the password grant', () => ({ grant_type: 'password', username: 'a', password: 'b' }), () => basic(entra.clientId, entra.clientSecret), 400, 'unsupported_grant_type', /client_credentials only/],
        ['Basic and client_secret at once', () => ({ ...GRANT, client_secret: entra.clientSecret }), () => basic(entra.clientId, entra.clientSecret), 400, 'invalid_request', /one method only/],
      ])('%s', async (_case, form, authorization, status, error, description) => {
        const res = await tokenRequest(o.app, form(), authorization());
        expect(expectOAuthError(res, status, error).error_description).toMatch(description);
      });

      it('with a Basic challenge on every 401', async () => {
        const res = await tokenRequest(o.app, GRANT, basic(entra.clientId, 'roster_cs_wrong'));
        expect(res.headers['www-authenticate']).toBe('Basic realm="Roster", charset="UTF-8"');
      });

      it('a parameter sent twice', async () => {
        const res = await request(o.app).post('/oauth/token').type('form').set('Authorization', basic(entra.clientId, entra.clientSecret))
          .send('grant_type=client_credentials&grant_type=client_credentials');
        expect(expectOAuthError(res, 400, 'invalid_request').error_description).toMatch(/more than once/);
      });

      it('a JSON body, saying to send a form', async () => {
        const res = await request(o.app).post('/oauth/token').set('Authorization', basic(entra.clientId, entra.clientSecret)).send({ grant_type: 'client_credentials' });
        expect(expectOAuthError(res, 400, 'invalid_request').error_description).toMatch(/application\/x-www-form-urlencoded/);
      });

      it('a body over MAX_BODY_BYTES (413)', async () => {
        await o.close();
        o = await startOAuthApp({ maxBodyBytes: 1024 });
        const res = await tokenRequest(o.app, { ...GRANT, padding: 'x'.repeat(2000) });
        expect(expectOAuthError(res, 413, 'invalid_request').error_description).toMatch(/larger than the 1024 bytes/);
      });

      it('a charset other than UTF-8', async () => {
        const res = await request(o.app).post('/oauth/token').set('Content-Type', 'application/x-www-form-urlencoded; charset=latin1').send('grant_type=client_credentials');
        expectOAuthError(res, 400, 'invalid_request');
      });

      it('GET, with 405 and Allow: POST', async () => {
        const res = await request(o.app).get('/oauth/token');
        expectOAuthError(res, 405, 'invalid_request');
        expect(res.headers.allow).toBe('POST');
      });
    });

    it('is not behind bearer authentication: a bearer token is no client authentication', async () => {
      const res = await tokenRequest(o.app, GRANT, `Bearer ${o.service.default}`);
      expectOAuthError(res, 401, 'invalid_client');
    });
  });

  it('counts an access token\'s requests against its client (RATE_LIMIT_PER_TOKEN): a new token does not start afresh', async () => {
    o = await startOAuthApp({ rateLimitPerToken: 1 });
    entra = await createClient(o.app, o.service.default);
    const first = await accessToken(o.app, entra.clientId, entra.clientSecret);
    const second = await accessToken(o.app, entra.clientId, entra.clientSecret);
    const get = (bearer: string) => request(o.app).get('/scim/v2/Users').set('Authorization', `Bearer ${bearer}`).then((r) => r.status);
    // One a second with bursts of five, for the client: ten requests alternating between its two
    // tokens get five through (plus one per second the loop took), not five per token.
    const started = Date.now();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push(await get(i % 2 ? second : first));
    const passed = statuses.filter((s) => s === 200).length;
    expect(passed).toBeLessThanOrEqual(5 + Math.ceil((Date.now() - started) / 1000));
    expect(statuses).toContain(429);
    expect(await get(o.service.default)).toBe(200);
  });

  describe('failed client authentication counts against RATE_LIMIT_AUTH_FAILURES, as failed bearer tokens do', () => {
    const LIMIT = 3;
    beforeEach(async () => {
      o = await startOAuthApp({ rateLimitAuthFailures: LIMIT });
      entra = await createClient(o.app, o.service.default);
    });

    it('after 3 failures, the right credentials get 429 with Retry-After, and so do SCIM requests from that address', async () => {
      for (let i = 0; i < LIMIT; i++) expect((await tokenRequest(o.app, GRANT, basic(entra.clientId, 'roster_cs_wrong'))).status).toBe(401);
      const res = await tokenRequest(o.app, GRANT, basic(entra.clientId, entra.clientSecret));
      expect(expectOAuthError(res, 429, 'temporarily_unavailable').error_description).toMatch(/failed to authenticate 3 times within 60 seconds/);
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect((await request(o.app).get('/scim/v2/Users').set('Authorization', `Bearer ${o.service.default}`)).status).toBe(429);
    });

    it('failed bearer tokens and failed clients add up', async () => {
      for (let i = 0; i < LIMIT - 1; i++) expect((await request(o.app).get('/scim/v2/Users').set('Authorization', 'Bearer roster_nope')).status).toBe(401);
      expect((await tokenRequest(o.app, GRANT)).status).toBe(401);
      expect((await tokenRequest(o.app, GRANT, basic(entra.clientId, entra.clientSecret))).status).toBe(429);
    });

    it('does not count a malformed request (400) or a success', async () => {
      for (let i = 0; i < LIMIT * 2; i++) expect((await tokenRequest(o.app, {}, basic(entra.clientId, entra.clientSecret))).status).toBe(400);
      for (let i = 0; i < LIMIT * 2; i++) expect((await tokenRequest(o.app, GRANT, basic(entra.clientId, entra.clientSecret))).status).toBe(200);
    });
  });
});
