import { ScimError, preconditionFailed, uniqueness } from '../../../src/scim/errors';
import { BULK_REQUEST_URN, parseBulkRequest, type BulkOperation } from '../../../src/scim/bulk/bulk-request';
import { BULK_RESPONSE_URN, bulkResponse } from '../../../src/scim/bulk/bulk-response';
import { processBulk, type BulkExecutor, type OperationOutcome } from '../../../src/scim/bulk/process-bulk';

const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';

/**
 * A fake server: POST creates "<endpoint>-<n>" at version 1, PUT/PATCH bump to version 2,
 * DELETE works; a data attribute `fail` makes the operation throw what it names.
 */
function fakeExecutor(failures: Record<string, unknown> = {}) {
  const runs: BulkOperation[] = [];
  let next = 0;
  const unexpected: unknown[] = [];
  const executor: BulkExecutor = {
    async run(operation): Promise<OperationOutcome> {
      runs.push(operation);
      const fail = 'data' in operation ? operation.data.fail : undefined;
      if (typeof fail === 'string') throw failures[fail];
      if (operation.method === 'POST') return { id: `${operation.endpoint.slice(1).toLowerCase()}-${++next}`, version: 1 };
      if (operation.method === 'DELETE') return { id: operation.id };
      return { id: operation.id, version: 2 };
    },
    location: (endpoint, id) => `https://scim.example${endpoint}/${id}`,
    etag: (version) => `W/"${version}"`,
    unexpected(error) {
      unexpected.push(error);
      return new ScimError(500, undefined, 'Internal server error (request id r-1, Operations[n])');
    },
  };
  return { executor, runs, unexpected };
}

const request = (operations: object[], extra: object = {}) =>
  parseBulkRequest({ schemas: [BULK_REQUEST_URN], Operations: operations, ...extra }, ['/Users', '/Groups'], { maxOperations: 100, maxPayloadSize: 1e6 });

