import type { PurgedUser, TenantStore } from '../store/port';
import type { ResourceType } from '../scim/schema/definitions';
import { inactiveSince } from '../domain/account/inactive-since';
import { nextTurn } from './next-turn';

/**
 * Whatever the setting or caller says, a purge never erases a user deleted less than a day ago:
 * a mistyped retention period (RETENTION_DELETED_DAYS=00 once meant 0) must not wipe users an
 * administrator can still restore. (Compared, not Math.max: NaN, too, means the minimum.)
 */
const MIN_DELETED_DAYS = 1;

/**
 * Users the purge erases per store call, each call one transaction: erasing one cost 150–400 µs
 * on SQLite here (row, tokens, memberships, search rows, event), so a chunk holds the event loop
 * 15–40 ms, and a turn of the event loop between chunks lets waiting requests in.
 */
export const PURGE_CHUNK = 100;

/**
 * How many users a sweep names (in its result and log line); the others are only counted. Each
 * one erased or deleted has its own change event, which is where the full list lives: a sweep
 * of 100,000 users neither holds them all nor logs one line listing them all.
 */
export const LISTED_USERS = 100;

/** The users a sweep handled: how many, and the first LISTED_USERS of them. */
export interface SweptUsers<T extends PurgedUser = PurgedUser> {
  readonly count: number;
  readonly listed: readonly T[];
}

/** Collects SweptUsers chunk by chunk, keeping only the first LISTED_USERS. */
export function sweptUsers<T extends PurgedUser = PurgedUser>() {
  let count = 0;
  const listed: T[] = [];
  return {
    add(users: readonly T[]) {
      count += users.length;
      listed.push(...users.slice(0, Math.max(0, LISTED_USERS - listed.length)));
    },
    result: (): SweptUsers<T> => ({ count, listed }),
  };
}

export interface UserRetention {
  readonly deletedDays?: number;
  readonly inactiveDays?: number;
}

/**
 * Retention (001, 003) of one tenant's users: erase long-deleted users; soft-delete long-inactive
 * ones. Erasing comes first: the store stamps deleted_at with its own clock, so a user this sweep
 * soft-deletes must not meet a cutoff computed from ours (another instance's, a test's) in the
 * same sweep. Never one long transaction: the purge goes PURGE_CHUNK users per store call with a
 * turn of the event loop between; the inactivity sweep is one store call that walks the users in
 * short windows itself (a call with a limit would start over from the first user each time).
 */
export async function purgeUsers(store: TenantStore, userType: ResourceType, retention: UserRetention, now: Date): Promise<{ erased: SweptUsers; deleted: SweptUsers }> {
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
  const erased = sweptUsers();
  if (retention.deletedDays !== undefined) {
    const before = daysAgo(retention.deletedDays >= MIN_DELETED_DAYS ? retention.deletedDays : MIN_DELETED_DAYS);
    for (;;) {
      const chunk = await store.users.purgeDeleted(before, PURGE_CHUNK);
      erased.add(chunk);
      if (chunk.length < PURGE_CHUNK) break;
      await nextTurn();
    }
  }
  const deleted = sweptUsers();
  if (retention.inactiveDays !== undefined) deleted.add(await store.users.softDeleteWhere(inactiveSince(userType, daysAgo(retention.inactiveDays))));
  return { erased: erased.result(), deleted: deleted.result() };
}
