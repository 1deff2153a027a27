import type request from 'supertest';
import { BASE, patchBody, startTestApp, userBody, GROUP_URN, type TestApp } from '../support/test-app';

describe('resource locations', () => {
  let direct: TestApp;
  let proxied: TestApp;
  beforeAll(async () => {
    direct = await startTestApp();
    proxied = await startTestApp({ trustProxy: 1 });
  });
  afterAll(async () => {
    await direct.close();
    await proxied.close();
  });

  it('ignore X-Forwarded-* headers by default, so a client cannot choose the host', async () => {
    const created = await direct.post('/Users', userBody('loc.direct')).set('X-Forwarded-Proto', 'https').set('X-Forwarded-Host', 'evil.example');
    expect(created.headers.location).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+${BASE}/Users/`));
    expect(created.body.meta.location).toBe(created.headers.location);
  });

  it('without PUBLIC_URL, come from the Host header, which the client chooses (so production sets PUBLIC_URL)', async () => {
    const created = await direct.post('/Users', userBody('loc.host')).set('Host', 'evil.example');
    expect(created.headers.location).toBe(`http://evil.example${BASE}/Users/${created.body.id}`);
  });

  it('follow X-Forwarded-Proto and X-Forwarded-Host with TRUST_PROXY=true', async () => {
    const created = await proxied.post('/Users', userBody('loc.proxied')).set('X-Forwarded-Proto', 'https').set('X-Forwarded-Host', 'scim.example.com');
    expect(created.headers.location).toBe(`https://scim.example.com${BASE}/Users/${created.body.id}`);
    expect(created.body.meta.location).toBe(created.headers.location);
  });
});

describe('PUBLIC_URL', () => {
  const PUBLIC_URL = 'https://scim.example.com/tenant-a';
  const FORGED = { Host: 'evil.example', 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'ftp' };

  /** Every URL Roster wrote in a response: the Location header and each `location` and `$ref` in the body. */
  const writtenUrls = (res: request.Response): string[] => {
    const urls: string[] = res.headers.location ? [res.headers.location] : [];
    const walk = (value: unknown, key?: string) => {
      if (typeof value === 'string' && (key === 'location' || key === '$ref')) urls.push(value);
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, Array.isArray(value) ? key : k);
    };
    walk(res.body);
    return urls;
  };

  it.each([
    ['TRUST_PROXY=false', 0],
    ['TRUST_PROXY=true', 1],
  ])('with %s, is where every written URL starts: no Host or X-Forwarded-* header reaches one', async (_label, trustProxy) => {
    const t = await startTestApp({ publicUrl: PUBLIC_URL, trustProxy });
    try {
      const user = await t.post('/Users', userBody('public.url')).set(FORGED);
      const group = await t.post('/Groups', { schemas: [GROUP_URN], displayName: 'public', members: [{ value: user.body.id }] }).set(FORGED);
      const responses = [
        user,
        group,
        await t.get(`/Users/${user.body.id}`).set(FORGED),
        await t.put(`/Users/${user.body.id}`, userBody('public.url')).set(FORGED),
        await t.patch(`/Groups/${group.body.id}`, patchBody({ op: 'replace', path: 'displayName', value: 'public 2' })).set(FORGED),
        await t.get('/Users').set(FORGED),
        await t.get('/Groups').set(FORGED),
        await t.post('/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'] }).set(FORGED),
        await t.get('/Schemas').set(FORGED),
        await t.get('/Schemas/urn:ietf:params:scim:schemas:core:2.0:User').set(FORGED),
        await t.get('/ResourceTypes').set(FORGED),
        await t.get('/ResourceTypes/User').set(FORGED),
        await t.get('/ServiceProviderConfig').set(FORGED),
        await t.post('/Bulk', {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
          Operations: [{ method: 'POST', path: '/Users', bulkId: 'b1', data: userBody('public.bulk') }],
        }).set(FORGED),
      ];
      expect(responses.map((r) => r.status)).toEqual([201, 201, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]);
      const urls = responses.flatMap(writtenUrls);
      // Locations of both resources and the bulk-created one, members' and groups' $ref, discovery's meta.location.
      expect(urls.length).toBeGreaterThan(20);
      for (const url of urls) expect(url).toMatch(new RegExp(`^https://scim\\.example\\.com/tenant-a${BASE}/[A-Za-z]`));
      expect(urls).toContain(`${PUBLIC_URL}${BASE}/Users/${user.body.id}`);
      expect(urls).toContain(`${PUBLIC_URL}${BASE}/Groups/${group.body.id}`);
      for (const res of responses) expect(JSON.stringify(res.headers) + res.text).not.toMatch(/evil|ftp:/);
    } finally {
      await t.close();
    }
  });
});
