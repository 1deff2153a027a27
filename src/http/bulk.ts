import { Router, type Request, type Response } from 'express';
import type { Logger } from '../logger';
import { ScimError, methodNotAllowed, unavailable } from '../scim/errors';
import { checkPayloadSize, parseBulkRequest, type BulkLimits, type BulkOperation } from '../scim/bulk/bulk-request';
import { bulkResponse } from '../scim/bulk/bulk-response';
import { processBulk, type BulkExecutor, type OperationOutcome } from '../scim/bulk/process-bulk';
import { etagOf } from '../scim/resource/render';
import { StoreUnavailable } from '../store/port';
import type { Principal } from '../domain/tokens';
import type { ResourceEndpoint } from './resources/endpoint';
import { baseUrlOf, principalOf } from './resources/resource-router';
import { nextTurn } from './next-turn';
import { sendScim } from './respond';

export interface BulkOptions extends BulkLimits {
  readonly basePath: string;
}

/**
 * The size of the body as received. Content-Length is exact when the body was not compressed;
 * otherwise (chunked or Content-Encoding) the parsed body re-serialised, which leaves out only
 * insignificant whitespace. Either way express.json's MAX_BODY_BYTES limit applied first.
 */
function payloadBytes(req: Request): number {
  const declared = Number(req.headers['content-length']);
  const encoding = String(req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (Number.isFinite(declared) && declared >= 0 && encoding === 'identity') return declared;
  return Buffer.byteLength(JSON.stringify(req.body ?? null), 'utf8');
}

/**
 * POST /Bulk (RFC 7644 §3.7). Each operation is an in-process call of the same ResourceEndpoint
 * method a single request uses (create, replace, patch, delete), with the caller's Principal, so
 * schema validation, the account rules, access rules and If-Match (the operation's `version`)
 * apply exactly as they do there; no operation is sent as an HTTP request and nothing is
 * rendered but the result's location and version.
 *
 * Each operation is its own atomic store write (or the short conditional sequence its single
 * request would be). There is no transaction spanning operations: an operation that fails leaves
 * the earlier ones applied, which is what §3.7 describes ("The service provider MUST continue
 * performing as many changes as possible and disregard partial failures") and all it requires.
 */
export function bulkRouter(endpoints: readonly ResourceEndpoint[], options: BulkOptions, logger: Logger): Router {
  const router = Router();
  const byPath = new Map(endpoints.map((e) => [e.type.endpoint, e] as const));
  const paths = [...byPath.keys()];

  const executor = (req: Request, res: Response): BulkExecutor => {
    const actor: Principal = principalOf(res);
    const baseUrl = baseUrlOf(req, options.basePath);
    return {
      // A turn of the event loop between operations: 1,000 of them would otherwise hold every
      // other request for seconds.
      run: async (operation) => {
        await nextTurn();
        return run(byPath.get(operation.endpoint)!, operation, actor);
      },
      location: (endpoint, id) => `${baseUrl}${endpoint}/${id}`,
      etag: etagOf,
      unexpected(error, operation) {
        const where = { requestId: res.locals.requestId, operation: operation.index, method: operation.method, path: operation.endpoint };
        if (error instanceof StoreUnavailable) {
          logger.warn('store unavailable', { ...where, error: describeError(error.cause ?? error) });
          return unavailable(`${error.message}; try again later`, error.retryAfterSeconds);
        }
        logger.error('unhandled error in bulk operation', { ...where, error: describeError(error) });
        return new ScimError(500, undefined, `Internal server error (request id ${res.locals.requestId}, Operations[${operation.index}])`);
      },
    };
  };

  router.route('/Bulk')
    .post(async (req, res) => {
      checkPayloadSize(payloadBytes(req), options);
      const request = parseBulkRequest(req.body, paths, options);
      const results = await processBulk(request, executor(req, res));
      // §3.7: the bulk request itself succeeded (200) whatever its operations' statuses.
      sendScim(res, 200, bulkResponse(results));
    })
    .all(() => { throw methodNotAllowed(['POST']); });
  return router;
}

async function run(endpoint: ResourceEndpoint, operation: BulkOperation, actor: Principal): Promise<OperationOutcome> {
  switch (operation.method) {
    case 'POST': return endpoint.create(operation.data, actor);
    case 'PUT': return endpoint.replace(operation.id, operation.data, operation.version, actor);
    case 'PATCH': return endpoint.patch(operation.id, operation.data, operation.version, actor);
    case 'DELETE':
      await endpoint.delete(operation.id, operation.version, actor);
      return { id: operation.id };
  }
}

const describeError = (error: unknown) =>
  error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { message: String(error) };
