import type { ResourceType } from '../schema/definitions';
import type { JsonObject } from '../values/json';

/** What the protocol layer needs of a stored resource (the store's records have this shape). */
export interface ResourceSnapshot {
  readonly id: string;
  readonly created: string;
  readonly lastModified: string;
  readonly version: number;
  readonly data: JsonObject;
}

export interface Reference {
  readonly id: string;
  readonly display?: string;
}

/** The weak ETag of a version: changes on every write (RFC 7644 §3.14). */
export const etagOf = (version: number): string => `W/"${version}"`;

/**
 * Serialises a stored resource to its SCIM JSON straight from stored data: no scimmy coercion
 * on the way out (measured at ~0.25 ms a resource, 100× plain JSON). Key order follows the
 * RFC examples: schemas, id, externalId, attributes, computed references, meta.
 */
export function renderResource(
  resourceType: ResourceType,
  resource: ResourceSnapshot,
  baseUrl: string,
  computed: JsonObject = {},
): JsonObject {
  const { externalId, ...attributes } = resource.data;
  const extensionIds = resourceType.extensions.map((e) => e.schema.id).filter((id) => id in resource.data);
  return {
    schemas: [resourceType.core.id, ...extensionIds],
    id: resource.id,
    ...(externalId !== undefined ? { externalId } : {}),
    ...attributes,
    ...computed,
    meta: {
      resourceType: resourceType.name,
      created: resource.created,
      lastModified: resource.lastModified,
      location: `${baseUrl}${resourceType.endpoint}/${resource.id}`,
      version: etagOf(resource.version),
    },
  };
}

/** User.groups (RFC 7643 §4.1.2): direct memberships, read-only. */
export const groupsAttribute = (groups: readonly Reference[], baseUrl: string): JsonObject => ({
  groups: groups.map((g) => ({ value: g.id, $ref: `${baseUrl}/Groups/${g.id}`, ...(g.display ? { display: g.display } : {}), type: 'direct' })),
});

/** Group.members (RFC 7643 §4.2): users only. */
export const membersAttribute = (members: readonly Reference[], baseUrl: string): JsonObject => ({
  members: members.map((m) => ({ value: m.id, $ref: `${baseUrl}/Users/${m.id}`, ...(m.display ? { display: m.display } : {}), type: 'User' })),
});
