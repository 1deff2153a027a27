import { BulkIds, plainIdOf, resolveReferences } from '../../../src/scim/bulk/bulk-references';
import type { BulkOperation } from '../../../src/scim/bulk/bulk-request';

/** Declared: q0 by Operations[0], q1 by [1], later by [5]; q0 created u-0, q1 failed (never recorded). */
const ids = () => {
  const table = new BulkIds(new Map([['q0', 0], ['q1', 1], ['later', 5]]));
  table.record('q0', 0, 'u-0');
  return table;
};

const patchAt = (index: number, id: string, data: object = {}): BulkOperation =>
  ({ index, method: 'PATCH', endpoint: '/Groups', id, version: undefined, data } as BulkOperation);

describe('BulkIds', () => {
  it('resolves a bulkId to the id its POST created', () => {
    expect(ids().resolve('q0', 3)).toEqual({ id: 'u-0' });
  });

  it.each([
    ['unknown', 'nope', 3, /not the bulkId of any POST/],
    ['declared by a failed earlier POST', 'q1', 3, /Operations\[1\], which failed/],
    ['declared by a later POST', 'later', 3, /Operations\[5\], which comes later.*circular references are not resolved/],
    ['the operation\'s own', 'later', 5, /this operation's own bulkId/],
  ])('explains a bulkId that is %s', (_label, bulkId, index, problem) => {
    const resolution = ids().resolve(bulkId, index);
    expect(resolution).not.toHaveProperty('id');
    expect((resolution as { problem: string }).problem).toMatch(problem);
  });

  it('records only the POST that declared the bulkId', () => {
    const table = new BulkIds(new Map([['q', 0]]));
    table.record('q', 4, 'intruder');
    expect(table.resolve('q', 6)).not.toHaveProperty('id');
    table.record('q', 0, 'u-1');
    expect(table.resolve('q', 6)).toEqual({ id: 'u-1' });
  });
});

describe('resolveReferences', () => {
  it('replaces whole-string references at any depth in data, and the path id', () => {
    const operation = patchAt(3, 'bulkId:q0', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'add', path: 'members', value: [{ value: 'bulkId:q0' }, { value: 'kept' }] }],
      nested: { deeper: ['bulkId:q0'], text: 'not bulkId:q0', other: 5, flag: true, none: null },
    });
    const { resolved, unresolved } = resolveReferences(operation, ids());
    expect(unresolved).toBeUndefined();
    expect(resolved).toEqual(patchAt(3, 'u-0', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'add', path: 'members', value: [{ value: 'u-0' }, { value: 'kept' }] }],
      nested: { deeper: ['u-0'], text: 'not bulkId:q0', other: 5, flag: true, none: null },
    }));
  });

  it('does not modify the operation it was given', () => {
    const data = { members: [{ value: 'bulkId:q0' }] };
    const operation = patchAt(3, 'g-1', data);
    resolveReferences(operation, ids());
    expect(data.members[0].value).toBe('bulkId:q0');
    expect((operation as { id: string }).id).toBe('g-1');
  });

  it('returns the very same objects when there is no reference (no copy per operation)', () => {
    const operation = patchAt(3, 'g-1', { members: [{ value: 'u-9' }], displayName: 'x' });
    const { resolved } = resolveReferences(operation, ids());
    expect(resolved).toBe(operation);
  });

  it('fails with 409, no scimType, naming every reference it cannot resolve', () => {
    const { resolved, unresolved } = resolveReferences(patchAt(3, 'bulkId:q0', { a: 'bulkId:nope', b: ['bulkId:q1', 'bulkId:nope'] }), ids());
    expect(unresolved?.status).toBe(409);
    expect(unresolved?.scimType).toBeUndefined();
    expect(unresolved?.detail).toMatch(/^Operations\[3\] refers to a resource that cannot be resolved: /);
    expect(unresolved?.detail).toContain('"nope" is not the bulkId');
    expect(unresolved?.detail).toContain('"q1" belongs to Operations[1], which failed');
    expect(unresolved?.detail.match(/"nope"/g)).toHaveLength(1);
    // the path still resolved, so the result can carry a location
    expect(plainIdOf(resolved)).toBe('u-0');
  });

  it('leaves an unresolvable path id as a reference, which has no location', () => {
    const { resolved, unresolved } = resolveReferences(patchAt(3, 'bulkId:nope'), ids());
    expect(unresolved?.status).toBe(409);
    expect(plainIdOf(resolved)).toBeUndefined();
  });

  it('resolves references in a POST\'s data but has no path id for it', () => {
    const post = { index: 2, method: 'POST', endpoint: '/Groups', bulkId: 'g', data: { members: [{ value: 'bulkId:q0' }] } } as BulkOperation;
    const { resolved } = resolveReferences(post, ids());
    expect(resolved).toEqual({ ...post, data: { members: [{ value: 'u-0' }] } });
    expect(plainIdOf(resolved)).toBeUndefined();
  });
});
