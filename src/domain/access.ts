import { forbidden } from '../scim/errors';
import type { JsonObject } from '../scim/values/json';
import { readAccount } from './account/account';
import type { Principal } from './tokens';

/**
 * Who may write. Service tokens (CLI, bootstrap) are for identity providers and may provision
 * anything. A user-bound token acts as its user: it may read, and write only while that user is
 * an Active SuperAdmin (004: only Super admins edit accounts).
 */
export function checkWriteAccess(principal: Principal, actor: JsonObject | undefined): void {
  if (principal.kind === 'service') return;
  const account = actor ? readAccount(actor) : undefined;
  if (account?.status !== 'Active' || account.accountType !== 'SuperAdmin') {
    throw forbidden('Only an Active SuperAdmin account may change accounts and groups; this token\'s user may only read');
  }
}

/** 002, 004: nobody changes their own access: no deactivating, deleting, or changing one's own type or roles. */
export function checkSelfChange(principal: Principal, targetId: string, before: JsonObject, after: JsonObject | undefined): void {
  if (principal.kind !== 'user' || principal.userId !== targetId) return;
  if (!after) throw forbidden('You cannot delete your own account');
  const was = readAccount(before);
  const will = readAccount(after);
  if (will.status === 'Inactive' && was.status !== 'Inactive') throw forbidden('You cannot deactivate your own account');
  if ((will.accountType ?? 'Internal') !== (was.accountType ?? 'Internal')) throw forbidden('You cannot change your own account type');
  const sameRoles = (a: readonly string[] = [], b: readonly string[] = []) => a.length === b.length && a.every((r) => b.includes(r));
  if (!sameRoles(was.roles, will.roles)) throw forbidden('You cannot change your own roles');
}
