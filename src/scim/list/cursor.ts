import { createHash } from 'node:crypto';
import { invalidCursor } from '../errors';
import type { ResolvedAttribute } from '../schema/resolve-attribute';

/**
 * RFC 9865 cursors. A cursor is opaque to clients: base64url (RFC 4648 §5, unpadded, so only
 * RFC 3986 unreserved characters) of a small JSON document holding
 *   - `p`, the position: the order keys of the last resource served (store/port.ts ListPosition),
 *     from which the next page continues by a keyset condition;
 *   - `q`, a fingerprint of the query it belongs to (resource type, filter, sortBy, sortOrder),
 *     so a cursor sent with another query is refused rather than read in the wrong order;
 *   - `c`, a check over both, so a cursor altered or damaged on the way is refused.
 *
 * Cursors are deliberately unsigned: every Roster instance sharing the store must accept every
 * other's cursors, and there is no shared secret to sign with (a per-process key would break
 * that; none is configured). They need none: a cursor carries no state, grants nothing and is
 * validated in full, and every page still runs the request's own filter (and hides deleted
 * users) under the caller's own authorization. Someone who forges a well-formed cursor, check
 * included, can only choose where in the filtered, ordered results the page starts, which
 * index pagination already lets any client do; the store refuses a position that does not fit
 * its order (InvalidPosition). Cursors hold no time and so never expire (no cursorTimeout, and
 * no expiredCursor answer): they stay valid as long as the query is the same.
 */

/** One order key of a position (store/port.ts ListKey, restated so this layer does not import the store). */
export type CursorKey = string | number | boolean | null;

/** What identifies the query a cursor belongs to; the same query gives the same fingerprint. */
export interface CursorQuery {
  readonly resourceType: string;
  /** The filter as given (trimmed); '' for none. */
  readonly filter: string;
  readonly sort?: { readonly attribute: ResolvedAttribute; readonly descending: boolean };
  /**
   * Whose data the query reads (a tenant id): a cursor issued in one scope is refused in
   * another. Undefined for the built-in tenant, whose cursors predate scopes and stay valid.
   */
  readonly scope?: string;
}

/** Longest cursor read: far above any real one (a position is a few keys), far below a URL limit. */
export const MAX_CURSOR_LENGTH = 8192;
const MAX_KEYS = 8;
const VERSION = 1;

const digest = (value: unknown, length: number) =>
  createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, length);

export function queryFingerprint(query: CursorQuery): string {
  const sort = query.sort ? [query.sort.attribute.jsonPath.join('.'), query.sort.descending ? 'descending' : 'ascending'] : [];
  const scope = query.scope === undefined ? [] : ['scope', query.scope];
  return digest(['roster-cursor', query.resourceType, query.filter, ...sort, ...scope], 22);
}

const checkOf = (fingerprint: string, position: readonly CursorKey[]) => digest([fingerprint, position], 11);

export function encodeCursor(fingerprint: string, position: readonly CursorKey[]): string {
  if (position.length === 0 || position.length > MAX_KEYS || !position.every(isKey)) {
    throw new Error(`cannot encode a cursor for the position ${JSON.stringify(position)}`);
  }
  return Buffer.from(JSON.stringify({ v: VERSION, q: fingerprint, p: position, c: checkOf(fingerprint, position) })).toString('base64url');
}

/**
 * The position a cursor continues from; [] for the empty cursor, which starts cursor pagination
 * (RFC 9865 §2). Anything else that is not a cursor this server issued for this very query is
 * 400 invalidCursor, with a detail for the client's developer.
 */
export function decodeCursor(cursor: unknown, fingerprint: string): readonly CursorKey[] {
  if (typeof cursor !== 'string') throw invalidCursor('cursor must be a string: empty for the first page, then the nextCursor of the previous page');
  if (cursor === '') return [];
  const unreadable = () => invalidCursor('The cursor is not one this server issued (it cannot be read); send the nextCursor of the previous page unchanged, or an empty cursor to start again');
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw unreadable();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw unreadable();
  }
  if (!isCursorDocument(decoded)) throw unreadable();
  if (decoded.c !== checkOf(decoded.q, decoded.p)) {
    throw invalidCursor('The cursor was altered or damaged; send the nextCursor of the previous page unchanged, or an empty cursor to start again');
  }
  if (decoded.q !== fingerprint) {
    throw invalidCursor('The cursor belongs to another query: send the filter, sortBy and sortOrder of the request that returned it, unchanged, to the same resource type (or an empty cursor to start this query)');
  }
  return decoded.p;
}

interface CursorDocument {
  readonly v: number;
  readonly q: string;
  readonly p: readonly CursorKey[];
  readonly c: string;
}

function isCursorDocument(value: unknown): value is CursorDocument {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { v, q, p, c } = value as Record<string, unknown>;
  return v === VERSION && typeof q === 'string' && typeof c === 'string'
    && Array.isArray(p) && p.length > 0 && p.length <= MAX_KEYS && p.every(isKey);
}

const isKey = (value: unknown): value is CursorKey =>
  value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
