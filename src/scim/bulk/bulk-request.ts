import { ScimError, invalidPath, invalidSyntax, invalidValue, payloadTooLarge } from '../errors';
import { getKey, isJsonObject, type Json, type JsonObject } from '../values/json';

/**
 * Reading an RFC 7644 §3.7 BulkRequest. Problems of the request as a whole (not a BulkRequest,
 * beyond a limit) are thrown; problems of one operation make only that operation fail (its
 * result says why) while the others are processed (§3.7: "The service provider MUST continue
 * performing as many changes as possible and disregard partial failures").
 */
export const BULK_REQUEST_URN = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

export const BULK_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type BulkMethod = (typeof BULK_METHODS)[number];

export interface BulkLimits {
  /** maxOperations of /ServiceProviderConfig. */
  readonly maxOperations: number;
  /** maxPayloadSize of /ServiceProviderConfig, in bytes. */
  readonly maxPayloadSize: number;
}

interface Common {
  /** Zero-based position in Operations. */
  readonly index: number;
  readonly bulkId?: string;
  /** The resource type endpoint as the schemas spell it ("/Users"), whatever case the client used. */
  readonly endpoint: string;
}

/**
 * One valid operation. `id` may still be a reference (`bulkId:qwerty`) and `data` may hold
 * references; see bulk-references. `version` is the ETag's number (the If-Match of a single
 * request), undefined for none or "*".
 */
export type BulkOperation =
  | (Common & { readonly method: 'POST'; readonly data: JsonObject })
  | (Common & { readonly method: 'PUT' | 'PATCH'; readonly id: string; readonly version: number | undefined; readonly data: JsonObject })
  | (Common & { readonly method: 'DELETE'; readonly id: string; readonly version: number | undefined });

/** An operation that cannot be run as sent: its result is `error`. */
export interface InvalidOperation {
  readonly index: number;
  readonly invalid: ScimError;
  /** Echoed in the result when the client sent them as strings. */
  readonly method?: string;
  readonly bulkId?: string;
  /** The path as sent, when a string (for the failed-request log; not echoed in the result). */
  readonly path?: string;
}

export type ParsedOperation = BulkOperation | InvalidOperation;

export const isInvalid = (operation: ParsedOperation): operation is InvalidOperation => 'invalid' in operation;

export interface BulkRequest {
  /** Stop after this many failed operations; undefined: process them all. */
  readonly failOnErrors: number | undefined;
  readonly operations: readonly ParsedOperation[];
  /**
   * Each bulkId a POST declares → the index of the first POST declaring it. A POST that is
   * invalid for another reason still declares its bulkId, so that a reference to it fails as
   * "its operation failed" rather than "unknown".
   */
  readonly declared: ReadonlyMap<string, number>;
}

/** §3.7.4: a body larger than maxPayloadSize is refused as a whole with 413, naming the limit. */
export function checkPayloadSize(bytes: number, limits: BulkLimits): void {
  if (bytes > limits.maxPayloadSize) {
    throw payloadTooLarge(`The bulk request is ${bytes} bytes, more than the maxPayloadSize of ${limits.maxPayloadSize} bytes (see /ServiceProviderConfig); split it into smaller requests`);
  }
}

/**
 * Parses a BulkRequest body. `endpoints` are the resource type endpoints operations may name
 * ("/Users", "/Groups").
 */
export function parseBulkRequest(body: unknown, endpoints: readonly string[], limits: BulkLimits): BulkRequest {
  if (!isJsonObject(body)) throw invalidSyntax(`The bulk request body must be a JSON object with "schemas": ["${BULK_REQUEST_URN}"] and "Operations"`);
  const schemas = getKey(body, 'schemas');
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === BULK_REQUEST_URN.toLowerCase())) {
    throw invalidSyntax(`The bulk request must have "schemas": ["${BULK_REQUEST_URN}"]`);
  }
  const operations = getKey(body, 'Operations');
  if (!Array.isArray(operations)) throw invalidSyntax('The bulk request must have an "Operations" array');
  // §3.7.4: more operations than maxOperations is a 413 naming the limit (the RFC's example has no scimType;
  // "tooMany" is a 400 for filters in §3.12).
  if (operations.length > limits.maxOperations) {
    throw payloadTooLarge(`The bulk request has ${operations.length} operations, more than the maxOperations of ${limits.maxOperations} (see /ServiceProviderConfig); split it into smaller requests`);
  }
  const failOnErrors = parseFailOnErrors(getKey(body, 'failOnErrors'));

  const declared = new Map<string, number>();
  const parsed = operations.map((raw, index) => parseOperation(raw, index, endpoints, declared));
  return { failOnErrors, operations: parsed, declared };
}

function parseFailOnErrors(value: Json | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalidValue(`failOnErrors must be a whole number of at least 1 (stop after that many errors), or absent to process every operation; not ${JSON.stringify(value)}`);
  }
  return value;
}

const isBulkMethod = (value: string): value is BulkMethod => (BULK_METHODS as readonly string[]).includes(value);

