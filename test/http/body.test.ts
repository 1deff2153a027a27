import request from 'supertest';
import { MAX_JSON_DEPTH } from '../../src/http/body';
import { nestsDeeperThan } from '../../src/http/json-depth';
import { BASE, ENTERPRISE_URN, expectScimError, patchBody, startTestApp, userBody, type TestApp } from '../support/test-app';

const BULK_REQUEST_URN = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

/** A value `levels` objects deep: {"a":{"a":…"x"…}}. */
const nested = (levels: number): object | string => {
  let value: object | string = 'x';
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};

describe('nestsDeeperThan: one pass over the bytes, no recursion', () => {
  it.each<[string, string, number, boolean]>([
    ['an empty object is one level', '{}', 1, false],
    ['an object in an array is two levels', '[{}]', 1, true],
    ['siblings do not add up', '[{},{},[],[]]', 2, false],
    ['arrays and objects count alike', '{"a":[{"b":[1]}]}', 3, true],
    ['brackets inside a string do not count', `{"a":"${'[{'.repeat(50)}"}`, 1, false],
    ['an escaped quote does not end the string', `{"a":"\\"[[[[[["}`, 1, false],
    ['an escaped backslash before the closing quote ends the string', '{"a":"\\\\","b":[[[]]]}', 3, true],
    ['a run of backslashes before a quote: odd escapes it', '{"a":"\\\\\\"[[[["}', 1, false],
    ['multi-byte characters are never mistaken for brackets', '{"é😀":"ß{["}', 1, false],
    ['thousands of levels are found without overflowing', '['.repeat(100_000) + ']'.repeat(100_000), 32, true],
  ])('%s', (_rule, text, max, deeper) => {
    expect(nestsDeeperThan(Buffer.from(text), max)).toBe(deeper);
  });
});

describe('request bodies nested too deeply', () => {
  let t: TestApp;
  let seq = 0;
  const uniqueName = () => `deep.${++seq}`;

  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => t.close());

  const countUsers = async () => (await t.get('/Users?count=0')).body.totalResults as number;
  const expectTooDeep = (res: request.Response) =>
    expect(expectScimError(res, 400, 'invalidSyntax').detail).toBe(`The request body is nested deeper than ${MAX_JSON_DEPTH} levels`);

  it.each<[string, (id: string) => request.Test]>([
    ['POST /Users with a deep extension value', () => t.post('/Users', userBody(uniqueName(), { [ENTERPRISE_URN]: { manager: nested(4000) } }))],
    ['PUT /Users with a deep attribute', (id) => t.put(`/Users/${id}`, userBody(uniqueName(), { nickName: nested(4000) }))],
    ['PATCH /Users with a deep value', (id) => t.patch(`/Users/${id}`, patchBody({ op: 'add', path: 'nickName', value: nested(4000) }))],
    ['POST /Groups with deep members', () => t.post('/Groups', { displayName: 'deep', members: [nested(4000)] })],
    ['POST /Users/.search with a deep body', () => t.post('/Users/.search', { filter: nested(4000) })],
  ])('refuses %s with 400 invalidSyntax before anything reads it', async (_case, send) => {
    const user = (await t.post('/Users', userBody(uniqueName()))).body as { id: string; meta: { version: string } };
    const before = await countUsers();
    expectTooDeep(await send(user.id));
    expect(await countUsers()).toBe(before);
    expect((await t.get(`/Users/${user.id}`)).body.meta.version).toBe(user.meta.version);
  });

  it('refuses a deep /Bulk body whole: no operation runs, not even those before the deep one', async () => {
    const first = uniqueName();
    const res = await t.post('/Bulk', {
      schemas: [BULK_REQUEST_URN],
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'ok', data: userBody(first) },
        { method: 'POST', path: '/Users', bulkId: 'deep', data: userBody(uniqueName(), { [ENTERPRISE_URN]: { manager: nested(4000) } }) },
      ],
    });
    expectTooDeep(res);
    expect((await t.get(`/Users?filter=${encodeURIComponent(`userName eq "${first}"`)}`)).body.totalResults).toBe(0);
  });

  it(`reads a body exactly ${MAX_JSON_DEPTH} levels deep, leaving its content to the schema`, async () => {
    // The body is level 1 and the extension object level 2: the value adds the rest.
    const atLimit = await t.post('/Users', userBody(uniqueName(), { [ENTERPRISE_URN]: { manager: nested(MAX_JSON_DEPTH - 2) } }));
    expect(atLimit.body.detail ?? '').not.toMatch(/nested deeper/);
    expectTooDeep(await t.post('/Users', userBody(uniqueName(), { [ENTERPRISE_URN]: { manager: nested(MAX_JSON_DEPTH - 1) } })));
  });

  it('does not count brackets inside strings', async () => {
    const res = await t.post('/Users', userBody(uniqueName(), { nickName: `${'[{'.repeat(100)}"\\` }));
    expect(res.status).toBe(201);
    expect(res.body.nickName).toBe(`${'[{'.repeat(100)}"\\`);
  });

  it('refuses a JSON body in a charset other than UTF-8 with 415 (RFC 8259 §8.1)', async () => {
    const res = await request(t.app).post(`${BASE}/Users`).set('Authorization', `Bearer ${t.token}`)
      .set('Content-Type', 'application/scim+json; charset=utf-16le').send(Buffer.from(JSON.stringify(userBody(uniqueName())), 'utf16le'));
    expect(expectScimError(res, 415).detail).toMatch(/UTF-8/);
  });
});
