import { describeError, type Logger } from '../logger';
import { ScimError } from '../scim/errors';
import { isInvalid, type BulkOperation, type BulkRequest, type ParsedOperation } from '../scim/bulk/bulk-request';
import type { BulkResult } from '../scim/bulk/bulk-response';
import { processBulk, type BulkExecutor, type OperationOutcome } from '../scim/bulk/process-bulk';
import { etagOf } from '../scim/resource/render';
import type { Directory } from './directory';
import { failedRequest, failureResourceAt, type FailedRequest } from './failure-log';
import { scimErrorOf } from './failures';
import { nextTurn } from './next-turn';
import type { ResourceEndpoint } from './resources/endpoint';

/**
 * Creates per transaction. The batch is written synchronously (SQLite), so its size bounds how
 * long one write holds the event loop; 50 keeps that to tens of milliseconds while the commit,
 * paid once for 50 users, is a small part of their cost (validation and the rows are the rest).
 */
export const CREATE_BATCH = 50;

/**
 * POST /Bulk's operations (RFC 7644 §3.7), in the request's tenant. Each operation is a call of
 * the same use case a single request makes (create, replace, patch, delete) with the same
 * context, so schema validation, the account rules, access rules and If-Match (the operation's
 * `version`) apply exactly as they do there, and a failure becomes the same SCIM error
 * (failures.ts) in that operation's result.
 *
 * Each operation is its own atomic store write (or the short conditional sequence its single
 * request would be). There is no transaction spanning operations: an operation that fails leaves
 * the earlier ones applied, which is what §3.7 describes ("The service provider MUST continue
 * performing as many changes as possible and disregard partial failures") and all it requires.
 * The one exception is group commit for imports: up to CREATE_BATCH consecutive creates of an
 * endpoint that offers createMany (users) are prepared one by one and written in one
 * transaction, a savepoint each, so each still succeeds or fails alone with the result it would
 * have had alone (process-bulk.ts says which operations may join a batch).
 */
export async function runBulk(directory: Directory, request: BulkRequest, baseUrl: string, logger: Logger): Promise<BulkResult[]> {
  const byPath = new Map(directory.endpoints.map((e) => [e.type.endpoint, e] as const));
  const { requestId } = directory.context;
  const failures: FailedRequest[] = [];
  const executor: BulkExecutor = {
    // A turn of the event loop between operations: 1,000 of them would otherwise hold every
    // other request for seconds.
    run: async (operation) => {
      await nextTurn();
      return run(byPath.get(operation.endpoint)!, operation);
    },
    batchable: (operation) => byPath.get(operation.endpoint)?.createMany !== undefined,
    batchSize: CREATE_BATCH,
    // A turn between batches too: each holds the event loop for its validation and one commit.
    runBatch: async (operations) => {
      await nextTurn();
      const created = await byPath.get(operations[0].endpoint)!.createMany!(operations.map((o) => o.data));
      return created.map((result) => ('created' in result ? { outcome: result.created } : { error: result.failed }));
    },
    location: (endpoint, id) => `${baseUrl}${endpoint}/${id}`,
    etag: etagOf,
    unexpected(error, operation) {
      const where = { requestId, tenant: directory.context.tenant.id, operation: operation.index, method: operation.method, path: operation.endpoint };
      const known = scimErrorOf(error);
      if (known) {
        if (known.status === 503) logger.warn('store unavailable', { ...where, error: describeError((error as Error).cause ?? error) });
        return known;
      }
      logger.error('unhandled error in bulk operation', { ...where, error: describeError(error) });
      return new ScimError(500, undefined, `Internal server error (request id ${requestId}, Operations[${operation.index}])`);
    },
    failed: (operation, error) => void failures.push(failedOperation(operation, error)),
  };
  const results = await processBulk(request, executor);
  // The /Bulk request itself succeeded (200): its failed operations are what the log records,
  // all in one write once they have run. A failure to record changes nothing of the response.
  if (failures.length > 0) {
    await directory.failures.record(...failures)
      .catch((error: unknown) => void logger.warn('failed bulk operations not recorded', { requestId, count: failures.length, error: describeError(error) }));
  }
  return results;
}

/**
 * A failed operation as the log records it: its method and path (relative to the SCIM base) as
 * sent, its bulkId, and what it was about from its path and data (a reference to another
 * operation's bulkId names no resource yet).
 */
function failedOperation(operation: ParsedOperation, error: ScimError): FailedRequest {
  const path = isInvalid(operation) ? operation.path ?? '' : 'id' in operation ? `${operation.endpoint}/${operation.id}` : operation.endpoint;
  const data = isInvalid(operation) || operation.method === 'DELETE' ? undefined : operation.data;
  const resource = failureResourceAt(path.replace(/^\/?/, '/').replace(/\/bulkId:[^/]*$/i, ''), data);
  return failedRequest(operation.method ?? '', path, error, resource, operation.bulkId);
}

async function run(endpoint: ResourceEndpoint, operation: BulkOperation): Promise<OperationOutcome> {
  switch (operation.method) {
    case 'POST': return endpoint.create(operation.data);
    case 'PUT': return endpoint.replace(operation.id, operation.data, operation.version);
    case 'PATCH': return endpoint.patch(operation.id, operation.data, operation.version);
    case 'DELETE':
      await endpoint.delete(operation.id, operation.version);
      return { id: operation.id };
  }
}
