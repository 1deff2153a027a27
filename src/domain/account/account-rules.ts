import type { JsonObject } from '../../scim/values/json';
import { readAccount, writeAccount, type AccountState } from './account';
import { checkAccountTypeChange, DEFAULT_ACCOUNT_TYPE } from './account-type';
import { checkRequiredIdentity, checkUserNameChange } from './identity';
import { currentStatus, initialLifecycle, nextLifecycle, type Lifecycle } from './lifecycle';
import { checkLocalization } from './localization';
import { checkRoles } from './roles';

export interface AccountPolicy {
  readonly maxRoles: number;
  readonly usernameImmutable: boolean;
}

/**
 * How a write states the account: a PUT body is the whole desired state, but an IdP that does
 * not know the Account extension leaves it out, so in a PUT an absent status, accountType,
 * roles or active keeps its current value; in a PATCH the draft already carries the current
 * values, and an absent roles means they were removed.
 */
export type WriteKind = 'create' | 'replace' | 'patch';

/**
 * Every account rule, each from its own module, applied to the attributes a write would store.
 * Returns those attributes with the account state the rules decided (status, active, type,
 * roles, timestamps); throws the first rule's error.
 */
export function applyAccountRules(current: JsonObject | undefined, draft: JsonObject, kind: WriteKind, policy: AccountPolicy, now: string): JsonObject {
  checkRequiredIdentity(draft, current);
  checkLocalization(draft);
  if (current) checkUserNameChange(current, draft, policy.usernameImmutable);
  const before = current ? readAccount(current) : undefined;
  const requested = requestedState(before, readAccount(draft), kind, 'active' in draft);

  const fromType = before?.accountType ?? DEFAULT_ACCOUNT_TYPE;
  const toType = requested.accountType ?? fromType;
  const { leavingOneTimeCompletion } = before ? checkAccountTypeChange(fromType, toType) : { leavingOneTimeCompletion: false };
  const roles = checkRoles(requested.roles ?? [], toType, before?.accountType, policy.maxRoles);

  const request = { active: requested.active, status: requested.status };
  let lifecycle = before ? nextLifecycle(before, request, now) : initialLifecycle(request, now);
  if (before && leavingOneTimeCompletion && !activatedBy(before, lifecycle, kind, requested)) lifecycle = created(before);
  return writeAccount(draft, { ...lifecycle, accountType: toType, roles });
}

/**
 * What the write asks for. A POST states everything it sends. A PUT states `active` when it
 * sends it and a status when it sends one other than the current, and keeps the current type
 * and roles when it leaves them out. A
 * PATCH draft carries the current values, so only an `active` or status that differs from the
 * current one was asked for (a value equal to the current one asks for nothing).
 */
function requestedState(before: AccountState | undefined, draft: AccountState, kind: WriteKind, mentionsActive: boolean): AccountState {
  const stated = mentionsActive ? draft : { ...draft, active: undefined };
  if (!before || kind === 'create') return stated;
  if (kind === 'replace') {
    // A client that GETs a user, sets active: false and PUTs it back echoes the old status: an
    // unchanged status asks for nothing, so `active` decides.
    const status = draft.status !== currentStatus(before) ? draft.status : undefined;
    return { ...stated, status, accountType: draft.accountType ?? before.accountType, roles: draft.roles ?? before.roles };
  }
  return {
    ...stated,
    active: stated.active !== before.active ? stated.active : undefined,
    status: draft.status !== before.status ? draft.status : undefined,
  };
}

/**
 * "Unless the same request activates it": the write moved the account to Active, or a PUT
 * states active: true or status: "Active".
 */
const activatedBy = (before: AccountState, lifecycle: Lifecycle, kind: WriteKind, requested: AccountState) =>
  lifecycle.status === 'Active' && (currentStatus(before) !== 'Active' || (kind === 'replace' && (requested.active === true || requested.status === 'Active')));

/** Back to Created, with the timestamps the account had: it neither became Active nor Inactive. */
const created = (before: AccountState): Lifecycle => ({ status: 'Created', active: false, activatedAt: before.activatedAt, deactivatedAt: before.deactivatedAt });
