import { Router, type Request } from 'express';
import { runBulk } from '../app/bulk';
import type { Logger } from '../logger';
import { methodNotAllowed } from '../scim/errors';
import { checkPayloadSize, parseBulkRequest, type BulkLimits } from '../scim/bulk/bulk-request';
import { bulkResponse } from '../scim/bulk/bulk-response';
import { directoryOf, scimBaseUrl } from './tenant-scope';
import { sendScim } from './respond';

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

/** POST /Bulk (RFC 7644 §3.7): the request's limits and parsing here; its operations in app/bulk.ts. */
export function bulkRouter(paths: readonly string[], limits: BulkLimits, logger: Logger): Router {
  const router = Router();
  router.route('/Bulk')
    .post(async (req, res) => {
      checkPayloadSize(payloadBytes(req), limits);
      const request = parseBulkRequest(req.body, paths, limits);
      const results = await runBulk(directoryOf(res), request, scimBaseUrl(req, res), logger);
      // §3.7: the bulk request itself succeeded (200) whatever its operations' statuses.
      sendScim(res, 200, bulkResponse(results));
    })
    .all(() => { throw methodNotAllowed(['POST']); });
  return router;
}
