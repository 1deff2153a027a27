import { ScimError } from '../../../src/scim/errors';
import { BULK_REQUEST_URN, checkPayloadSize, isInvalid, parseBulkRequest, type InvalidOperation, type ParsedOperation } from '../../../src/scim/bulk/bulk-request';

const ENDPOINTS = ['/Users', '/Groups'];
const LIMITS = { maxOperations: 5, maxPayloadSize: 1000 };
const bulk = (...operations: unknown[]) => ({ schemas: [BULK_REQUEST_URN], Operations: operations });
const parse = (body: unknown) => parseBulkRequest(body, ENDPOINTS, LIMITS);
const one = (operation: unknown): ParsedOperation => parse(bulk(operation)).operations[0];
const thrown = (fn: () => unknown): ScimError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError');
};
const invalid = (operation: unknown): InvalidOperation => {
  const parsed = one(operation);
  if (!isInvalid(parsed)) throw new Error(`expected an invalid operation, got ${JSON.stringify(parsed)}`);
  return parsed;
};

describe('parseBulkRequest: the request as a whole', () => {
  it.each([
    ['not an object', []],
    ['no schemas', { Operations: [] }],
    ['another message schema', { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [] }],
    ['no Operations', { schemas: [BULK_REQUEST_URN] }],
    ['Operations not an array', { schemas: [BULK_REQUEST_URN], Operations: { method: 'POST' } }],
  ])('refuses %s with 400 invalidSyntax', (_label, body) => {
    const error = thrown(() => parse(body));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe('invalidSyntax');
  });

  it('reads the URN and the attribute names in any case (RFC 7643 §2.1)', () => {
    const request = parse({ schemas: [BULK_REQUEST_URN.toUpperCase()], operations: [{ method: 'delete', path: '/users/42' }], FAILONERRORS: 2 });
    expect(request.failOnErrors).toBe(2);
    expect(request.operations).toEqual([{ index: 0, method: 'DELETE', endpoint: '/Users', id: '42', version: undefined }]);
  });

  it('accepts as many operations as maxOperations, and refuses one more with 413 naming the limit (§3.7.4)', () => {
    const del = { method: 'DELETE', path: '/Users/1' };
    expect(parse(bulk(...Array(5).fill(del))).operations).toHaveLength(5);
    const error = thrown(() => parse(bulk(...Array(6).fill(del))));
    expect(error.status).toBe(413);
    expect(error.scimType).toBeUndefined();
    expect(error.detail).toContain('maxOperations of 5 ');
    expect(error.detail).toContain('6 operations');
  });

  it('checks the payload size against maxPayloadSize with 413 naming the limit (§3.7.4)', () => {
    expect(() => checkPayloadSize(1000, LIMITS)).not.toThrow();
    const error = thrown(() => checkPayloadSize(1001, LIMITS));
    expect(error.status).toBe(413);
    expect(error.detail).toContain('maxPayloadSize of 1000 bytes');
  });

  it.each([[0], [-1], [1.5], ['1'], [true]])('refuses failOnErrors %j with 400 invalidValue', (value) => {
    const error = thrown(() => parse({ ...bulk(), failOnErrors: value }));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe('invalidValue');
  });

  it('treats an absent or null failOnErrors as "process everything"', () => {
    expect(parse(bulk()).failOnErrors).toBeUndefined();
    expect(parse({ ...bulk(), failOnErrors: null }).failOnErrors).toBeUndefined();
  });
});

