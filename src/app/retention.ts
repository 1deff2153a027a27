import { describeError, type Logger } from '../logger';
import { effectivePolicy, type PolicyDefaults } from '../domain/tenancy';
import type { ResourceType } from '../scim/schema/definitions';
import type { PurgedUser, Store } from '../store/port';
import { deactivateExpired } from './account-expiry';
import { SYSTEM_JOURNAL } from './journals';
import { Users } from './users';
import { purgeUsers } from './user-retention';

const DAY_MS = 86_400_000;
/** Tenants are read a page at a time, so the sweep's memory does not grow with their number. */
const TENANT_PAGE = 100;

export interface TenantSweep {
  readonly tenantId: string;
  /** The retention the tenant ran under (undefined: that sweep is off). */
  readonly deletedDays: number | undefined;
  readonly inactiveDays: number | undefined;
  readonly erased: readonly PurgedUser[];
  readonly deleted: readonly PurgedUser[];
  /** Active accounts deactivated for having passed their expiresAt (absent: none). */
  readonly expired?: readonly PurgedUser[];
  /** Expired accounts the account rules would not deactivate, with why (absent: none). */
  readonly expiryFailures?: readonly (PurgedUser & { readonly reason: string })[];
  /** Change events erased for being older than EVENTS_RETENTION_DAYS. */
  readonly eventsErased: number;
  /** OAuth access tokens erased for having expired (absent: none); expired ones are refused anyway. */
  readonly accessTokensErased?: number;
}

/**
 * Retention (001, 003) in every tenant, each under its own settings: erase long-deleted users;
 * soft-delete long-inactive ones (each recorded as Roster's own event); deactivate Active
 * accounts past their expiresAt (account-expiry); erase change events older than
 * EVENTS_RETENTION_DAYS (`eventsRetentionDays`, undefined: kept for ever); and erase expired
 * OAuth access tokens (one is issued an hour per client: the table would only grow).
 */
export class RetentionSweep {
  constructor(
    private readonly store: Store,
    private readonly userType: ResourceType,
    private readonly defaults: PolicyDefaults,
    private readonly now: () => Date = () => new Date(),
    private readonly eventsRetentionDays?: number,
  ) {}

  async run(): Promise<TenantSweep[]> {
    const sweeps: TenantSweep[] = [];
    for (let offset = 0; ; offset += TENANT_PAGE) {
      const page = await this.store.tenants.list(offset, TENANT_PAGE);
      for (const tenant of page.items.filter((t) => !t.deleting)) {
        const policy = effectivePolicy(tenant.settings, this.defaults);
        const store = this.store.tenant(tenant.id, SYSTEM_JOURNAL);
        const users = new Users(store, policy, this.now);
        const retention = { deletedDays: policy.retentionDeletedDays, inactiveDays: policy.retentionInactiveDays };
        const purged = await purgeUsers(store, this.userType, retention, this.now());
        const expiry = await deactivateExpired(users, this.userType, this.now());
        const eventsErased = this.eventsRetentionDays === undefined ? 0 : await store.events.eraseBefore(new Date(this.now().getTime() - this.eventsRetentionDays * DAY_MS).toISOString());
        const accessTokensErased = await store.clients.purgeAccessTokens(this.now().toISOString());
        sweeps.push({
          tenantId: tenant.id, ...retention, ...purged, eventsErased,
          ...(accessTokensErased > 0 ? { accessTokensErased } : {}),
          ...(expiry.deactivated.length > 0 ? { expired: expiry.deactivated } : {}),
          ...(expiry.failed.length > 0 ? { expiryFailures: expiry.failed } : {}),
        });
      }
      if (page.items.length < TENANT_PAGE) return sweeps;
    }
  }
}

/**
 * The daily in-process sweep: once shortly after start, then every 24 hours, one log line per
 * tenant (what it removed, if anything). Several Roster instances may each run it; the sweeps
 * are idempotent. Returns a function that stops it.
 */
export function scheduleRetention(sweep: RetentionSweep, logger: Logger): () => void {
  const run = () => sweep.run().then(
    (tenants) => {
      for (const { tenantId, erased, deleted, eventsErased, accessTokensErased = 0, expired = [], expiryFailures = [] } of tenants) {
        for (const failure of expiryFailures) logger.warn('expired account not deactivated', { tenant: tenantId, ...failure });
        logger.info('retention purge', {
          tenant: tenantId,
          eventsErased,
          accessTokensErased,
          deactivatedExpired: expired.map((u) => ({ id: u.id, userName: u.userName })),
          softDeletedInactive: deleted.map((u) => ({ id: u.id, userName: u.userName })),
          erasedDeleted: erased.map((u) => ({ id: u.id, userName: u.userName })),
        });
      }
    },
    (error: unknown) => logger.error('retention purge failed', { error: describeError(error) }),
  );
  const first = setTimeout(run, 60_000);
  const daily = setInterval(run, DAY_MS);
  first.unref();
  daily.unref();
  return () => {
    clearTimeout(first);
    clearInterval(daily);
  };
}
