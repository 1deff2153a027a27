import { invalidSyntax, invalidValue, noTarget, payloadTooLarge } from '../errors';
import { parsePatchPath } from '../path/parse-path';
import type { PatchPath } from '../path/patch-path';
import { isJsonObject, type Json } from '../values/json';

export const PATCH_OP_URN = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export type PatchVerb = 'add' | 'replace' | 'remove';

export interface PatchOperation {
  readonly op: PatchVerb;
  readonly path?: PatchPath;
  /** The path as the client wrote it, for messages. */
  readonly pathText?: string;
  readonly value?: Json;
}

/**
 * Reads an RFC 7644 §3.5.2 PatchOp body. `op` names are case-insensitive (Entra sends "Replace").
 * More than `maxOperations` operations (MAX_PATCH_OPERATIONS) is a 413 naming the limit, as a
 * /Bulk request over maxOperations is (RFC 7644 §3.7.4): every operation costs work, and the
 * client's remedy is the same, to split the request.
 */
export function parsePatchRequest(body: unknown, maxOperations = Number.POSITIVE_INFINITY): PatchOperation[] {
  if (!isJsonObject(body)) throw invalidSyntax('The PATCH body must be a JSON object with "schemas" and "Operations"');
  const schemas = body.schemas;
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === PATCH_OP_URN.toLowerCase())) {
    throw invalidSyntax(`The PATCH body must have "schemas": ["${PATCH_OP_URN}"]`);
  }
  const operations = Object.entries(body).find(([key]) => key.toLowerCase() === 'operations')?.[1];
  if (!Array.isArray(operations)) throw invalidSyntax('The PATCH body must have an "Operations" array');
  if (operations.length > maxOperations) {
    throw payloadTooLarge(`This PATCH has ${operations.length} operations; the most this server accepts in one request is ${maxOperations} (send the rest in further requests)`);
  }
  return operations.map(parseOperation);
}

function parseOperation(raw: Json, index: number): PatchOperation {
  const where = `Operations[${index}]`;
  if (!isJsonObject(raw)) throw invalidSyntax(`${where} must be an object with "op", "path" and "value"`);
  const entries = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), v]));
  const op = typeof entries.op === 'string' ? entries.op.toLowerCase() : undefined;
  if (op !== 'add' && op !== 'replace' && op !== 'remove') {
    throw invalidSyntax(`${where}.op must be "add", "replace" or "remove", not ${JSON.stringify(entries.op ?? null)}`);
  }
  const pathText = entries.path;
  if (pathText !== undefined && pathText !== null && typeof pathText !== 'string') throw invalidValue(`${where}.path must be a string`);
  const hasPath = typeof pathText === 'string' && pathText.trim() !== '';
  if (op === 'remove' && !hasPath) throw noTarget(`${where}: "remove" needs a "path" naming what to remove`);
  if (op !== 'remove' && !('value' in entries)) throw invalidValue(`${where}: "${op}" needs a "value"`);
  if (!hasPath && op !== 'remove' && !isJsonObject(entries.value)) {
    throw invalidValue(`${where}: without a "path", the "value" of "${op}" must be an object of attributes`);
  }
  return {
    op,
    ...(hasPath ? { path: parsePatchPath(pathText), pathText } : {}),
    ...('value' in entries ? { value: entries.value } : {}),
  };
}
