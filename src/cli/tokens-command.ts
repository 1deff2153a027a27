import { Tokens } from '../domain/tokens';
import type { Store } from '../store/port';
import { parseDuration } from '../config/duration';

export class UsageError extends Error {}

/** `tokens create --name N [--expires-in 90d]`, `tokens list`, `tokens revoke <id>`. Output goes to `print`. */
export async function tokensCommand(store: Store, args: readonly string[], print: (line: string) => void): Promise<void> {
  const tokens = new Tokens(store.tokens);
  const [action, ...rest] = args;
  switch (action) {
    case 'create': {
      const name = option(rest, '--name');
      if (!name) throw new UsageError('tokens create needs --name <name>, e.g. --name okta');
      const expiresText = option(rest, '--expires-in');
      const expiresIn = expiresText === undefined ? undefined : parseDuration(expiresText);
      if (expiresText !== undefined && expiresIn === undefined) throw new UsageError('--expires-in takes a duration such as 90d, 12h or 30m (at most 1000 years)');
      const { token, secret } = await tokens.create(name, expiresIn);
      print(`Created token ${token.id} (${token.name})${token.expires ? `, expires ${token.expires}` : ''}.`);
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
      const id = rest[0];
      if (!id) throw new UsageError('tokens revoke needs the token id (see tokens list)');
      if (!(await tokens.revoke(id))) throw new UsageError(`No token has the id ${id}`);
      print(`Revoked token ${id}.`);
      return;
    }
    default:
      throw new UsageError('Usage: tokens create --name <name> [--expires-in 90d] | tokens list | tokens revoke <id>');
  }
}

/** The value after `name`; a following flag (`--name --expires-in 90d`) is not a value. */
function option(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index < 0) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--') || value.trim() === '') throw new UsageError(`${name} needs a value`);
  return value;
}