describe('parseBulkRequest: each operation', () => {
  it('reads the four methods with their paths, bulkIds, versions and data', () => {
    const data = { userName: 'a' };
    const request = parse(bulk(
      { method: 'POST', path: '/Users', bulkId: 'q1', data },
      { method: 'PUT', path: '/Users/bulkId:q1', version: 'W/"3"', data },
      { method: 'PATCH', path: 'Groups/g-1/', version: '"7"', data },
      { method: 'DELETE', path: '/Users/u%2F1', version: '*', bulkId: 'd' },
    ));
    expect(request.operations).toEqual([
      { index: 0, method: 'POST', endpoint: '/Users', bulkId: 'q1', data },
      { index: 1, method: 'PUT', endpoint: '/Users', id: 'bulkId:q1', version: 3, data },
      { index: 2, method: 'PATCH', endpoint: '/Groups', id: 'g-1', version: 7, data },
      { index: 3, method: 'DELETE', endpoint: '/Users', id: 'u/1', version: undefined, bulkId: 'd' },
    ]);
    expect([...request.declared]).toEqual([['q1', 0]]);
  });

  it.each([
    ['an unknown method', { method: 'GET', path: '/Users/1' }, 'invalidSyntax'],
    ['no method', { path: '/Users/1' }, 'invalidSyntax'],
    ['not an object', 'DELETE /Users/1', 'invalidSyntax'],
    ['a POST without bulkId', { method: 'POST', path: '/Users', data: {} }, 'invalidSyntax'],
    ['an empty bulkId', { method: 'POST', path: '/Users', bulkId: ' ', data: {} }, 'invalidSyntax'],
    ['a POST without data', { method: 'POST', path: '/Users', bulkId: 'x' }, 'invalidSyntax'],
    ['a PATCH whose data is not an object', { method: 'PATCH', path: '/Users/1', data: [] }, 'invalidSyntax'],
    ['no path', { method: 'DELETE' }, 'invalidPath'],
    ['an unknown endpoint', { method: 'DELETE', path: '/Widgets/1' }, 'invalidPath'],
    ['a POST to a resource', { method: 'POST', path: '/Users/1', bulkId: 'x', data: {} }, 'invalidPath'],
    ['a PUT to an endpoint', { method: 'PUT', path: '/Users', data: {} }, 'invalidPath'],
    ['a path with a query', { method: 'DELETE', path: '/Users/1?x=y' }, 'invalidPath'],
    ['a deeper path', { method: 'DELETE', path: '/Users/1/extra' }, 'invalidPath'],
    ['bad percent-encoding', { method: 'DELETE', path: '/Users/%E0%A4%A' }, 'invalidPath'],
    ['a version that is no ETag', { method: 'DELETE', path: '/Users/1', version: 'v3' }, 'invalidValue'],
    ['a numeric version', { method: 'DELETE', path: '/Users/1', version: 3 }, 'invalidValue'],
  ])('makes %s an invalid operation (400 %s) without refusing the request', (_label, operation, scimType) => {
    const result = invalid(operation);
    expect(result.invalid.status).toBe(400);
    expect(result.invalid.scimType).toBe(scimType);
    expect(result.invalid.detail).toContain('Operations[0]');
  });

  it('echoes the method and bulkId of an invalid operation when they are strings', () => {
    expect(invalid({ method: 'post', path: '/Nope', bulkId: 'q' })).toMatchObject({ method: 'POST', bulkId: 'q' });
    expect(invalid({ method: 'FETCH', path: '/Users' })).toMatchObject({ method: 'FETCH' });
    expect(invalid({ method: 7, bulkId: 8 })).not.toHaveProperty('method');
  });

  it('keeps the other operations when one is invalid', () => {
    const request = parse(bulk({ method: 'DELETE', path: '/Users/1' }, { method: 'GET', path: '/Users/1' }, { method: 'DELETE', path: '/Groups/2' }));
    expect(request.operations.map(isInvalid)).toEqual([false, true, false]);
  });

  it('refuses a repeated bulkId with 400 invalidValue and keeps the first declaration', () => {
    const request = parse(bulk(
      { method: 'POST', path: '/Users', bulkId: 'dup', data: {} },
      { method: 'POST', path: '/Groups', bulkId: 'dup', data: {} },
    ));
    const second = request.operations[1] as InvalidOperation;
    expect(second.invalid.scimType).toBe('invalidValue');
    expect(second.invalid.detail).toContain('Operations[0]');
    expect([...request.declared]).toEqual([['dup', 0]]);
  });

  it('lets an invalid POST still declare its bulkId, so references to it say it failed', () => {
    const request = parse(bulk({ method: 'POST', path: '/Widgets', bulkId: 'w', data: {} }));
    expect(isInvalid(request.operations[0])).toBe(true);
    expect(request.declared.get('w')).toBe(0);
  });

  it('does not take bulkIds of other methods as declarations', () => {
    expect(parse(bulk({ method: 'DELETE', path: '/Users/1', bulkId: 'd' })).declared.size).toBe(0);
  });
});
