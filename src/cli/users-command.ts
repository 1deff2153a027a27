import type { Application } from '../app/application';
import { ScimError } from '../scim/errors';
import { enterTenant } from './cli-context';
import { positional, UsageError } from './options';

/** `users restore <userName|id> [--tenant <id>]`: brings a soft-deleted user back, with its groups. */
export async function usersCommand(application: Application, args: readonly string[], print: (line: string) => void): Promise<void> {
  const [action, ...rest] = args;
  const [key] = positional(rest, ['--tenant']);
  if (action !== 'restore' || !key) throw new UsageError('Usage: users restore <userName|id> [--tenant <id>]');
  const directory = await enterTenant(application, rest);
  const { accounts, context } = directory;
  const restored = await accounts.restore({ id: key }, context.actor).catch((error: unknown) => {
    if (error instanceof ScimError && error.status === 404) return accounts.restore({ userName: key }, context.actor);
    throw error;
  }).catch((error: unknown) => {
    if (error instanceof ScimError && error.status === 404) throw new UsageError(`No deleted user has the id or userName ${JSON.stringify(key)}`);
    throw error;
  });
  print(`Restored user ${restored.id} (${String(restored.data.userName)}) with its group memberships.`);
}

/**
 * `purge`: in every tenant, under its settings (RETENTION_DELETED_DAYS / RETENTION_INACTIVE_DAYS
 * unless the tenant sets its own), erases users soft-deleted longer ago and soft-deletes users
 * Inactive for longer. The server runs the same daily.
 */
export async function purgeCommand(application: Application, print: (line: string) => void): Promise<void> {
  const sweeps = await application.retention.run();
  const names = (users: readonly { userName: string }[]) => (users.length ? `: ${users.map((u) => u.userName).join(', ')}` : '');
  for (const { tenantId, erased, deleted, deletedDays, inactiveDays } of sweeps) {
    print(`Tenant ${tenantId}: soft-deleted ${deleted.length} user(s) inactive for more than ${inactiveDays ?? '(off)'} days${names(deleted)}.`);
    print(`Tenant ${tenantId}: erased ${erased.length} user(s) deleted more than ${deletedDays ?? '(off)'} days ago${names(erased)}.`);
  }
}
