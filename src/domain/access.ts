import { forbidden } from '../scim/errors';
import type { JsonObject } from '../scim/values/json';
import { readAccount } from './account/account';
import { currentStatus } from './account/lifecycle';
import type { WriteKind } from './account/account-rules';
import { DEFAULT_ACCOUNT_TYPE } from './account/account-type';
import { isOAuthClient, isProvisioner, type Principal } from './principal';

/**
 * Who may write. Operator and service tokens (CLI, bootstrap, identity providers) may provision
 * anything in the tenants they may enter. A user-bound token acts as its user: it may read, and write only while that user is
 * an Active SuperAdmin (004: only Super admins edit accounts).
 */
export function checkWriteAccess(principal: Principal, actor: JsonObject | undefined): void {
  if (!isWriter(principal, actor)) {
    throw forbidden('Only an Active SuperAdmin account may change accounts and groups; this token\'s user may only read');
  }
}

/** `actor`: the attributes of the principal's user (undefined for a service token or a user who is gone). */
export function isWriter(principal: Principal, actor: JsonObject | undefined): boolean {
  if (isProvisioner(principal)) return true;
  const account = actor ? readAccount(actor) : undefined;
  return account !== undefined && currentStatus(account) === 'Active' && account.accountType === 'SuperAdmin';
}

export const isSelf = (principal: Principal, targetId: string) => principal.kind === 'user' && principal.userId === targetId;

const TOKEN_ACTIONS = { create: 'create tokens for', read: 'see the tokens of', delete: 'delete the tokens of' } as const;

/**
 * A user's tokens are the user's own: only an operator or service token or the user themselves may create,
 * list, read or delete them. A token acts with all its user's rights, so a SuperAdmin who could
 * mint one for another SuperAdmin could act as them (and demote them); reading another user's
 * token list tells which of their tokens are live and when they are used.
 */
export function checkTokenOwner(principal: Principal, userId: string, action: keyof typeof TOKEN_ACTIONS): void {
  checkNotOAuthClient(principal, 'manage tokens');
  if (isProvisioner(principal) || isSelf(principal, userId)) return;
  throw forbidden(`Only a service token or the user themselves may ${TOKEN_ACTIONS[action]} a user; this token belongs to another user`);
}

/** Roles as the account rules store them: trimmed, each once, in any order. */
const sameRoles = (a: readonly string[] = [], b: readonly string[] = []) => {
  const x = new Set(a.map((r) => r.trim()));
  const y = new Set(b.map((r) => r.trim()));
  return x.size === y.size && [...x].every((r) => y.has(r));
};

const ownType = () => forbidden('You cannot change your own account type');
const ownRoles = () => forbidden('You cannot change your own roles');

/** 002, 004: nobody changes their own access: no deactivating, deleting, or changing one's own type or roles. */
export function checkSelfChange(principal: Principal, targetId: string, before: JsonObject, after: JsonObject | undefined): void {
  if (!isSelf(principal, targetId)) return;
  if (!after) throw forbidden('You cannot delete your own account');
  const was = readAccount(before);
  const will = readAccount(after);
  if (will.status === 'Inactive' && was.status !== 'Inactive') throw forbidden('You cannot deactivate your own account');
  if ((will.accountType ?? DEFAULT_ACCOUNT_TYPE) !== (was.accountType ?? DEFAULT_ACCOUNT_TYPE)) throw ownType();
  if (!sameRoles(was.roles, will.roles)) throw ownRoles();
}

/**
 * The same rule applied to what a write asks for, before the account rules judge it: asking to
 * change one's own type or roles is refused as such (403), even when the account rules would
 * refuse the request for another reason (roles on a SuperAdmin). In a PUT an absent accountType
 * or roles keeps the current value; in a PATCH the draft carries the current values, so absent
 * roles were removed (see WriteKind).
 */
export function checkSelfRequest(principal: Principal, targetId: string, before: JsonObject, draft: JsonObject, kind: WriteKind): void {
  if (!isSelf(principal, targetId)) return;
  const was = readAccount(before);
  const asks = readAccount(draft);
  if (asks.accountType !== undefined && asks.accountType !== (was.accountType ?? DEFAULT_ACCOUNT_TYPE)) throw ownType();
  const roles = kind === 'replace' ? asks.roles : asks.roles ?? [];
  if (roles !== undefined && !sameRoles(was.roles, roles)) throw ownRoles();
}

/**
 * The audit trail and the webhooks of a tenant are its administrators': operator tokens and the
 * tenant's service tokens. A user-bound token acts as one person, whatever their role: it reads
 * no one's history and sends the tenant's events nowhere.
 */
export function checkTenantAdministrator(principal: Principal, what: string): void {
  checkNotOAuthClient(principal, what);
  if (principal.kind === 'user') throw forbidden(`Only an operator token or the tenant's service token may ${what}; a user-bound token may not`);
}

/**
 * An OAuth access token provisions (SCIM, and restoring a user, which is a provisioning write)
 * and does nothing else: it must not mint credentials that outlive it (clients, secrets, user
 * tokens), send the tenant's events elsewhere (webhooks) or read the audit trail. So a leaked
 * access token is worth one hour of provisioning, and a client cannot keep itself alive after
 * its secret is revoked. Administration needs an operator token or a static service token.
 */
export function checkNotOAuthClient(principal: Principal, what: string): void {
  if (isOAuthClient(principal)) {
    throw forbidden(`An OAuth access token may only provision (SCIM); use an operator token or a service token of the tenant to ${what}`);
  }
}
