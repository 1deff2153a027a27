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