describe('processBulk', () => {
  it('runs operations in order, resolving bulkIds of earlier POSTs, with RFC 7644 §3.7.3 results', async () => {
    const { executor, runs } = fakeExecutor();
    const results = await processBulk(request([
      { method: 'POST', path: '/Users', bulkId: 'alice', data: { userName: 'alice' } },
      { method: 'POST', path: '/Groups', bulkId: 'team', data: { displayName: 'Team', members: [{ value: 'bulkId:alice' }] } },
      { method: 'PUT', path: '/Users/bulkId:alice', data: { userName: 'alice2' } },
      { method: 'PATCH', path: '/Groups/bulkId:team', version: 'W/"1"', data: { Operations: [] } },
      { method: 'DELETE', path: '/Users/users-1' },
    ]), executor);

    expect(runs.map((r) => [r.method, 'id' in r ? r.id : undefined])).toEqual([
      ['POST', undefined], ['POST', undefined], ['PUT', 'users-1'], ['PATCH', 'groups-2'], ['DELETE', 'users-1'],
    ]);
    expect(runs[1]).toMatchObject({ data: { members: [{ value: 'users-1' }] } });
    expect(runs[3]).toMatchObject({ version: 1 });
    expect(results).toEqual([
      { method: 'POST', bulkId: 'alice', location: 'https://scim.example/Users/users-1', version: 'W/"1"', status: '201' },
      { method: 'POST', bulkId: 'team', location: 'https://scim.example/Groups/groups-2', version: 'W/"1"', status: '201' },
      { method: 'PUT', location: 'https://scim.example/Users/users-1', version: 'W/"2"', status: '200' },
      { method: 'PATCH', location: 'https://scim.example/Groups/groups-2', version: 'W/"2"', status: '200' },
      { method: 'DELETE', location: 'https://scim.example/Users/users-1', status: '204' },
    ]);
    expect(bulkResponse(results)).toEqual({ schemas: [BULK_RESPONSE_URN], Operations: results });
  });

  it('turns a thrown ScimError into that operation\'s result and goes on', async () => {
    const { executor, runs } = fakeExecutor({ taken: uniqueness('userName "x" is already taken'), stale: preconditionFailed('The resource has changed') });
    const results = await processBulk(request([
      { method: 'POST', path: '/Users', bulkId: 'x', data: { fail: 'taken' } },
      { method: 'PUT', path: '/Users/u-7', data: { fail: 'stale' } },
      { method: 'DELETE', path: '/Users/u-8' },
    ]), executor);
    expect(runs).toHaveLength(3);
    expect(results[0]).toEqual({
      method: 'POST', bulkId: 'x', status: '409',
      response: { schemas: [ERROR_URN], status: '409', scimType: 'uniqueness', detail: 'userName "x" is already taken' },
    });
    // §3.7.3: only a failed POST has no location
    expect(results[1]).toEqual({
      method: 'PUT', location: 'https://scim.example/Users/u-7', status: '412',
      response: { schemas: [ERROR_URN], status: '412', detail: 'The resource has changed' },
    });
    expect(results[2].status).toBe('204');
  });

  it('asks the executor what to say about an unexpected error, and goes on', async () => {
    const cause = new Error('SQLITE_CORRUPT at /var/lib/roster.db');
    const { executor, unexpected } = fakeExecutor({ boom: cause });
    const results = await processBulk(request([
      { method: 'POST', path: '/Users', bulkId: 'b', data: { fail: 'boom' } },
      { method: 'POST', path: '/Users', bulkId: 'c', data: {} },
    ]), executor);
    expect(unexpected).toEqual([cause]);
    expect(results.map((r) => r.status)).toEqual(['500', '201']);
    expect(JSON.stringify(results)).not.toContain('SQLITE');
  });

  it('makes an error while naming a result (after the write) that operation\'s 500, never the whole response\'s', async () => {
    const { executor, runs, unexpected } = fakeExecutor();
    const naming = new RangeError('Maximum call stack size exceeded');
    const location = executor.location;
    executor.location = (endpoint, id) => {
      if (id === 'users-2') throw naming;
      return location(endpoint, id);
    };
    const results = await processBulk(request([
      { method: 'POST', path: '/Users', bulkId: 'a', data: {} },
      { method: 'POST', path: '/Users', bulkId: 'b', data: {} },
      { method: 'PUT', path: '/Users/users-2', data: {} },
      { method: 'DELETE', path: '/Users/users-1' },
    ]), executor);
    expect(runs).toHaveLength(3);
    expect(unexpected).toEqual([naming, naming]);
    expect(results.map((r) => r.status)).toEqual(['201', '500', '500', '204']);
    expect(results[1]).toEqual({ method: 'POST', bulkId: 'b', status: '500', response: { schemas: [ERROR_URN], status: '500', detail: 'Internal server error (request id r-1, Operations[n])' } });
  });

  it('still answers a 500 for the operation when the executor cannot describe the error either', async () => {
    const { executor } = fakeExecutor({ boom: new Error('disk full') });
    executor.unexpected = () => { throw new Error('the log is gone too'); };
    const results = await processBulk(request([
      { method: 'POST', path: '/Users', bulkId: 'b', data: { fail: 'boom' } },
      { method: 'POST', path: '/Users', bulkId: 'c', data: {} },
    ]), executor);
    expect(results.map((r) => r.status)).toEqual(['500', '201']);
    expect(results[0].response?.detail).toBe('Internal server error (Operations[0])');
  });

  it('fails, without running it, an operation whose reference cannot be resolved, and one that refers to a failed POST', async () => {
    const { executor, runs } = fakeExecutor({ bad: uniqueness('taken') });
    const results = await processBulk(request([
      { method: 'POST', path: '/Users', bulkId: 'broken', data: { fail: 'bad' } },
      { method: 'POST', path: '/Groups', bulkId: 'g1', data: { members: [{ value: 'bulkId:broken' }] } },
      { method: 'PATCH', path: '/Users/bulkId:ghost', data: {} },
      { method: 'POST', path: '/Groups', bulkId: 'g2', data: { members: [{ value: 'bulkId:later' }] } },
      { method: 'POST', path: '/Users', bulkId: 'later', data: {} },
    ]), executor);
    expect(runs.map((r) => r.bulkId)).toEqual(['broken', 'later']);
    expect(results.map((r) => r.status)).toEqual(['409', '409', '409', '409', '201']);
    expect(results[1].response?.detail).toMatch(/"broken" belongs to Operations\[0\], which failed/);
    expect(results[2].response?.detail).toMatch(/"ghost" is not the bulkId of any POST/);
    expect(results[2]).not.toHaveProperty('location');
    expect(results[3].response?.detail).toMatch(/"later" belongs to Operations\[4\], which comes later/);
    expect(results[1]).not.toHaveProperty('location');
  });

  it('reports invalid operations in place and runs the valid ones', async () => {
    const { executor, runs } = fakeExecutor();
    const results = await processBulk(request([
      { method: 'DELETE', path: '/Users/a' },
      { method: 'FETCH', path: '/Users/b' },
      { method: 'DELETE', path: '/Nowhere/c' },
      { method: 'DELETE', path: '/Users/d' },
    ]), executor);
    expect(runs.map((r) => 'id' in r && r.id)).toEqual(['a', 'd']);
    expect(results.map((r) => [r.method, r.status, r.response?.scimType])).toEqual([
      ['DELETE', '204', undefined], ['FETCH', '400', 'invalidSyntax'], ['DELETE', '400', 'invalidPath'], ['DELETE', '204', undefined],
    ]);
  });

  it.each([
    [1, ['204', '400']],
    [2, ['204', '400', '204', '400']],
    [3, ['204', '400', '204', '400', '204']],
    [undefined, ['204', '400', '204', '400', '204']],
  ])('with failOnErrors %s stops after that many failures, returning the results so far', async (failOnErrors, statuses) => {
    const { executor, runs } = fakeExecutor();
    const ok = { method: 'DELETE', path: '/Users/x' };
    const bad = { method: 'DELETE', path: '/Nowhere/x' };
    const results = await processBulk(request([ok, bad, ok, bad, ok], failOnErrors === undefined ? {} : { failOnErrors }), executor);
    expect(results.map((r) => r.status)).toEqual(statuses);
    expect(runs).toHaveLength(statuses.filter((s) => s === '204').length);
  });
});

