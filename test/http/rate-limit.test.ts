import request from 'supertest';
import { Tokens } from '../../src/app/tokens';
import { ADMIN_USERS, BASE, expectScimError, startTestApp, type TestApp } from '../support/test-app';

/** RATE_LIMIT_PER_TOKEN=2: 2 requests per second, bursts of 10. */
const PER_SECOND = 2;
const BURST = 5 * PER_SECOND;

describe('per-token rate limit (RATE_LIMIT_PER_TOKEN)', () => {
  let t: TestApp;
  beforeEach(async () => { t = await startTestApp({ rateLimitPerToken: PER_SECOND }); });
  afterEach(() => t.close());

  const getAs = (secret: string) => request(t.app).get(`${BASE}/ServiceProviderConfig`).set('Authorization', `Bearer ${secret}`);
  const burst = (count: number, secret = t.token) => Promise.all(Array.from({ length: count }, () => getAs(secret)));
  const statuses = (responses: request.Response[]) => responses.map((r) => r.status).sort();

  it('serves a burst of 5 × the rate, then answers 429 with Retry-After and a SCIM error naming the limit', async () => {
    const responses = await burst(BURST + 2);
    expect(statuses(responses)).toEqual([...Array(BURST).fill(200), 429, 429]);
    const refused = responses.find((r) => r.status === 429)!;
    const error = expectScimError(refused, 429);
    // RFC 7644 has no scimType for 429.
    expect(error).not.toHaveProperty('scimType');
    expect(error.detail).toMatch(/2 requests per second, in bursts of up to 10/);
    expect(refused.headers['retry-after']).toBe('1');
  });

  it('counts each token on its own: another token is served while one is limited', async () => {
    await burst(BURST + 1);
    const { secret } = await new Tokens(t.data.tokens).create('second');
    expect((await getAs(secret)).status).toBe(200);
    expect((await getAs(t.token)).status).toBe(429);
  });

  it('serves the token again once Retry-After has passed', async () => {
    const refused = (await burst(BURST + 1)).find((r) => r.status === 429)!;
    await new Promise((resolve) => setTimeout(resolve, Number(refused.headers['retry-after']) * 1000 + 50));
    expect((await getAs(t.token)).status).toBe(200);
  });

  it('refuses a limited token before reading its body: malformed JSON gets 429, not 400', async () => {
    await burst(BURST + 1);
    const res = await t.post('/Users').set('Content-Type', 'application/scim+json').send('{"userName": ');
    expectScimError(res, 429);
  });

  it('also limits the admin API, with the same counter', async () => {
    await burst(BURST);
    expectScimError(await request(t.app).get(`${ADMIN_USERS}/restore`).set('Authorization', `Bearer ${t.token}`), 429);
  });

  it('is off when RATE_LIMIT_PER_TOKEN is off', async () => {
    const unlimited = await startTestApp({ rateLimitPerToken: undefined });
    try {
      const responses = await Promise.all(Array.from({ length: BURST * 3 }, () => unlimited.get('/ServiceProviderConfig')));
      expect(new Set(statuses(responses))).toEqual(new Set([200]));
    } finally {
      await unlimited.close();
    }
  });
});
