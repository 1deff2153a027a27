import type { Application } from '../app/application';
import type { Tokens } from '../app/tokens';
import { parseDuration } from '../config/duration';
import { enterTenant } from './cli-context';
import { option, positional, UsageError } from './options';

export { UsageError };

const USAGE = 'Usage: tokens create --name <name> [--expires-in 90d] [--tenant <id> | --operator] | tokens list [--tenant <id> | --operator] | tokens revoke <id> [--tenant <id> | --operator]';

/**
 * `tokens create|list|revoke`: a tenant's service tokens (`--tenant`, default the built-in
 * tenant), or with `--operator` the operator tokens, which manage tenants and act in all of
 * them. Output goes to `print`.
 */
export async function tokensCommand(application: Application, args: readonly string[], print: (line: string) => void): Promise<void> {
  const [action, ...rest] = args;
  if (!['create', 'list', 'revoke'].includes(action)) throw new UsageError(USAGE);
  if (rest.includes('--operator') && rest.includes('--tenant')) throw new UsageError('Give --tenant or --operator, not both: an operator token belongs to no tenant');
  const tokens: Tokens = rest.includes('--operator') ? application.operatorTokens : (await enterTenant(application, rest)).tokens;
  switch (action) {
    case 'create': {
      const name = option(rest, '--name');
      if (!name) throw new UsageError('tokens create needs --name <name>, e.g. --name okta');
      const expiresText = option(rest, '--expires-in');
      const expiresIn = expiresText === undefined ? undefined : parseDuration(expiresText);
      if (expiresText !== undefined && expiresIn === undefined) throw new UsageError('--expires-in takes a duration such as 90d, 12h or 30m (at most 1000 years)');
      const { token, secret } = await tokens.create(name, expiresIn);
      const scope = token.tenantId === undefined ? 'operator token' : `service token of tenant ${token.tenantId}`;
      print(`Created ${scope} ${token.id} (${token.name})${token.expires ? `, expires ${token.expires}` : ''}.`);
      print('Copy it now: it is shown only this once.');
      print(secret);
      return;
    }
    case 'list':
      for (const t of await tokens.list()) {
        const state = t.revoked ? `revoked ${t.revoked}` : t.expires && Date.parse(t.expires) < Date.now() ? `expired ${t.expires}` : 'active';
        print([t.id, t.bootstrap ? `${t.name} (SCIM_BOOTSTRAP_TOKEN)` : t.name, `created ${t.created}`, t.expires ? `expires ${t.expires}` : 'no expiry', `last used ${t.lastUsed ?? 'never'}`, state].join('  '));
      }
      return;
    case 'revoke': {
      const [id] = positional(rest, ['--tenant']);
      if (!id) throw new UsageError('tokens revoke needs the token id (see tokens list)');
      if (!(await tokens.revoke(id))) throw new UsageError(`No token has the id ${id} here (a tenant's tokens need its --tenant; operator tokens need --operator)`);
      print(`Revoked token ${id}.`);
      return;
    }
  }
}
