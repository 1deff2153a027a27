import type { RequirableUserAttribute, UsernameFormat } from '../../config/config';
import type { JsonObject } from '../../scim/values/json';
import { readAccount, writeAccount, type AccountState } from './account';
import { checkAccountTypeChange, DEFAULT_ACCOUNT_TYPE } from './account-type';
import { coreRolesFor, withCoreRoles } from './core-roles';
import { checkIdentity } from './identity';
import { checkBirthdate } from './birthdate';
import { keepUnstatedOnReplace } from './kept-on-replace';
import { currentStatus, initialLifecycle, nextLifecycle } from './lifecycle';
import { checkLocalization } from './localization';
import { leaveOneTimeCompletion } from './one-time-completion';
import { agreedRoles } from './role-agreement';
import { checkRoles } from './roles';

export interface AccountPolicy {
  readonly maxRoles: number;
  readonly usernameImmutable: boolean;
  /** What every user must have beside userName (REQUIRED_USER_ATTRIBUTES or the tenant's own). */
  readonly requiredUserAttributes: readonly RequirableUserAttribute[];
  readonly usernameFormat: UsernameFormat;
}

/**
 * How a write states the account: a PUT body is the whole desired state, but an IdP that does
 * not know the Account extension leaves it out, so in a PUT an absent status, accountType,
 * roles (core or Account) or active keeps its current value; in a PATCH the draft already
 * carries the current values, and absent roles mean they were removed.
 */
export type WriteKind = 'create' | 'replace' | 'patch';

/**
 * Every account rule, each from its own module, applied to the attributes a write would store.
 * Returns those attributes with the account state the rules decided (status, active, type,
 * roles in both the core attribute and the Account extension, timestamps); throws the first
 * rule's error.
 */
export function applyAccountRules(current: JsonObject | undefined, sent: JsonObject, kind: WriteKind, policy: AccountPolicy, now: string): JsonObject {
  const draft = current && kind === 'replace' ? keepUnstatedOnReplace(current, sent) : sent;
  checkIdentity(current, draft, policy);
  checkLocalization(draft);
  checkBirthdate(draft, new Date(now));
  const before = current ? readAccount(current) : undefined;
  const stated = readAccount(draft);
  const requested = requestedState(before, stated, kind, 'active' in draft);

  const fromType = before?.accountType ?? DEFAULT_ACCOUNT_TYPE;
  const toType = requested.accountType ?? fromType;
  const { leavingOneTimeCompletion } = before ? checkAccountTypeChange(fromType, toType) : { leavingOneTimeCompletion: false };
  const agreed = agreedRoles(current, draft, kind);
  const roles = checkRoles(agreed.roles, toType, before ? fromType : undefined, policy.maxRoles, before?.roles);

  const request = { active: requested.active, status: requested.status };
  // A PUT is the whole desired state: active: true, or status "Active" not contradicted by
  // active: false, says the account is to be Active, even when it already is.
  const keepsActive = kind === 'replace' && (requested.active === true || (stated.status === 'Active' && requested.active !== false));
  const lifecycle = !before ? initialLifecycle(request, now)
    : leavingOneTimeCompletion ? leaveOneTimeCompletion(before, { ...request, keepsActive }, toType, now)
    : nextLifecycle(before, request, now);
  const written = writeAccount(draft, { ...lifecycle, accountType: toType, roles });
  return withCoreRoles(written, coreRolesFor(roles, ...agreed.entrySources));
}

/**
 * What the write asks for. A POST states everything it sends. A PUT states `active` when it
 * sends it and a status when it sends one other than the current, and keeps the current type
 * when it leaves it out. A PATCH draft carries the current values, so only an `active` or
 * status that differs from the current one was asked for (a value equal to the current one
 * asks for nothing). Roles are role-agreement's.
 */
function requestedState(before: AccountState | undefined, draft: AccountState, kind: WriteKind, mentionsActive: boolean): AccountState {
  const stated = mentionsActive ? draft : { ...draft, active: undefined };
  if (!before || kind === 'create') return stated;
  if (kind === 'replace') {
    // A client that GETs a user, sets active: false and PUTs it back echoes the old status: an
    // unchanged status asks for nothing, so `active` decides.
    const status = draft.status !== currentStatus(before) ? draft.status : undefined;
    return { ...stated, status, accountType: draft.accountType ?? before.accountType };
  }
  return {
    ...stated,
    active: stated.active !== before.active ? stated.active : undefined,
    status: draft.status !== before.status ? draft.status : undefined,
  };
}
