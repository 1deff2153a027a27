import type { ListRequest } from '../../scim/list/list-request';
import type { Projection } from '../../scim/projection';
import type { ResourceSnapshot } from '../../scim/resource/render';
import type { ResourceType } from '../../scim/schema/definitions';
import type { JsonObject } from '../../scim/values/json';
import type { BatchResult, ExpectedVersion, Page } from '../../store/port';

/**
 * The use cases of one resource type (Users, Groups) in one tenant, for one request's actor
 * (see directory.ts). Each method is a short sequence of protocol and domain steps; rendering
 * fetches computed attributes (groups, members) for a whole page at once, and only when the
 * projection returns them.
 */
export interface ResourceEndpoint {
  readonly type: ResourceType;
  list(request: ListRequest): Promise<Page<ResourceSnapshot>>;
  get(id: string): Promise<ResourceSnapshot>;
  create(body: JsonObject): Promise<ResourceSnapshot>;
  /**
   * Creates many, each exactly as `create` would (same validation, rules and errors), written
   * together for an import (POST /Bulk); each body to its result, in order. Absent: a type
   * whose creates are made one at a time.
   */
  createMany?(bodies: readonly JsonObject[]): Promise<readonly BatchResult<ResourceSnapshot>[]>;
  replace(id: string, body: JsonObject, expected: ExpectedVersion): Promise<ResourceSnapshot>;
  patch(id: string, body: JsonObject, expected: ExpectedVersion): Promise<ResourceSnapshot>;
  delete(id: string, expected: ExpectedVersion): Promise<void>;
  render(resources: readonly ResourceSnapshot[], projection: Projection, baseUrl: string): Promise<JsonObject[]>;
}
