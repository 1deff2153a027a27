import { checkTenantAdministrator } from '../access';
import type { Principal } from '../principal';

/** OAuth clients and their secrets: the tenant's administrators (operator and static service tokens). */
export function checkClientAdministrator(principal: Principal): void {
  checkTenantAdministrator(principal, 'manage OAuth clients');
}
