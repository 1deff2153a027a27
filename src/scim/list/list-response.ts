import type { JsonObject } from '../values/json';

export const LIST_RESPONSE_URN = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/** RFC 7644 §3.4.2: the three numbers are JSON integers; Resources is the page as served. */
export function listResponse(totalResults: number, startIndex: number, resources: readonly JsonObject[]): JsonObject {
  return {
    schemas: [LIST_RESPONSE_URN],
    totalResults,
    startIndex,
    itemsPerPage: resources.length,
    Resources: [...resources],
  };
}

/**
 * A cursor-paginated page (RFC 9865 §2): no startIndex; `nextCursor` on every page but the last
 * (its absence is how a client knows it has everything). Roster offers no previousCursor, which
 * the RFC leaves optional. totalResults stays exact, as RFC 7644 §3.4.2 asks.
 */
export function cursorListResponse(totalResults: number, resources: readonly JsonObject[], nextCursor: string | undefined): JsonObject {
  return {
    schemas: [LIST_RESPONSE_URN],
    totalResults,
    itemsPerPage: resources.length,
    ...(nextCursor === undefined ? {} : { nextCursor }),
    Resources: [...resources],
  };
}
