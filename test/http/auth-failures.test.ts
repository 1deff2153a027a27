import request from 'supertest';
import { Tokens } from '../../src/app/tokens';
import { BASE, expectScimError, startTestApp, type TestApp } from '../support/test-app';

/** RATE_LIMIT_AUTH_FAILURES=3: three failed authentications per minute per client address. */
const LIMIT = 3;
const BAD = 'Bearer roster_never-issued-0123456789';

describe('failed-authentication limit per client address (RATE_LIMIT_AUTH_FAILURES)', () => {
  let t: TestApp;
  afterEach(() => t.close());

  const get = (authorization?: string, forwardedFor?: string) => {
    let test = request(t.app).get(`${BASE}/Users`);
    if (authorization) test = test.set('Authorization', authorization);
    return forwardedFor ? test.set('X-Forwarded-For', forwardedFor) : test;
  };
  const failTimes = async (count: number, forwardedFor?: string) => {
    for (let i = 0; i < count; i++) expect((await get(BAD, forwardedFor)).status).toBe(401);
  };

  describe('with the limit at 3', () => {
    beforeEach(async () => { t = await startTestApp({ rateLimitAuthFailures: LIMIT }); });

    it('answers the failures up to the limit with 401, then every request with 429, Retry-After and a SCIM error', async () => {
      await failTimes(LIMIT);
      for (const authorization of [BAD, undefined, `Bearer ${t.token}`]) {
        const res = await get(authorization);
        const error = expectScimError(res, 429);
        expect(error).not.toHaveProperty('scimType');
        expect(error.detail).toMatch(/failed to authenticate 3 times within 60 seconds/);
        expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
        expect(res.headers).not.toHaveProperty('www-authenticate');
      }
    });

    it('counts a request without any token as a failure', async () => {
      for (let i = 0; i < LIMIT; i++) expect((await get()).status).toBe(401);
      expectScimError(await get(), 429);
    });

    it('refuses a blocked address before looking its token up (the token is not even marked used)', async () => {
      const tokens = new Tokens(t.data.tokens);
      const { token, secret } = await tokens.create('fresh');
      await failTimes(LIMIT);
      expectScimError(await get(`Bearer ${secret}`), 429);
      expect((await tokens.get(token.id))?.lastUsed).toBeUndefined();
    });

    it('counts only failures, and a success neither is blocked under the limit nor resets the count', async () => {
      await failTimes(LIMIT - 1);
      for (let i = 0; i < 10; i++) expect((await get(`Bearer ${t.token}`)).status).toBe(200);
      await failTimes(1);
      expectScimError(await get(`Bearer ${t.token}`), 429);
    });

    it('without TRUST_PROXY, X-Forwarded-For does not choose the address, so it cannot dodge the limit', async () => {
      for (let i = 0; i < LIMIT; i++) expect((await get(BAD, `198.51.100.${i}`)).status).toBe(401);
      expectScimError(await get(BAD, '198.51.100.99'), 429);
    });
  });

  it('with TRUST_PROXY, counts each client address (X-Forwarded-For) on its own', async () => {
    t = await startTestApp({ rateLimitAuthFailures: LIMIT, trustProxy: 1 });
    await failTimes(LIMIT, '203.0.113.7');
    expectScimError(await get(`Bearer ${t.token}`, '203.0.113.7'), 429);
    expect((await get(BAD, '203.0.113.8')).status).toBe(401);
    expect((await get(`Bearer ${t.token}`, '203.0.113.8')).status).toBe(200);
  });

  it('with TRUST_PROXY=1, takes the address the proxy appended: a client cannot dodge the limit by writing its own X-Forwarded-For', async () => {
    t = await startTestApp({ rateLimitAuthFailures: LIMIT, trustProxy: 1 });
    // The client sends "X-Forwarded-For: <forged>"; its proxy appends the address it really saw.
    for (let i = 0; i < LIMIT; i++) expect((await get(BAD, `192.0.2.${i}, 203.0.113.9`)).status).toBe(401);
    expectScimError(await get(`Bearer ${t.token}`, '192.0.2.200, 203.0.113.9'), 429);
  });

  it('is off when RATE_LIMIT_AUTH_FAILURES is off', async () => {
    t = await startTestApp({ rateLimitAuthFailures: undefined });
    await failTimes(LIMIT * 10);
    expect((await get(`Bearer ${t.token}`)).status).toBe(200);
  });
});
