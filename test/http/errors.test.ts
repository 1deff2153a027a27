import request from 'supertest';
import { BASE, ERROR_URN, expectScimError, startTestApp, userBody, type TestApp } from '../support/test-app';

describe('error responses', () => {
  let t: TestApp;
  const authed = (test: request.Test) => test.set('Authorization', `Bearer ${t.token}`);
  const rawPost = (path: string, contentType: string, body: string) =>
    authed(request(t.app).post(BASE + path)).set('Content-Type', contentType).send(body);

  beforeAll(async () => { t = await startTestApp({ maxBodyBytes: 2048 }); });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  describe('routing', () => {
    it.each([
      ['GET', '/Nope'],
      ['GET', '/Users/some-id/extra'],
      ['POST', '/Widgets'],
      ['GET', '/'],
    ])('answers %s %s (no such endpoint under the base path) with a SCIM 404', async (method, path) => {
      const test = method === 'GET' ? t.get(path) : t.post(path, {});
      const error = expectScimError(await test, 404);
      expect(error.scimType).toBeUndefined();
    });

    it('answers a path outside the base path with a SCIM 404 too', async () => {
      expectScimError(await authed(request(t.app).get('/not-scim')), 404);
    });

    it.each([
      ['DELETE', '/Users', 'GET, POST'],
      ['PUT', '/Users', 'GET, POST'],
      ['GET', '/Users/.search', 'POST'],
      ['POST', '/Users/some-id', 'GET, PUT, PATCH, DELETE'],
      ['DELETE', '/Groups', 'GET, POST'],
      ['POST', '/Groups/some-id', 'GET, PUT, PATCH, DELETE'],
      ['POST', '/ServiceProviderConfig', 'GET'],
      ['DELETE', '/Schemas', 'GET'],
      ['PUT', '/ResourceTypes/User', 'GET'],
      ['GET', '/.search', 'POST'],
    ])('answers %s %s with 405 and Allow: %s', async (method, path, allow) => {
      const res = await authed(request(t.app)[method.toLowerCase() as 'get'](BASE + path));
      expectScimError(res, 405);
      expect(res.headers.allow).toBe(allow);
    });

    it('answers a path parameter that is not valid percent-encoding with 400, not 500', async () => {
      const error = expectScimError(await t.get('/Users/%E0%A4%A'), 400);
      expect(error.detail).toMatch(/decode/i);
    });
  });

  describe('request bodies', () => {
    it('answers malformed JSON with 400 invalidSyntax', async () => {
      expectScimError(await rawPost('/Users', 'application/scim+json', '{"userName": "a",'), 400, 'invalidSyntax');
    });

    it.each([
      ['a JSON array', '[{"userName": "a"}]'],
      ['a JSON string', '"userName"'],
      ['a JSON number', '42'],
      ['JSON null', 'null'],
    ])('answers a body that is %s, not an object, with 400 invalidSyntax', async (_label, body) => {
      expectScimError(await rawPost('/Users', 'application/scim+json', body), 400, 'invalidSyntax');
    });

    it('answers a body larger than MAX_BODY_BYTES with 413', async () => {
      const body = JSON.stringify(userBody('big', { displayName: 'x'.repeat(4096) }));
      const error = expectScimError(await rawPost('/Users', 'application/scim+json', body), 413);
      expect(error.detail).toContain('2048');
      expect((await t.get(`/Users?filter=${encodeURIComponent('userName eq "big"')}`)).body.totalResults).toBe(0);
    });

    it('accepts a body just under MAX_BODY_BYTES', async () => {
      const body = JSON.stringify(userBody('just.under', { title: 'x'.repeat(1500) }));
      expect(Buffer.byteLength(body)).toBeLessThan(2048);
      expect((await rawPost('/Users', 'application/scim+json', body)).status).toBe(201);
    });

    it.each([
      ['text/plain', 'userName=a'],
      ['application/x-www-form-urlencoded', 'userName=a'],
      ['application/xml', '<user/>'],
    ])('answers a body sent as %s with 415', async (contentType, body) => {
      expectScimError(await rawPost('/Users', contentType, body), 415);
    });

    it('answers a JSON body in a charset it cannot read with 415', async () => {
      expectScimError(await rawPost('/Users', 'application/json; charset=ebcdic', '{}'), 415);
    });

    it('does not care about the Content-Type of a request without a body', async () => {
      const res = await t.get('/Users').set('Content-Type', 'text/plain');
      expect(res.status).toBe(200);
    });
  });

  describe('internal errors', () => {
    const SECRET_CAUSE = 'SQLITE_CORRUPT: database disk image is malformed at /var/lib/roster/roster.db';

    it('answers 500 with a SCIM body naming the request id and nothing of the cause', async () => {
      jest.spyOn(t.data.users, 'get').mockRejectedValue(new Error(SECRET_CAUSE));
      const res = await t.get('/Users/any-id');
      const error = expectScimError(res, 500);
      expect(error.scimType).toBeUndefined();
      const requestId = res.headers['x-request-id'];
      expect(requestId).toBeTruthy();
      expect(error.detail).toContain(requestId);
      expect(res.text).not.toMatch(/SQLITE|malformed|roster\.db|Error:|\bat \//);
    });

    it('uses the request id the client sent in X-Request-Id', async () => {
      jest.spyOn(t.data.users, 'get').mockImplementation(() => { throw new TypeError(SECRET_CAUSE); });
      const res = await t.get('/Users/any-id').set('X-Request-Id', 'client-chosen-id.42');
      expect(expectScimError(res, 500).detail).toContain('client-chosen-id.42');
      expect(res.text).not.toContain('SQLITE');
    });

    it('does not echo a client request id that is not a plain token', async () => {
      jest.spyOn(t.data.users, 'get').mockRejectedValue(new Error(SECRET_CAUSE));
      const res = await t.get('/Users/any-id').set('X-Request-Id', '<script>alert(1)</script>');
      const error = expectScimError(res, 500);
      expect(error.detail).not.toContain('<script>');
      expect(error.detail).toContain(res.headers['x-request-id']);
    });

    it('answers a failure while writing with 500 too, and the user is not half-created', async () => {
      jest.spyOn(t.data.users, 'create').mockRejectedValue(new Error(SECRET_CAUSE));
      expectScimError(await t.post('/Users', userBody('write.fails')), 500);
      jest.restoreAllMocks();
      expect((await t.get(`/Users?filter=${encodeURIComponent('userName eq "write.fails"')}`)).body.totalResults).toBe(0);
    });
  });

  it('/Bulk answers an empty BulkRequest with an empty BulkResponse', async () => {
    const res = await t.post('/Bulk', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: [] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkResponse'], Operations: [] });
  });

  it.each<[string, () => request.Test]>([
    ['unknown route', () => t.get('/Nope')],
    ['wrong method', () => t.delete('/Users')],
    ['malformed JSON', () => rawPost('/Users', 'application/json', '{')],
    ['oversized body', () => rawPost('/Users', 'application/json', JSON.stringify({ x: 'y'.repeat(5000) }))],
    ['wrong media type', () => rawPost('/Users', 'text/plain', 'hello')],
    ['missing token', () => request(t.app).get(`${BASE}/Users`)],
    ['bad filter', () => t.get('/Users?filter=userName%20eq')],
    ['unknown user', () => t.get('/Users/nobody')],
    ['bad If-Match', () => t.put('/Users/nobody', userBody('x')).set('If-Match', 'garbage')],
    ['bad percent-encoding', () => t.get('/Users/%ZZ')],
  ])('%s: the response is still an RFC 7644 error body (schemas, status as a string, detail)', async (_label, send) => {
    const res = await send();
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(res.body.schemas).toEqual([ERROR_URN]);
    expect(res.body.status).toBe(String(res.status));
    expect(typeof res.body.detail).toBe('string');
    expect(Object.keys(res.body).sort()).toEqual(expect.arrayContaining(['detail', 'schemas', 'status']));
    for (const key of Object.keys(res.body)) expect(['schemas', 'status', 'scimType', 'detail']).toContain(key);
  });
});
