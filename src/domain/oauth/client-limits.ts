/**
 * How many clients and secrets a tenant may hold. Each client is one identity provider
 * connection (one or two per tenant is the norm); each list is read whole, so the bounds keep
 * it small. Beyond them the admin API answers 400 saying which to remove first.
 */

/** Clients of one tenant. */
export const MAX_CLIENTS = 20;

/** Active secrets of one client: enough to rotate (the old and the new one) with room to spare. */
export const MAX_ACTIVE_SECRETS = 5;
