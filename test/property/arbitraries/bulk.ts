import fc from 'fast-check';
import { anyCase, type ResourceKind } from './attribute-paths';
import { jsonShape } from './json';
import { patchRequestBody } from './patch';
import { applyMutations, writeBody } from './resources';
import type { KnownIds } from './values';

/**
 * RFC 7644 §3.7 BulkRequests: random mixtures of valid and invalid operations on /Users and
 * /Groups, with bulkIds drawn from a small pool so that references (`bulkId:u1` in a path or
 * anywhere in data) name earlier POSTs, later ones, failed ones, repeated ones or none, and so
 * run into cycles; versions that match, do not, or are not ETags; and now and then an operation
 * or a whole request that is not one at all.
 */
const BULK_REQUEST_URN = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

const BULK_IDS = ['u1', 'u2', 'g1', 'x'];
const reference = fc.constantFrom(...BULK_IDS).map((id) => `bulkId:${id}`);

const bulkId = fc.oneof(
  { arbitrary: fc.constantFrom(...BULK_IDS), weight: 10 },
  { arbitrary: fc.constantFrom('', ' ', 'bulkId:u1'), weight: 1 },
  { arbitrary: jsonShape, weight: 1 },
);

const version = fc.oneof(
  { arbitrary: fc.constantFrom('W/"1"', 'W/"2"', '*', 'W/"999"'), weight: 6 },
  { arbitrary: fc.constantFrom('"1"', 'abc'), weight: 1 },
  { arbitrary: jsonShape, weight: 1 },
);

/** `/Users/{id}`: an existing resource, a reference, a missing one, or not a resource path at all. */
const resourcePath = (kind: ResourceKind, ids: KnownIds) =>
  fc.oneof(
    { arbitrary: fc.tuple(anyCase(`/${kind}s/`), fc.oneof(fc.constantFrom(...(kind === 'User' ? ids.userIds : ids.groupIds)), reference)).map(([p, id]) => p + id), weight: 8 },
    { arbitrary: fc.constantFrom(`/${kind}s/no-such-id`, `/${kind}s/${ids.deletedUserId}`, `${kind}s/bulkId:u1`, `/${kind}s`, '/Foo/1', '', `/${kind}s/a/b`, `/${kind}s/%E0%A4%A`), weight: 1 },
    { arbitrary: jsonShape, weight: 1 },
  );

/** Data and member values may name the pool's bulkIds as well as existing ids. */
const withReferences = (ids: KnownIds): KnownIds => ({ ...ids, userIds: [...ids.userIds, 'bulkId:u1', 'bulkId:u2'], groupIds: [...ids.groupIds, 'bulkId:g1'] });

/** A resource for POST or PUT: valid, or valid with one random value, or anything. */
const resourceData = (kind: ResourceKind, ids: KnownIds) =>
  writeBody(kind, ids, { current: false }).map((write) => applyMutations(write.body, write.mutations.slice(0, 1)));

const operation = (ids: KnownIds) => {
  const refs = withReferences(ids);
  const kind = fc.constantFrom<ResourceKind>('User', 'Group');
  const optional = { requiredKeys: ['method', 'path'] as ('method' | 'path')[] };
  return fc.oneof(
    { weight: 4, arbitrary: kind.chain((k) => fc.record({ method: anyCase('POST'), path: anyCase(`/${k}s`), bulkId, data: resourceData(k, refs) }, { requiredKeys: ['method', 'path', 'data'] })) },
    { weight: 2, arbitrary: kind.chain((k) => fc.record({ method: anyCase('PUT'), path: resourcePath(k, refs), version, data: resourceData(k, refs) }, optional)) },
    { weight: 3, arbitrary: kind.chain((k) => fc.record({ method: anyCase('PATCH'), path: resourcePath(k, refs), version, data: patchRequestBody(k, refs) }, optional)) },
    { weight: 1, arbitrary: kind.chain((k) => fc.record({ method: anyCase('DELETE'), path: resourcePath(k, refs), version }, optional)) },
    { weight: 1, arbitrary: fc.record({ method: fc.oneof(fc.constantFrom('GET', 'post ', 'FOO'), jsonShape), path: fc.oneof(fc.constantFrom('/Users', '/Groups'), jsonShape), bulkId, data: jsonShape, version }, { requiredKeys: [] }) },
    { weight: 1, arbitrary: jsonShape },
  );
};

export const bulkRequestBody = (ids: KnownIds): fc.Arbitrary<unknown> =>
  fc.oneof(
    {
      weight: 12,
      arbitrary: fc.record(
        { schemas: fc.constant([BULK_REQUEST_URN]), Operations: fc.array(operation(ids), { minLength: 1, maxLength: 6 }), failOnErrors: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 3 }), weight: 5 }, { arbitrary: jsonShape, weight: 1 }) },
        { requiredKeys: ['schemas', 'Operations'] },
      ),
    },
    { weight: 1, arbitrary: fc.record({ schemas: fc.oneof(fc.constant([BULK_REQUEST_URN]), jsonShape), Operations: fc.oneof(fc.array(operation(ids), { maxLength: 2 }), jsonShape) }, { requiredKeys: [] }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  );
