import type { Application } from '../app/application';
import { DEFAULT_TENANT_ID } from '../app/context';
import { toListQuery } from '../app/resources/list-query';
import { settings } from '../config/config';
import { ScimError } from '../scim/errors';
import { parseListRequest } from '../scim/list/list-request';
import { enterTenant } from './cli-context';
import { option, positional, UsageError } from './options';

const USAGE = 'Usage: users restore <userName|id> [--tenant <id>] | users deleted [--filter <filter>] [--count <n>] [--start-index <n>] [--tenant <id>]';
const LIST_OPTIONS = ['--tenant', '--filter', '--count', '--start-index'];
/** A page a terminal can show; --count asks for more, up to MAX_PAGE_SIZE's default. */
const DEFAULT_COUNT = 100;

/**
 * `users restore <userName|id> [--tenant <id>]`: brings a soft-deleted user back, with its groups.
 * `users deleted [--filter …] [--count n] [--start-index n] [--tenant <id>]`: a page of the
 * soft-deleted users as a table, in the order they were created (as GET /Users lists), with how
 * to restore one.
 */
export async function usersCommand(application: Application, args: readonly string[], print: (line: string) => void): Promise<void> {
  const [action, ...rest] = args;
  if (action === 'deleted') return deletedCommand(application, rest, print);
  const [key] = positional(rest, ['--tenant']);
  if (action !== 'restore' || !key) throw new UsageError(USAGE);
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

/** A client's mistake (a filter that does not parse, a count that is no number) as a usage error. */
const asUsage = (error: unknown): never => {
  if (error instanceof ScimError && error.status < 500) throw new UsageError(error.detail);
  throw error;
};

/** `users deleted`: one page of the tenant's soft-deleted users (userName, id, deletedAt). */
async function deletedCommand(application: Application, args: readonly string[], print: (line: string) => void): Promise<void> {
  const extra = positional(args, LIST_OPTIONS);
  if (extra.length > 0) throw new UsageError(`users deleted takes no ${JSON.stringify(extra[0])}: narrow the list with --filter, e.g. --filter 'userName sw "a"'. ${USAGE}`);
  const params = { filter: option(args, '--filter'), count: option(args, '--count') ?? String(DEFAULT_COUNT), startIndex: option(args, '--start-index') };
  let request: ReturnType<typeof parseListRequest>;
  try {
    request = parseListRequest(application.registry.user, params, settings.maxPageSize.fallback);
  } catch (error) {
    return asUsage(error);
  }
  const directory = await enterTenant(application, args);
  const page = await directory.accounts.listDeleted(toListQuery(request), directory.context.actor).catch(asUsage);
  const tenant = directory.context.tenant.id;
  if (page.total === 0) return print(`No deleted users${params.filter ? ' match the filter' : ''} in tenant ${tenant}.`);
  if (page.items.length > 0) {
    const rows = [['userName', 'id', 'deletedAt'], ...page.items.map((u) => [String(u.data.userName), u.id, u.deletedAt])];
    const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column].length)));
    for (const row of rows) print(`${row[0].padEnd(widths[0])}  ${row[1].padEnd(widths[1])}  ${row[2]}`);
  }
  const first = request.startIndex;
  const last = first + page.items.length - 1;
  const next = last < page.total ? `; the next page: --start-index ${last + 1}` : '';
  print(`${page.items.length ? `Deleted users ${first}–${last} of ${page.total}` : `No deleted users from ${first} on (${page.total} in all)`} in tenant ${tenant}${next}.`);
  print(`Restore one with: npm run cli -- users restore <userName|id>${tenant === DEFAULT_TENANT_ID ? '' : ` --tenant ${tenant}`}`);
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