describe('processBulk with group commit: consecutive creates run as one batch', () => {
  /** The fake server, able to run up to `batchSize` POSTs to /Users together; `batches` records the indexes of each batch. */
  function batchingExecutor(batchSize = 3, failures: Record<string, unknown> = {}) {
    const fake = fakeExecutor(failures);
    const batches: number[][] = [];
    const executor: BulkExecutor = {
      ...fake.executor,
      batchable: (operation) => operation.endpoint === '/Users',
      batchSize,
      async runBatch(operations) {
        batches.push(operations.map((o) => o.index));
        return Promise.all(operations.map((o) => fake.executor.run(o).then((outcome) => ({ outcome }), (error: unknown) => ({ error }))));
      },
    };
    return { executor, batches, runs: fake.runs };
  }
  const user = (bulkId: string, data: object = {}) => ({ method: 'POST', path: '/Users', bulkId, data: { userName: bulkId, ...data } });
  const group = (bulkId: string) => ({ method: 'POST', path: '/Groups', bulkId, data: { displayName: bulkId } });

  it.each([
    ['seven creates: batches of at most batchSize, a last one of one runs alone', [user('a'), user('b'), user('c'), user('d'), user('e'), user('f'), user('g')], [[0, 1, 2], [3, 4, 5]], [6]],
    ['a create at an endpoint without batches ends the batch', [user('a'), user('b'), group('g'), user('c'), user('d')], [[0, 1], [3, 4]], [2]],
    ['an invalid operation ends the batch', [user('a'), user('b'), { method: 'POST', path: '/Users', data: {} }, user('c'), user('d')], [[0, 1], [3, 4]], []],
    ['a create that refers to a bulkId runs alone, after the batch it refers to', [user('a'), user('b'), user('c', { manager: { value: 'bulkId:a' } }), user('d'), user('e')], [[0, 1], [3, 4]], [2]],
    ['other methods run alone', [user('a'), user('b'), { method: 'DELETE', path: '/Users/x' }, user('c')], [[0, 1]], [2, 3]],
  ])('%s', async (_title, operations, expectedBatches, alone) => {
    const { executor, batches, runs } = batchingExecutor();
    const results = await processBulk(request(operations), executor);
    expect(batches).toEqual(expectedBatches);
    const batched = new Set(expectedBatches.flat());
    expect(runs.filter((r) => !batched.has(r.index)).map((r) => r.index)).toEqual(alone);
    expect(results).toHaveLength(operations.length);
    // Each POST to /Users in order, batched or not, got the next id, and its result says so.
    const created = results.filter((r) => r.status === '201').map((r) => r.location);
    expect(new Set(created).size).toBe(created.length);
  });

  it('resolves a reference to a create of an earlier batch', async () => {
    const { executor, runs } = batchingExecutor();
    const results = await processBulk(request([user('a'), user('b'), { method: 'PATCH', path: '/Users/bulkId:a', data: { Operations: [] } }]), executor);
    expect(results.map((r) => r.status)).toEqual(['201', '201', '200']);
    expect(runs.at(-1)).toMatchObject({ method: 'PATCH', id: idIn(results[0].location) });
  });

  it('never runs an operation after failOnErrors is reached: a batch is no longer than the failures still allowed', async () => {
    const { executor, batches, runs } = batchingExecutor(10, { taken: uniqueness('taken') });
    const results = await processBulk(request([
      user('a'), user('b', { fail: 'taken' }), user('c'), user('d', { fail: 'taken' }), user('e'), user('f'),
    ], { failOnErrors: 3 }), executor);
    expect(batches).toEqual([[0, 1, 2], [3, 4]]);
    expect(runs.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results.map((r) => r.status)).toEqual(['201', '409', '201', '409', '201', '201']);

    const stopped = batchingExecutor(10, { taken: uniqueness('taken') });
    const cut = await processBulk(request([user('a', { fail: 'taken' }), user('b'), user('c', { fail: 'taken' }), user('d')], { failOnErrors: 2 }), stopped.executor);
    expect(stopped.batches).toEqual([[0, 1]]);
    expect(cut.map((r) => r.status)).toEqual(['409', '201', '409']);
    expect(stopped.runs.map((r) => r.index)).toEqual([0, 1, 2]);
  });

  it('fails each operation of a batch the executor could not run at all, through `unexpected`', async () => {
    const { executor } = batchingExecutor();
    const failing: BulkExecutor = { ...executor, runBatch: () => Promise.reject(new Error('disk on fire')) };
    const results = await processBulk(request([user('a'), user('b')]), failing);
    expect(results.map((r) => [r.bulkId, r.status, r.location])).toEqual([['a', '500', undefined], ['b', '500', undefined]]);
  });
});

const idIn = (location: string | undefined) => location!.slice(location!.lastIndexOf('/') + 1);
