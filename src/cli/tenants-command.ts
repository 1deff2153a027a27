import type { Application } from '../app/application';
import type { TenantView } from '../app/tenants';
import { ScimError } from '../scim/errors';
import { CLI_PRINCIPAL } from './cli-context';
import { option, positional, UsageError } from './options';

const USAGE = 'Usage: tenants create <id> [--name <name>] | tenants list | tenants show <id> | tenants delete <id> [--force]';
const PAGE = 100;

const describe = (t: TenantView) => [t.id, JSON.stringify(t.name), `created ${t.created}`, t.status].join('  ');

/** `tenants create|list|show|delete`: the tenant registry, as an operator. */
export async function tenantsCommand(application: Application, args: readonly string[], print: (line: string) => void): Promise<void> {
  const [action, ...rest] = args;
  const [id] = positional(rest, ['--name']);
  const admin = application.tenants;
  const needId = () => {
    if (!id) throw new UsageError(`tenants ${action} needs the tenant id`);
    return id;
  };
  try {
    switch (action) {
      case 'create': {
        const name = option(rest, '--name');
        const tenant = await admin.create(CLI_PRINCIPAL, { id: needId(), ...(name === undefined ? {} : { name }) });
        print(`Created tenant ${tenant.id} (${tenant.name}). Give it a token: npm run cli -- tokens create --tenant ${tenant.id} --name <name>`);
        return;
      }
      case 'list':
        for (let start = 1; ; start += PAGE) {
          const page = await admin.list(CLI_PRINCIPAL, start, PAGE);
          page.items.forEach((t) => print(describe(t)));
          if (page.items.length < PAGE) return;
        }
      case 'show':
        print(JSON.stringify(await admin.get(CLI_PRINCIPAL, needId()), null, 2));
        return;
      case 'delete':
        await admin.delete(CLI_PRINCIPAL, needId(), rest.includes('--force'));
        print(`Deleted tenant ${id}${rest.includes('--force') ? ' and everything in it' : ''}.`);
        return;
      default:
        throw new UsageError(USAGE);
    }
  } catch (error) {
    // The use cases' refusals (unknown tenant, taken id, data left) are the operator's to fix.
    if (error instanceof ScimError && error.status < 500) throw new UsageError(error.detail.replace('send DELETE /admin/tenants/' + id + '?force=true', 'add --force'));
    throw error;
  }
}
