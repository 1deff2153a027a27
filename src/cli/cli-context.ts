import type { Application } from '../app/application';
import { DEFAULT_TENANT_ID, isTenantId, TENANT_ID_RULE, type Principal } from '../app/context';
import type { Directory } from '../app/directory';
import { ScimError } from '../scim/errors';
import { option, UsageError } from './options';

/** The CLI acts as an operator: it runs on the server's own machine, against its store. */
export const CLI_PRINCIPAL: Principal = { kind: 'operator', tokenId: 'cli', tokenName: 'cli' };

/** `--tenant <id>`, or the built-in tenant. */
export function tenantOption(args: readonly string[]): string {
  const tenantId = option(args, '--tenant') ?? DEFAULT_TENANT_ID;
  if (!isTenantId(tenantId)) throw new UsageError(`--tenant takes a tenant id: ${TENANT_ID_RULE}`);
  return tenantId;
}

/** The directory of the tenant `--tenant` names (default: the built-in one). */
export async function enterTenant(application: Application, args: readonly string[]): Promise<Directory> {
  const tenantId = tenantOption(args);
  return application.enter(CLI_PRINCIPAL, tenantId, 'cli').catch((error: unknown) => {
    if (error instanceof ScimError && error.status === 404) throw new UsageError(`There is no tenant ${JSON.stringify(tenantId)} (see: tenants list)`);
    throw error;
  });
}
