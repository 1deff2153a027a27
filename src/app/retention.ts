import { describeError, type Logger } from '../logger';
import { effectivePolicy, type PolicyDefaults } from '../domain/tenancy';
import type { ResourceType } from '../scim/schema/definitions';
import { activityHourOf, type PurgedUser, type Store } from '../store/port';
import { ACTIVITY_KEPT_DAYS } from './activity';
import { deactivateExpired } from './account-expiry';
import { SYSTEM_JOURNAL } from './journals';
import { nextTurn } from './next-turn';
import { Users } from './users';
import { purgeUsers } from './user-retention';

const DAY_MS = 86_400_000;
/** Tenants are read a page at a time, so the sweep's memory does not grow with their number. */
const TENANT_PAGE = 100;
/**
 * Events and expired access tokens erased per store call, each call one short transaction
 * (~10 ms on SQLite for 2,000 events with their deliveries), a turn of the event loop between.
 */
export const ERASE_CHUNK = 2000;

export interface TenantSweep {
  readonly tenantId: string;
  /** The retention the tenant ran under (undefined: that sweep is off). */
  readonly deletedDays: number | undefined;
  readonly inactiveDays: number | undefined;
  /**
   * Users erased for having been deleted longer than deletedDays: the first LISTED_USERS of
   * them, and how many in all (every one has its user.erased event).
   */
  readonly erased: readonly PurgedUser[];
  readonly erasedCount: number;
  /** Users soft-deleted for having been Inactive longer than inactiveDays: the first, and how many. */
  readonly deleted: readonly PurgedUser[];
  readonly deletedCount: number;
  /** Active accounts deactivated for having passed their expiresAt: the first, and how many (absent: none). */
  readonly expired?: readonly PurgedUser[];
  readonly expiredCount?: number;
  /** Expired accounts the account rules would not deactivate, with why: the first, and how many (absent: none). */
  readonly expiryFailures?: readonly (PurgedUser & { readonly reason: string })[];
  readonly expiryFailureCount?: number;
  /** Change events erased for being older than EVENTS_RETENTION_DAYS. */
  readonly eventsErased: number;
  /** OAuth access tokens erased for having expired (absent: none); expired ones are refused anyway. */
  readonly accessTokensErased?: number;
}

/**
 * Retention (001, 003) in every tenant, each under its own settings: erase long-deleted users;
 * soft-delete long-inactive ones (each recorded as Roster's own event); deactivate Active
 * accounts past their expiresAt (account-expiry); erase change events older than
 * EVENTS_RETENTION_DAYS (`eventsRetentionDays`, undefined: kept for ever) and the hourly
 * activity counts of the hours before the same cut-off or ACTIVITY_KEPT_DAYS, whichever is later
 * (the chart shows a month at most: the counts never grow past it); and erase expired OAuth
 * access tokens (one is issued an hour per client: the table would only grow).
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
        const expiry = await deactivateExpired(users, this.now());
        const days = this.eventsRetentionDays;
        const eventsBefore = days === undefined ? undefined : new Date(this.now().getTime() - days * DAY_MS).toISOString();
        const eventsErased = eventsBefore === undefined ? 0 : await inChunks((limit) => store.events.eraseBefore(eventsBefore, limit));
        const activityBefore = activityHourOf(laterOf(eventsBefore, new Date(this.now().getTime() - ACTIVITY_KEPT_DAYS * DAY_MS).toISOString()));
        // Not reported: the counts of old hours are bookkeeping, not data anyone kept.
        await inChunks((limit) => store.events.eraseActivityBefore(activityBefore, limit));
        const accessTokensErased = await inChunks((limit) => store.clients.purgeAccessTokens(this.now().toISOString(), limit));
        sweeps.push({
          tenantId: tenant.id, ...retention,
          erased: purged.erased.listed, erasedCount: purged.erased.count,
          deleted: purged.deleted.listed, deletedCount: purged.deleted.count,
          eventsErased,
          ...(accessTokensErased > 0 ? { accessTokensErased } : {}),
          ...(expiry.deactivated.count > 0 ? { expired: expiry.deactivated.listed, expiredCount: expiry.deactivated.count } : {}),
          ...(expiry.failed.count > 0 ? { expiryFailures: expiry.failed.listed, expiryFailureCount: expiry.failed.count } : {}),
        });
      }
      if (page.items.length < TENANT_PAGE) return sweeps;
    }
  }
}

/** The later of two ISO times (the first may be absent). */
const laterOf = (a: string | undefined, b: string) => (a !== undefined && a > b ? a : b);

/** Runs an erase of at most `limit` per call until one erases fewer, a turn of the event loop between; the total. */
async function inChunks(erase: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const erased = await erase(ERASE_CHUNK);
    total += erased;
    if (erased < ERASE_CHUNK) return total;
    await nextTurn();
  }
}

/**
 * The daily in-process sweep: once shortly after start, then every 24 hours, one log line per
 * tenant (what it removed, if anything: the users by name up to LISTED_USERS of each kind, then
 * how many). A run still going when the next is due makes that one skip. Several Roster
 * instances may each run it; the sweeps are idempotent. Returns a function that stops it.
 */
export function scheduleRetention(sweep: RetentionSweep, logger: Logger): () => void {
  // A run that is still going when the next is due (a backlog of millions) is not doubled by it.
  let running = false;
  const run = () => {
    if (running) {
      logger.warn('retention purge skipped: the previous run is still going');
      return;
    }
    running = true;
    sweep.run().then(
      (tenants) => {
        for (const sweep of tenants) {
          const { tenantId, eventsErased, accessTokensErased = 0, expiryFailures = [], expiryFailureCount = expiryFailures.length } = sweep;
          for (const failure of expiryFailures) logger.warn('expired account not deactivated', { tenant: tenantId, ...failure });
          logger.info('retention purge', {
            tenant: tenantId,
            eventsErased,
            accessTokensErased,
            ...listing('deactivatedExpired', sweep.expired, sweep.expiredCount),
            ...listing('softDeletedInactive', sweep.deleted, sweep.deletedCount),
            ...listing('erasedDeleted', sweep.erased, sweep.erasedCount),
            ...(expiryFailureCount > expiryFailures.length ? { expiryFailureCount } : {}),
          });
        }
      },
      (error: unknown) => logger.error('retention purge failed', { error: describeError(error) }),
    ).finally(() => { running = false; });
  };
  const first = setTimeout(run, 60_000);
  const daily = setInterval(run, DAY_MS);
  first.unref();
  daily.unref();
  return () => {
    clearTimeout(first);
    clearInterval(daily);
  };
}

/**
 * The users of one kind a log line names, and how many there were when that is more than it
 * names (the rest are in the change events): `erasedDeleted: [...]`, `erasedDeletedCount: n`.
 */
function listing(name: string, listed: readonly PurgedUser[] = [], count = listed.length): Record<string, unknown> {
  return {
    [name]: listed.map((u) => ({ id: u.id, userName: u.userName })),
    ...(count > listed.length ? { [`${name}Count`]: count } : {}),
  };
}
