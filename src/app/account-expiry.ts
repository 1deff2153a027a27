import { isExpired } from '../domain/account/expiry';
import type { Principal } from '../domain/principal';
import type { ListPosition, PurgedUser } from '../store/port';
import type { Users } from './users';
import { nextTurn } from './next-turn';
import { sweptUsers, type SweptUsers } from './user-retention';

/**
 * Users read at a time: the sweep's memory does not grow with the number of users, and reading
 * a page (about 10 µs a user) is short; the sweep waits a turn of the event loop after each page
 * and after every DEACTIVATIONS_PER_TURN deactivations (each its own write through the account
 * rules, 0.3–1 ms), so it holds the event loop ≲ 25 ms at a time.
 */
export const EXPIRY_PAGE = 100;
const DEACTIVATIONS_PER_TURN = 25;

/**
 * Who deactivates: Roster itself. An operator principal passes the writer check; the events
 * name the system actor, because the sweep's store writes through Roster's own journal.
 */
const SWEEPER: Principal = { kind: 'operator', tokenId: 'retention', tokenName: 'retention sweep' };

export interface ExpirySweep {
  readonly deactivated: SweptUsers;
  /** Accounts the account rules would not deactivate, with the reason (logged by the caller). */
  readonly failed: SweptUsers<PurgedUser & { readonly reason: string }>;
}

/**
 * 001: deactivates every Active account of one tenant whose expiresAt has passed at `now`,
 * through the account rules (status Inactive, deactivatedAt stamped, tokens revoked, a
 * user.deactivated event). It reads every live user, a page at a time in the store's own order
 * (a cursor, no filter), and judges expiry here: expiresAt lives in the JSON attributes, so a
 * filtered list would scan the whole tenant for its count on every page, and past ~100,000
 * users run out of the list budget (query-budget.ts) and fail the sweep. Unfiltered cursor pages
 * cost the same at any depth. An account that cannot be deactivated is not met again.
 */
export async function deactivateExpired(users: Users, now: Date): Promise<ExpirySweep> {
  const deactivated = sweptUsers();
  const failed = sweptUsers<PurgedUser & { reason: string }>();
  let after: ListPosition = [];
  let written = 0;
  for (;;) {
    const page = await users.list({ offset: 0, limit: EXPIRY_PAGE, after });
    for (const user of page.items.filter((u) => u.data.active === true && isExpired(u.data, now))) {
      const ref = { id: user.id, userName: String(user.data.userName) };
      try {
        // Re-judged on the current version: a write since the page was read may have moved expiresAt or deactivated it.
        const result = await users.modify(user.id, undefined, 'patch', (current) =>
          current.data.active === true && isExpired(current.data, now) ? { data: { ...current.data, active: false } } : undefined, SWEEPER);
        if (result.data.active !== true) deactivated.add([ref]);
      } catch (error) {
        failed.add([{ ...ref, reason: error instanceof Error ? error.message : String(error) }]);
      }
      if (++written % DEACTIVATIONS_PER_TURN === 0) await nextTurn();
    }
    if (!page.next) return { deactivated: deactivated.result(), failed: failed.result() };
    after = page.next;
    await nextTurn();
  }
}
