import { TENANT } from './sql-scope';
import type { StatementCache } from './statement-cache';

/** What resource_counts counts per tenant (counts-migration.ts): live users, soft-deleted users, groups. */
export type CountedKind = 'users' | 'deleted_users' | 'groups';

/**
 * The exact number of a tenant's resources of one kind, as the triggers of migration 9 keep it
 * in every write's transaction: one primary-key look-up, whatever the tenant's size. A tenant
 * that never had one has no row, which is 0.
 */
export function storedCount(statements: StatementCache, tenant: string, kind: CountedKind): number {
  const row = statements.get(`SELECT n FROM resource_counts WHERE tenant_id = ${TENANT} AND kind = ?`).get(kind, { tenant }) as { n: number } | undefined;
  return row?.n ?? 0;
}
