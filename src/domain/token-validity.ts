import type { StoredUser } from '../store/port';
import { readAccount } from './account/account';
import { isExpired } from './account/expiry';
import { currentStatus } from './account/lifecycle';

/**
 * Revoked, not suspended: a user-bound token works only within the spell of activity in which
 * it was issued. It needs its user Active now, issued no earlier than the user's last
 * activation, and after the user was last deleted. The write that reactivates a user stamps
 * activatedAt, and the soft delete stamps lastDeletedAt (a restore keeps it), each in the same
 * store write as the change itself, so no token of an earlier spell comes back with the user,
 * whatever instance or crash came in between, and nothing is kept in process.
 *
 * An account past its expiresAt (Account extension) accepts no token from that instant, before
 * the retention sweep has deactivated it. `now` defaults to the system clock.
 */
export function tokenIsCurrent(user: StoredUser, issued: string, now: Date = new Date()): boolean {
  const account = readAccount(user.data);
  if (currentStatus(account) !== 'Active') return false;
  if (isExpired(user.data, now)) return false;
  const at = Date.parse(issued);
  // Issued in the very millisecond of an activation is fine (a user created and given a token
  // at once); in the millisecond of a deletion it is not (the token may predate it).
  if (account.activatedAt !== undefined && at < Date.parse(account.activatedAt)) return false;
  if (user.lastDeletedAt !== undefined && at <= Date.parse(user.lastDeletedAt)) return false;
  return true;
}
