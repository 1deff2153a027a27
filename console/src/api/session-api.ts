import { call } from './http';

/** Who the pasted token is (GET /admin/whoami). */
export interface Whoami {
  readonly kind: 'operator' | 'service' | 'user';
  readonly tokenName: string;
  /** The token's tenant; absent for operators, who may enter every tenant. */
  readonly tenantId?: string;
  /** A user-bound token's user. */
  readonly userId?: string;
  /** SCIM_BASE_PATH: a tenant's SCIM API is here (built-in tenant) or at {scimBasePath}/tenants/{id}. */
  readonly scimBasePath: string;
}

export const whoami = (token: string): Promise<Whoami> => call<Whoami>(token, 'GET', '/admin/whoami').then((a) => a.body);

/** The built-in tenant, served at the SCIM base path itself. */
export const DEFAULT_TENANT = 'default';

export const scimPathOf = (me: Whoami, tenantId: string): string =>
  tenantId === DEFAULT_TENANT ? me.scimBasePath : `${me.scimBasePath}/tenants/${encodeURIComponent(tenantId)}`;

/** A tenant's admin API: /admin/tenants/{id}/… works for every tenant, the built-in one included. */
export const adminPathOf = (tenantId: string): string => `/admin/tenants/${encodeURIComponent(tenantId)}`;
