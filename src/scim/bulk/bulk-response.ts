import { scimErrorBody, type ScimError } from '../errors';
import type { JsonObject } from '../values/json';

/**
 * The BulkResponse (RFC 7644 §3.7.3): one result per processed operation, in request order.
 * `status` is the HTTP status the single request would have had, as a string like every SCIM
 * status ("201"); `location` is returned for every operation except a failed POST; `version`
 * is the new ETag of a created or changed resource; a failure carries its SCIM error body
 * (§3.12) in `response`. Successful results carry no resource body (the RFC makes it
 * optional, and leaving it out keeps a 1,000-operation response small).
 */
export const BULK_RESPONSE_URN = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';

export interface BulkResult {
  readonly method?: string;
  readonly bulkId?: string;
  readonly location?: string;
  readonly version?: string;
  readonly status: string;
  readonly response?: JsonObject;
}

/** What identifies a result: the method and bulkId as the client sent them (each when known). */
export interface ResultIdentity {
  readonly method?: string;
  readonly bulkId?: string;
}

const identity = ({ method, bulkId }: ResultIdentity) => ({
  ...(method !== undefined ? { method } : {}),
  ...(bulkId !== undefined ? { bulkId } : {}),
});


export const successResult = (of: ResultIdentity, status: number, location: string, version?: string): BulkResult => ({
  ...identity(of),
  location,
  ...(version !== undefined ? { version } : {}),
  status: String(status),
});

export const failureResult = (of: ResultIdentity, error: ScimError, location?: string): BulkResult => ({
  ...identity(of),
  ...(location !== undefined ? { location } : {}),
  status: String(error.status),
  response: scimErrorBody(error),
});

export const isFailure = (result: BulkResult): boolean => Number(result.status) >= 400;

export function bulkResponse(results: readonly BulkResult[]): JsonObject {
  return { schemas: [BULK_RESPONSE_URN], Operations: results.map((r) => ({ ...r })) as JsonObject[] };
}
