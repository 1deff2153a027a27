import type { PurgedUser, TenantStore } from '../store/port';
import type { ResourceType } from '../scim/schema/definitions';
import { inactiveSince } from '../domain/account/inactive-since';

/**
 * Whatever the setting or caller says, a purge never erases a user deleted less than a day ago:
 * a mistyped retention period (RETENTION_DELETED_DAYS=00 once meant 0) must not wipe users an
 * administrator can still restore. (Compared, not Math.max: NaN, too, means the minimum.)
 */
const MIN_DELETED_DAYS = 1;

export interface UserRetention {
  readonly deletedDays?: number;
  readonly inactiveDays?: number;
}

/**
 * Retention (001, 003) of one tenant's users: erase long-deleted users; soft-delete long-inactive
 * ones. Erasing comes first: the store stamps deleted_at with its own clock, so a user this sweep
 * soft-deletes must not meet a cutoff computed from ours (another instance's, a test's) in the
 * same sweep.
 */
export async function purgeUsers(store: TenantStore, userType: ResourceType, retention: UserRetention, now: Date): Promise<{ erased: readonly PurgedUser[]; deleted: readonly PurgedUser[] }> {
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
  const erased = retention.deletedDays === undefined ? [] : await store.users.purgeDeleted(daysAgo(retention.deletedDays >= MIN_DELETED_DAYS ? retention.deletedDays : MIN_DELETED_DAYS));
  const deleted = retention.inactiveDays === undefined ? [] : await store.users.softDeleteWhere(inactiveSince(userType, daysAgo(retention.inactiveDays)));
  return { erased, deleted };
}