function parseOperation(raw: Json, index: number, endpoints: readonly string[], declared: Map<string, number>): ParsedOperation {
  const where = `Operations[${index}]`;
  if (!isJsonObject(raw)) return { index, invalid: invalidSyntax(`${where} must be an object with "method", "path" and, except for DELETE, "data"`) };
  const rawMethod = getKey(raw, 'method');
  const rawBulkId = getKey(raw, 'bulkId');
  const rawPath = getKey(raw, 'path');
  const echo: { method?: string; bulkId?: string } = {
    ...(typeof rawMethod === 'string' ? { method: rawMethod } : {}),
    ...(typeof rawBulkId === 'string' ? { bulkId: rawBulkId } : {}),
  };
  const fail = (invalid: ScimError): InvalidOperation => ({ index, invalid, ...echo, ...(typeof rawPath === 'string' ? { path: rawPath } : {}) });

  const method = typeof rawMethod === 'string' ? rawMethod.toUpperCase() : undefined;
  if (method === undefined || !isBulkMethod(method)) {
    return fail(invalidSyntax(`${where}.method must be one of ${BULK_METHODS.join(', ')}, not ${JSON.stringify(rawMethod ?? null)}`));
  }
  echo.method = method;

  let bulkId: string | undefined;
  if (rawBulkId !== undefined && rawBulkId !== null) {
    if (typeof rawBulkId !== 'string' || rawBulkId.trim() === '') return fail(invalidSyntax(`${where}.bulkId must be a non-empty string`));
    bulkId = rawBulkId;
  }
  if (method === 'POST') {
    if (bulkId === undefined) return fail(invalidSyntax(`${where}: a POST needs a "bulkId" (RFC 7644 §3.7), the name later operations and the response use for the new resource`));
    // bulkIds are unique within a request (§3.7): a repeat cannot be told apart, so it fails
    // and references keep meaning the first.
    const first = declared.get(bulkId);
    if (first !== undefined) return fail(invalidValue(`${where}.bulkId ${JSON.stringify(bulkId)} is already the bulkId of Operations[${first}]; bulkIds must be unique within a request`));
    declared.set(bulkId, index);
  }

  const target = parsePath(rawPath, method, endpoints, where);
  if (target instanceof ScimError) return fail(target);

  const common = { index, endpoint: target.endpoint, ...(bulkId !== undefined ? { bulkId } : {}) };
  const data = getKey(raw, 'data');
  if (method !== 'DELETE' && !isJsonObject(data)) {
    const what = method === 'PATCH' ? `a PatchOp body ("schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations")` : 'the resource';
    return fail(invalidSyntax(`${where}: a ${method} needs "data", a JSON object holding ${what}`));
  }
  if (method === 'POST') return { ...common, method, data: data as JsonObject };

  const version = parseVersion(getKey(raw, 'version'), where);
  if (version instanceof ScimError) return fail(version);
  const id = target.id!;
  return method === 'DELETE' ? { ...common, method, id, version } : { ...common, method, id, version, data: data as JsonObject };
}

/**
 * §3.7: POST names a resource type endpoint ("/Users"); PUT, PATCH and DELETE name a resource
 * ("/Users/2819c223…" or "/Users/bulkId:qwerty"). Endpoint names match in any case, as the routes do.
 */
function parsePath(raw: Json | undefined, method: BulkMethod, endpoints: readonly string[], where: string): { endpoint: string; id?: string } | ScimError {
  const examples = method === 'POST' ? `${endpoints.join(' or ')}` : endpoints.map((e) => `${e}/{id}`).join(' or ');
  if (typeof raw !== 'string') return invalidPath(`${where}.path is required: for a ${method} it is ${examples}`);
  const match = /^\/?([^/?#]+)(?:\/([^/?#]+))?\/?$/.exec(raw.trim());
  const endpoint = match && endpoints.find((e) => e.replace(/^\//, '').toLowerCase() === match[1].toLowerCase());
  if (!match || !endpoint) return invalidPath(`${where}.path ${JSON.stringify(raw)} is not a path this server serves in bulk: for a ${method} use ${examples}`);
  const rawId = match[2];
  if (method === 'POST') {
    if (rawId !== undefined) return invalidPath(`${where}.path ${JSON.stringify(raw)}: a POST names a resource type endpoint (${examples}), not a resource`);
    return { endpoint };
  }
  if (rawId === undefined) return invalidPath(`${where}.path ${JSON.stringify(raw)}: a ${method} names one resource, ${examples}`);
  try {
    return { endpoint, id: decodeURIComponent(rawId) };
  } catch {
    return invalidPath(`${where}.path ${JSON.stringify(raw)} is not valid percent-encoding`);
  }
}

/** §3.7 "version": an ETag this server issued (W/"3"), acting as the If-Match of a single request; "*" means any. */
function parseVersion(raw: Json | undefined, where: string): number | undefined | ScimError {
  if (raw === undefined || raw === null) return undefined;
  const match = typeof raw === 'string' ? /^\s*(?:(\*)|(?:W\/)?"(\d+)")\s*$/.exec(raw) : null;
  if (!match) return invalidValue(`${where}.version must be an ETag this server issued, such as W/"3", not ${JSON.stringify(raw)}`);
  return match[1] ? undefined : Number(match[2]);
}
