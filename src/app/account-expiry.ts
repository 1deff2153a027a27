import { activeExpiredBy, isExpired } from '../domain/account/expiry';
import type { Principal } from '../domain/principal';
import type { ResourceType } from '../scim/schema/definitions';
import type { ListPosition, PurgedUser } from '../store/port';
import type { Users } from './users';

/** Users read at a time: the sweep's memory does not grow with the number of expired accounts. */
export const EXPIRY_PAGE = 100;

/**
 * Who deactivates: Roster itself. An operator principal passes the writer check; the events
 * name the system actor, because the sweep's store writes through Roster's own journal.
 */
const SWEEPER: Principal = { kind: 'operator', tokenId: 'retention', tokenName: 'retention sweep' };

export interface ExpirySweep {
  readonly deactivated: readonly PurgedUser[];
  /** Accounts the account rules would not deactivate, with the reason (logged by the caller). */
  readonly failed: readonly (PurgedUser & { readonly reason: string })[];
}

/**
 * 001: deactivates every Active account of one tenant whose expiresAt has passed at `now`,
 * through the account rules (status Inactive, deactivatedAt stamped, tokens revoked, a
 * user.deactivated event), a page at a time: the store finds them by filter, and the pages
 * follow a cursor, so an account that cannot be deactivated is not met again in this sweep.
 */
export async function deactivateExpired(users: Users, userType: ResourceType, now: Date): Promise<ExpirySweep> {
  const filter = activeExpiredBy(userType, now);
  const deactivated: PurgedUser[] = [];
  const failed: (PurgedUser & { reason: string })[] = [];
  let after: ListPosition = [];
  for (;;) {
    const page = await users.list({ filter, offset: 0, limit: EXPIRY_PAGE, after });
    for (const user of page.items) {
      const ref = { id: user.id, userName: String(user.data.userName) };
      try {
        // Re-judged on the current version: a write since the page was read may have moved expiresAt or deactivated it.
        const result = await users.modify(user.id, undefined, 'patch', (current) =>
          current.data.active === true && isExpired(current.data, now) ? { data: { ...current.data, active: false } } : undefined, SWEEPER);
        if (result.data.active !== true) deactivated.push(ref);
      } catch (error) {
        failed.push({ ...ref, reason: error instanceof Error ? error.message : String(error) });
      }
    }
    if (!page.next) return { deactivated, failed };
    after = page.next;
  }
}
