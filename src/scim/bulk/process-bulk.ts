import { ScimError } from '../errors';
import { BulkIds, mentionsBulkId, plainIdOf, resolveReferences } from './bulk-references';
import { isInvalid, type BulkOperation, type BulkRequest, type ParsedOperation } from './bulk-request';
import { failureResult, isFailure, successResult, type BulkResult } from './bulk-response';

/** What one operation did: the resource's id, and its new version (none after a DELETE). */
export interface OperationOutcome {
  readonly id: string;
  readonly version?: number;
}

/** What processing needs of the server: running an operation, and naming resources. */
export interface BulkExecutor {
  /** Runs one operation whose references are resolved, exactly as the single request would. */
  run(operation: BulkOperation): Promise<OperationOutcome>;
  /** The URL of a resource (meta.location). */
  location(endpoint: string, id: string): string;
  /** The ETag of a version. */
  etag(version: number): string;
  /**
   * An error that is not a ScimError: the executor logs it and says what the client may know
   * (a 500 naming only the request, or a 503 while the store is unreachable).
   */
  unexpected(error: unknown, operation: BulkOperation): ScimError;
  /**
   * Group commit: consecutive POSTs to an endpoint this returns true for may be run together
   * by `runBatch`, at most `batchSize` of them. Absent: every operation runs alone.
   */
  batchable?(operation: BulkOperation): boolean;
  readonly batchSize?: number;
  /** Runs the POSTs of one endpoint as `run` would run each, each to its outcome or its error, in order. */
  runBatch?(operations: readonly BulkCreate[]): Promise<readonly BatchOutcome[]>;
  /** Told of each operation that failed, with the error its result carries (the failed-request log). */
  failed?(operation: ParsedOperation, error: ScimError): void;
}

export type BulkCreate = Extract<BulkOperation, { readonly method: 'POST' }>;
export type BatchOutcome = { readonly outcome: OperationOutcome } | { readonly error: unknown };

const SUCCESS_STATUS = { POST: 201, PUT: 200, PATCH: 200, DELETE: 204 } as const;

/**
 * Processes a bulk request (RFC 7644 §3.7): operations one after another in the order sent,
 * each to its own result, until the end or until `failOnErrors` operations have failed (§3.7.3:
 * the response then holds the results so far; later operations are not run). A failed
 * operation never stops the others otherwise.
 *
 * Consecutive creates the executor can batch run as one batch (one transaction for an import
 * instead of one per user), with the results they would have had one by one. A batch is never
 * longer than the failures failOnErrors still allows, so the limit can only be reached on its
 * last operation and nothing runs after it. POSTs that refer to a bulkId run alone, after the
 * batch before them has been written.
 */
export async function processBulk(request: BulkRequest, executor: BulkExecutor): Promise<BulkResult[]> {
  const ids = new BulkIds(request.declared);
  const results: BulkResult[] = [];
  const limit = request.failOnErrors ?? Infinity;
  let failures = 0;
  for (let next = 0; next < request.operations.length && failures < limit;) {
    const batch = batchAt(request, next, Math.min(executor.batchSize ?? 1, limit - failures), executor);
    const operation = request.operations[next];
    const done = batch.length > 1 ? await runBatch(batch, ids, executor)
      : [isInvalid(operation) ? failed(executor, operation, operation.invalid) : await runOne(operation, ids, executor)];
    for (const result of done) {
      results.push(result);
      if (isFailure(result)) failures++;
    }
    next += done.length;
  }
  return results;
}

/** The operations from `start` that may run together: creates at one endpoint, without references. */
function batchAt(request: BulkRequest, start: number, most: number, executor: BulkExecutor): BulkCreate[] {
  const batch: BulkCreate[] = [];
  for (const operation of request.operations.slice(start, start + most)) {
    if (isInvalid(operation) || operation.method !== 'POST' || executor.batchable?.(operation) !== true) break;
    if ((batch.length > 0 && operation.endpoint !== batch[0].endpoint) || mentionsBulkId(operation.data)) break;
    batch.push(operation);
  }
  return batch;
}

/** A batch of creates to their results, as runOne would give each; a batch that fails as a whole fails each of its operations. */
async function runBatch(batch: readonly BulkCreate[], ids: BulkIds, executor: BulkExecutor): Promise<BulkResult[]> {
  let outcomes: readonly BatchOutcome[];
  try {
    outcomes = await executor.runBatch!(batch);
  } catch (error) {
    return batch.map((operation) => failed(executor, operation, asScimError(error, operation, executor)));
  }
  return batch.map((operation, i) => {
    const settled = outcomes[i];
    try {
      if ('error' in settled) throw settled.error;
      ids.record(operation.bulkId!, operation.index, settled.outcome.id);
      const version = settled.outcome.version === undefined ? undefined : executor.etag(settled.outcome.version);
      return successResult(operation, SUCCESS_STATUS.POST, executor.location(operation.endpoint, settled.outcome.id), version);
    } catch (error) {
      return failed(executor, operation, asScimError(error, operation, executor));
    }
  });
}

/**
 * One operation to its result. Everything it does is inside the try, resolving references and
 * naming the result included: whatever goes wrong becomes this operation's result, never the
 * whole response's, since earlier operations may already be written and the client must learn
 * what they did.
 */
async function runOne(operation: BulkOperation, ids: BulkIds, executor: BulkExecutor): Promise<BulkResult> {
  let resolved = operation;
  let location: string | undefined;
  try {
    const references = resolveReferences(operation, ids);
    resolved = references.resolved;
    // §3.7.3: every result but a failed POST's has a location, when the path names a resource we can name.
    const id = plainIdOf(resolved);
    location = id === undefined ? undefined : executor.location(resolved.endpoint, id);
    if (references.unresolved) return failed(executor, operation, references.unresolved, location);
    const outcome = await executor.run(resolved);
    if (resolved.method === 'POST') ids.record(resolved.bulkId!, resolved.index, outcome.id);
    const version = outcome.version === undefined ? undefined : executor.etag(outcome.version);
    return successResult(operation, SUCCESS_STATUS[resolved.method], executor.location(resolved.endpoint, outcome.id), version);
  } catch (error) {
    // The executor hears of the operation as it was attempted (its references resolved); the result names it as sent.
    const scim = asScimError(error, resolved, executor);
    executor.failed?.(resolved, scim);
    return failureResult(operation, scim, location);
  }
}

/** A failed operation's result; the executor is told of it first. */
function failed(executor: BulkExecutor, operation: ParsedOperation, error: ScimError, location?: string): BulkResult {
  executor.failed?.(operation, error);
  return failureResult(operation, error, location);
}

/** A ScimError as it is; anything else as the executor describes it (or, should that fail too, a bare 500). */
function asScimError(error: unknown, operation: BulkOperation, executor: BulkExecutor): ScimError {
  if (error instanceof ScimError) return error;
  try {
    return executor.unexpected(error, operation);
  } catch {
    return new ScimError(500, undefined, `Internal server error (Operations[${operation.index}])`);
  }
}
