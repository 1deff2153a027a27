/**
 * One path type serves filters, PATCH paths, sortBy and attributes/excludedAttributes.
 *
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value` parses to
 * `{ schema: "urn:…:User", attribute: "manager", subAttribute: "value" }`.
 * Names keep the case they were written in; resolving against a schema is case-insensitive.
 */
export interface AttributePath {
  /** Schema URN the attribute was qualified with, if any. */
  readonly schema?: string;
  readonly attribute: string;
  readonly subAttribute?: string;
}

/** The text form of a path, as a client would write it. */
export function formatPath(path: AttributePath): string {
  const head = path.schema ? `${path.schema}:${path.attribute}` : path.attribute;
  return path.subAttribute ? `${head}.${path.subAttribute}` : head;
}
