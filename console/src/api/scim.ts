import { call, type Answer, type Query } from './http';

export const GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const ACCOUNT_URN = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Account';
export const LOCALIZATION_URN = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Localization';
export const PATCH_URN = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const MEMBERS_PAGE_URN = 'urn:ietf:params:scim:api:messages:roster:2.0:MembersPage';

/** A SCIM resource as the server renders it (what an identity provider sees). */
export type Resource = Record<string, unknown> & { id: string; meta?: { version?: string; created?: string; lastModified?: string; location?: string; deleted?: string } };

export interface ListPage<T = Resource> {
  readonly totalResults: number;
  readonly startIndex?: number;
  readonly itemsPerPage: number;
  readonly Resources?: T[];
  readonly nextCursor?: string;
}

export interface ListParameters {
  readonly filter?: string;
  readonly sortBy?: string;
  readonly sortOrder?: 'ascending' | 'descending';
  readonly startIndex?: number;
  readonly count?: number;
  readonly attributes?: string;
  readonly excludedAttributes?: string;
}

export interface PatchOperation {
  readonly op: 'add' | 'remove' | 'replace';
  readonly path?: string;
  readonly value?: unknown;
}

export type Endpoint = 'Users' | 'Groups';

/** A SCIM string literal for a filter: quotes and backslashes escaped (RFC 7644 §3.4.2.2 uses JSON strings). */
export const literal = (text: string): string => JSON.stringify(text);

/**
 * One tenant's SCIM API, exactly as an identity provider calls it: `base` is the tenant's SCIM
 * base path (e.g. /scim/v2 or /scim/v2/tenants/acme).
 */
export class ScimApi {
  constructor(private readonly token: string, readonly base: string) {}

  list(endpoint: Endpoint, parameters: ListParameters = {}): Promise<ListPage> {
    return call<ListPage>(this.token, 'GET', `${this.base}/${endpoint}`, { query: parameters as Query }).then((a) => a.body);
  }

  get(endpoint: Endpoint, id: string, query: Query = {}): Promise<Answer<Resource>> {
    return call<Resource>(this.token, 'GET', `${this.base}/${endpoint}/${encodeURIComponent(id)}`, { query });
  }

  create(endpoint: Endpoint, resource: Record<string, unknown>): Promise<Resource> {
    return call<Resource>(this.token, 'POST', `${this.base}/${endpoint}`, { body: resource }).then((a) => a.body);
  }

  replace(endpoint: Endpoint, id: string, resource: Record<string, unknown>, etag?: string): Promise<Answer<Resource>> {
    return call<Resource>(this.token, 'PUT', `${this.base}/${endpoint}/${encodeURIComponent(id)}`, { body: resource, headers: etag ? { 'If-Match': etag } : {} });
  }

  /** A PATCH; asks for the representation, so the view shows what the server now holds. */
  patch(endpoint: Endpoint, id: string, operations: readonly PatchOperation[], options: { etag?: string; query?: Query } = {}): Promise<Answer<Resource | undefined>> {
    const headers: Record<string, string> = { Prefer: 'return=representation' };
    if (options.etag) headers['If-Match'] = options.etag;
    return call<Resource | undefined>(this.token, 'PATCH', `${this.base}/${endpoint}/${encodeURIComponent(id)}`, {
      body: { schemas: [PATCH_URN], Operations: operations }, headers, query: options.query,
    });
  }

  remove(endpoint: Endpoint, id: string): Promise<void> {
    return call<undefined>(this.token, 'DELETE', `${this.base}/${endpoint}/${encodeURIComponent(id)}`).then(() => undefined);
  }
}
