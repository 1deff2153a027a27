import { conflict, type ScimError } from '../errors';
import { isJsonObject, type Json, type JsonObject } from '../values/json';
import type { BulkOperation } from './bulk-request';

/**
 * bulkId references (RFC 7644 §3.7.2): a string that is exactly `bulkId:<id>`, anywhere in an
 * operation's data (a group's `members[].value`, an extension's attribute, a PATCH value) or
 * as the id in its path (`/Users/bulkId:qwerty`), stands for the id of the resource the POST
 * with that bulkId created earlier in the same request.
 *
 * Operations run in the order sent, so a reference can only be resolved when its POST came
 * before and succeeded. A reference to a later operation (or to the operation itself) cannot be
 * resolved, which also rules out circular references: §3.7.1 lets the service provider "stop
 * after a failed attempt and instead return HTTP status code 409 (Conflict)", and so do we for
 * every reference that cannot be resolved (unknown bulkId, a later operation, a failed one).
 * No scimType: §3.12 defines those keywords for 400 (invalidValue) and 409 (uniqueness) answers,
 * and none of them describes this case.
 */
export const BULK_ID_PREFIX = 'bulkId:';

const referenceIn = (value: string): string | undefined => value.startsWith(BULK_ID_PREFIX) ? value.slice(BULK_ID_PREFIX.length) : undefined;

type Resolution = { readonly id: string } | { readonly problem: string };

/** What the request declared and what has happened so far: bulkId → the id its POST created. */
export class BulkIds {
  private readonly created = new Map<string, string>();

  constructor(private readonly declared: ReadonlyMap<string, number>) {}

  /** A POST with this bulkId created `id` (only the declaring POST counts; a repeat is invalid anyway). */
  record(bulkId: string, index: number, id: string): void {
    if (this.declared.get(bulkId) === index) this.created.set(bulkId, id);
  }

  /** The id `bulkId` stands for, as seen from the operation at `index`, or why there is none. */
  resolve(bulkId: string, index: number): Resolution {
    const id = this.created.get(bulkId);
    if (id !== undefined) return { id };
    const at = this.declared.get(bulkId);
    const name = `bulkId ${JSON.stringify(bulkId)}`;
    if (at === undefined) return { problem: `${name} is not the bulkId of any POST in this request` };
    if (at === index) return { problem: `${name} is this operation's own bulkId, and its resource does not exist yet` };
    if (at > index) {
      return { problem: `${name} belongs to Operations[${at}], which comes later: operations run in the order sent, so a reference can only name a resource created by an earlier operation (circular references are not resolved)` };
    }
    return { problem: `${name} belongs to Operations[${at}], which failed, so there is no resource to refer to` };
  }
}

/**
 * The operation with every reference it can resolve replaced by the id it stands for, and a 409
 * naming each reference that cannot be resolved (then the operation must not run; its path may
 * still have been resolved, for the result's location). Data without references is returned as
 * is (no copy).
 */
export function resolveReferences(operation: BulkOperation, ids: BulkIds): { resolved: BulkOperation; unresolved?: ScimError } {
  const problems = new Set<string>();
  const resolve = (bulkId: string): string | undefined => {
    const resolution = ids.resolve(bulkId, operation.index);
    if ('id' in resolution) return resolution.id;
    problems.add(resolution.problem);
    return undefined;
  };

  let resolved: BulkOperation = operation;
  if (operation.method !== 'POST') {
    const bulkId = referenceIn(operation.id);
    const id = bulkId === undefined ? operation.id : resolve(bulkId);
    if (id !== undefined && id !== operation.id) resolved = { ...operation, id };
  }
  if ('data' in resolved) {
    const data = replaceIn(resolved.data, resolve) as JsonObject;
    if (data !== resolved.data) resolved = { ...resolved, data };
  }
  if (problems.size === 0) return { resolved };
  return { resolved, unresolved: conflict(`Operations[${operation.index}] refers to a resource that cannot be resolved: ${[...problems].join('; ')}`) };
}

/** Replaces the references in a JSON value; returns the very same value when nothing changed. */
function replaceIn(value: Json, resolve: (bulkId: string) => string | undefined): Json {
  if (typeof value === 'string') {
    const bulkId = referenceIn(value);
    return bulkId === undefined ? value : resolve(bulkId) ?? value;
  }
  if (Array.isArray(value)) {
    let copy: Json[] | undefined;
    value.forEach((element, i) => {
      const replaced = replaceIn(element, resolve);
      if (replaced !== element) (copy ??= [...value])[i] = replaced;
    });
    return copy ?? value;
  }
  if (isJsonObject(value)) {
    let copy: JsonObject | undefined;
    for (const [key, element] of Object.entries(value)) {
      const replaced = replaceIn(element, resolve);
      if (replaced !== element) (copy ??= { ...value })[key] = replaced;
    }
    return copy ?? value;
  }
  return value;
}

/** Whether a JSON value holds a reference anywhere (an operation that does waits for its POSTs to be written). */
export function mentionsBulkId(value: Json): boolean {
  if (typeof value === 'string') return value.startsWith(BULK_ID_PREFIX);
  if (Array.isArray(value)) return value.some(mentionsBulkId);
  if (isJsonObject(value)) return Object.values(value).some(mentionsBulkId);
  return false;
}

/** The operation's id in its path, when it is a plain id (not a reference). */
export const plainIdOf = (operation: BulkOperation): string | undefined =>
  operation.method === 'POST' || referenceIn(operation.id) !== undefined ? undefined : operation.id;
