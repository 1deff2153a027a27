/**
 * What a bearer token authenticates as.
 *  - operator: a token of no tenant (the bootstrap token is one). Manages tenants, and acts with
 *    a service token's rights in every tenant.
 *  - service: a tenant's token for its identity provider; full provisioning rights there.
 *  - user: a tenant's token bound to one of its users; acts as that user there.
 * An OAuth access token (POST /oauth/token) is a service of its client's tenant with `clientId`
 * set, and its `tokenId` is the client's id, not the access token's: a client gets a new token
 * every hour, so what its requests are counted against (RATE_LIMIT_PER_TOKEN) and what its
 * events name as actor must be the client, or each new token would start afresh.
 */
export type Principal =
  | { readonly kind: 'operator'; readonly tokenId: string; readonly tokenName: string }
  | { readonly kind: 'service'; readonly tokenId: string; readonly tokenName: string; readonly tenantId: string; readonly clientId?: string }
  | { readonly kind: 'user'; readonly tokenId: string; readonly tokenName: string; readonly tenantId: string; readonly userId: string };

/** Whether the principal may act in the tenant at all: operators everywhere, others at home only. */
export const mayEnter = (principal: Principal, tenantId: string): boolean =>
  principal.kind === 'operator' || principal.tenantId === tenantId;

/** Operators and service tokens provision; a user-bound token has its user's rights (access.ts). */
export const isProvisioner = (principal: Principal): boolean => principal.kind !== 'user';

/** An OAuth client's access token: it provisions, but administers nothing (see domain/oauth/administration.ts). */
export const isOAuthClient = (principal: Principal): boolean => principal.kind === 'service' && principal.clientId !== undefined;
