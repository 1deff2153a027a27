import { checkTenantAdministrator } from '../access';
import { isOAuthClient, type Principal } from '../principal';
import { forbidden } from '../../scim/errors';

/**
 * An access token provisions (SCIM, and restoring a user, which is a provisioning write) and
 * does nothing else: it must not mint credentials that outlive it (clients, secrets, user
 * tokens), send the tenant's events elsewhere (webhooks) or read the audit trail. So a leaked
 * access token is worth one hour of provisioning, and a client cannot keep itself alive after
 * its secret is revoked. Administration needs an operator token or a static service token.
 */
export function checkNotOAuthClient(principal: Principal, what: string): void {
  if (isOAuthClient(principal)) {
    throw forbidden(`An OAuth access token may only provision (SCIM); use an operator token or a service token of the tenant to ${what}`);
  }
}

/** OAuth clients and their secrets: the tenant's administrators (operator and static service tokens). */
export function checkClientAdministrator(principal: Principal): void {
  checkTenantAdministrator(principal, 'manage OAuth clients');
  checkNotOAuthClient(principal, 'manage OAuth clients');
}
