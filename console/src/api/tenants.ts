import { call } from './http';

/** The per-tenant policy (src/domain/tenancy.ts): a setting left out follows the server's default. */
export interface TenantSettings {
  readonly maxRoles?: number;
  readonly usernameImmutable?: boolean;
  readonly requiredUserAttributes?: string[];
  readonly usernameFormat?: 'any' | 'email';
  readonly retentionDeletedDays?: number | 'off';
  readonly retentionInactiveDays?: number | 'off';
}

export type SettingName = keyof TenantSettings;

/** A tenant as GET /admin/tenants/{id} shows it. */
export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly created: string;
  readonly lastModified: string;
  /** What the tenant sets itself. */
  readonly settings: TenantSettings;
  /** Every setting resolved over the server's defaults (a retention sweep that is off is "off"). */
  readonly effectiveSettings: Required<TenantSettings>;
  readonly status: 'active' | 'deleting';
  /** The SCIM base URL its identity provider is given. */
  readonly scimUrl: string;
}

export interface TenantList {
  readonly totalResults: number;
  readonly startIndex: number;
  readonly itemsPerPage: number;
  readonly tenants: Tenant[];
}

/** A service token's metadata: never its secret. */
export interface ServiceToken {
  readonly id: string;
  readonly name: string;
  readonly created: string;
  readonly expires: string | null;
  readonly lastUsed: string | null;
  readonly revoked: string | null;
}

/** The answer to a new token: the secret (`token`) is in it this once only. */
export type NewServiceToken = ServiceToken & { readonly tenantId: string; readonly token: string };

/** A change of settings: a value sets it, null returns it to the server's default. */
export type SettingsChange = { [K in SettingName]?: unknown };

const TENANTS = '/admin/tenants';
const one = (id: string) => `${TENANTS}/${encodeURIComponent(id)}`;

export const listTenants = (token: string, startIndex: number, count: number): Promise<TenantList> =>
  call<TenantList>(token, 'GET', TENANTS, { query: { startIndex, count } }).then((a) => a.body);

export const getTenant = (token: string, id: string): Promise<Tenant> =>
  call<Tenant>(token, 'GET', one(id)).then((a) => a.body);

export const createTenant = (token: string, tenant: { id: string; name?: string }): Promise<Tenant> =>
  call<Tenant>(token, 'POST', TENANTS, { body: tenant }).then((a) => a.body);

export const updateTenant = (token: string, id: string, change: { name?: string; settings?: SettingsChange }): Promise<Tenant> =>
  call<Tenant>(token, 'PATCH', one(id), { body: change }).then((a) => a.body);

/** Refused (409) while the tenant holds users or groups, unless `force` erases everything in it. */
export const deleteTenant = (token: string, id: string, force = false): Promise<void> =>
  call<undefined>(token, 'DELETE', one(id), { query: { force: force ? 'true' : undefined } }).then(() => undefined);

export const listServiceTokens = (token: string, id: string): Promise<ServiceToken[]> =>
  call<{ tokens: ServiceToken[] }>(token, 'GET', `${one(id)}/tokens`).then((a) => a.body.tokens);

/** `expiresIn` is a duration such as 90d, 12h or 30m; without it the token does not expire. */
export const createServiceToken = (token: string, id: string, request: { name: string; expiresIn?: string }): Promise<NewServiceToken> =>
  call<NewServiceToken>(token, 'POST', `${one(id)}/tokens`, { body: request }).then((a) => a.body);

export const revokeServiceToken = (token: string, id: string, tokenId: string): Promise<void> =>
  call<undefined>(token, 'DELETE', `${one(id)}/tokens/${encodeURIComponent(tokenId)}`).then(() => undefined);
