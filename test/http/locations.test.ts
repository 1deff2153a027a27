import { startTestApp, userBody, type TestApp } from '../support/test-app';

describe('resource locations', () => {
  let direct: TestApp;
  let proxied: TestApp;
  beforeAll(async () => {
    direct = await startTestApp();
    proxied = await startTestApp({ trustProxy: true });
  });
  afterAll(async () => {
    await direct.close();
    await proxied.close();
  });

  it('ignore X-Forwarded-* headers by default, so a client cannot choose the host', async () => {
    const created = await direct.post('/Users', userBody('loc.direct')).set('X-Forwarded-Proto', 'https').set('X-Forwarded-Host', 'evil.example');
    expect(created.headers.location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/Users\//);
    expect(created.body.meta.location).toBe(created.headers.location);
  });

  it('follow X-Forwarded-Proto and X-Forwarded-Host with TRUST_PROXY=true', async () => {
    const created = await proxied.post('/Users', userBody('loc.proxied')).set('X-Forwarded-Proto', 'https').set('X-Forwarded-Host', 'scim.example.com');
    expect(created.headers.location).toBe(`https://scim.example.com/scim/v2/Users/${created.body.id}`);
    expect(created.body.meta.location).toBe(created.headers.location);
  });
});
