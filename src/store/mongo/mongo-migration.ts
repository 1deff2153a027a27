import type { Logger } from '../../logger';
import { DEFAULT_TENANT_ID } from '../port';
import { COLLECTIONS } from './documents';
import { LEGACY_INDEXES } from './indexes';
import { createIndexes, type Collections, type Models } from './models';
import { ensureDefaultTenant } from './mongo-tenants';
import { BOOTSTRAP } from './mongo-tokens';

/** The server's answers to dropping an index that does not exist (IndexNotFound, NamespaceNotFound). */
const NOTHING_TO_DROP = new Set<unknown>([27, 26]);

/**
 * Readies a database for this version, at every start-up; each step is idempotent, so several
 * instances may run it at once and an interrupted run is finished by the next:
 *   1. documents written before tenants existed (no `tenantId` field) join `default`, except the
 *      bootstrap tokens, which become operator tokens (tenantId null): tokens first, bootstrap
 *      ones before the rest;
 *   2. the built-in tenant `default` is registered;
 *   3. the tenant-leading indexes are built (their unique keys already hold: step 1 gave every
 *      old document the same tenant, and the old indexes made the rest unique);
 *   4. the single-tenant indexes are dropped: from here on the same userName may live in two
 *      tenants. Dropped after step 3, so a unique index guards every key at every moment.
 * An instance of the previous version writing meanwhile would write documents without a
 * tenant: upgrade by stopping them all first (a restart of this version adopts any such document).
 */
export async function prepareDatabase(models: Models, collections: Collections, logger: Logger): Promise<void> {
  await adoptTenantlessDocuments(collections, logger);
  await ensureDefaultTenant(collections.tenants);
  await createIndexes(models, collections, logger);
  await dropLegacyIndexes(collections, logger);
}

export async function adoptTenantlessDocuments(c: Collections, logger: Logger): Promise<void> {
  const tenantless = { tenantId: { $exists: false } } as const;
  const moved = {
    operatorTokens: (await c.tokens.updateMany({ ...tenantless, ...BOOTSTRAP }, { $set: { tenantId: null } })).modifiedCount,
    tokens: (await c.tokens.updateMany(tenantless, { $set: { tenantId: DEFAULT_TENANT_ID } })).modifiedCount,
    memberships: (await c.memberships.updateMany(tenantless, { $set: { tenantId: DEFAULT_TENANT_ID } })).modifiedCount,
    users: (await c.users.updateMany(tenantless, { $set: { tenantId: DEFAULT_TENANT_ID } })).modifiedCount,
    groups: (await c.groups.updateMany(tenantless, { $set: { tenantId: DEFAULT_TENANT_ID } })).modifiedCount,
  };
  if (Object.values(moved).some((count) => count > 0)) logger.info('MongoDB: documents written before tenants moved into the default tenant', moved);
}

export async function dropLegacyIndexes(c: Collections, logger: Logger): Promise<void> {
  const byName = { [COLLECTIONS.users]: c.users, [COLLECTIONS.groups]: c.groups, [COLLECTIONS.memberships]: c.memberships, [COLLECTIONS.tokens]: c.tokens } as const;
  for (const { collection, name } of LEGACY_INDEXES) {
    try {
      await byName[collection as keyof typeof byName].dropIndex(name);
      logger.info('MongoDB: dropped a single-tenant index', { collection, index: name });
    } catch (error) {
      if (!NOTHING_TO_DROP.has((error as { code?: unknown }).code)) throw error;
    }
  }
}
