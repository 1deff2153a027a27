import type { Principal } from '../domain/principal';
import type { TenantPolicy } from '../domain/tenancy';

// What the HTTP layer and the CLI may name of the layers below, without importing them.
export type { Principal } from '../domain/principal';
export { DEFAULT_TENANT_ID, isTenantId, TENANT_ID_RULE } from '../domain/tenancy';
export type { ChangeEvent, EventPage } from '../store/port';

/** The tenant a request acts in, its policy resolved. */
export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly policy: TenantPolicy;
}

/**
 * The one context every use case receives: which tenant's data, who is acting, and which
 * request this is (for the log). Built once per request after authentication (http), or by
 * the CLI with an operator principal.
 */
export interface RequestContext {
  readonly tenant: Tenant;
  readonly actor: Principal;
  readonly requestId: string;
}
