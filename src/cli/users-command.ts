import type { Config } from '../config/config';
import type { Principal } from '../domain/tokens';
import { accountPolicyOf, Users } from '../domain/users';
import { ScimError } from '../scim/errors';
import type { Store } from '../store/port';
import { UsageError } from './tokens-command';

/** The CLI acts with a service principal: it runs on the server's own machine and store. */
export const CLI_PRINCIPAL: Principal = { kind: 'service', tokenId: 'cli', tokenName: 'cli' };

export const accountsOf = (store: Store, config: Config) =>
  new Users(store, accountPolicyOf(config));

/** `users restore <userName|id>`: brings a soft-deleted user back, with its groups. */
export async function usersCommand(store: Store, config: Config, args: readonly string[], print: (line: string) => void): Promise<void> {
  const [action, key] = args;
  if (action !== 'restore' || !key) throw new UsageError('Usage: users restore <userName|id>');
  const users = accountsOf(store, config);
  const restored = await users.restore({ id: key }, CLI_PRINCIPAL).catch((error: unknown) => {
    if (error instanceof ScimError && error.status === 404) return users.restore({ userName: key }, CLI_PRINCIPAL);
    throw error;
  }).catch((error: unknown) => {
    if (error instanceof ScimError && error.status === 404) throw new UsageError(`No deleted user has the id or userName ${JSON.stringify(key)}`);
    throw error;
  });
  print(`Restored user ${restored.id} (${String(restored.data.userName)}) with its group memberships.`);
}

/**
 * `purge`: erases users soft-deleted more than RETENTION_DELETED_DAYS ago and soft-deletes users
 * Inactive for more than RETENTION_INACTIVE_DAYS (when set). The server runs the same daily.
 */
export async function purgeCommand(store: Store, config: Config, print: (line: string) => void): Promise<void> {
  const { erased, deleted } = await accountsOf(store, config).purge({ deletedDays: config.retentionDeletedDays, inactiveDays: config.retentionInactiveDays });
  print(`Soft-deleted ${deleted.length} user(s) inactive for more than ${config.retentionInactiveDays ?? '(off)'} days${deleted.length ? `: ${deleted.map((u) => u.userName).join(', ')}` : ''}.`);
  print(`Erased ${erased.length} user(s) deleted more than ${config.retentionDeletedDays ?? '(off)'} days ago${erased.length ? `: ${erased.map((u) => u.userName).join(', ')}` : ''}.`);
}
