/**
 * What a bearer token authenticates as.
 *  - operator: a token of no tenant (the bootstrap token is one). Manages tenants, and acts with
 *    a service token's rights in every tenant.
 *  - service: a tenant's token for its identity provider; full provisioning rights there.
 *  - user: a tenant's token bound to one of its users; acts as that user there.
 */
export type Principal =
  | { readonly kind: 'operator'; readonly tokenId: string; readonly tokenName: string }
  | { readonly kind: 'service'; readonly tokenId: string; readonly tokenName: string; readonly tenantId: string }
  | { readonly kind: 'user'; readonly tokenId: string; readonly tokenName: string; readonly tenantId: string; readonly userId: string };

/** Whether the principal may act in the tenant at all: operators everywhere, others at home only. */
export const mayEnter = (principal: Principal, tenantId: string): boolean =>
  principal.kind === 'operator' || principal.tenantId === tenantId;

/** Operators and service tokens provision; a user-bound token has its user's rights (access.ts). */
export const isProvisioner = (principal: Principal): boolean => principal.kind !== 'user';
