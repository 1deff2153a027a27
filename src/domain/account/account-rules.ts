import type { JsonObject } from '../../scim/values/json';
import { getKey } from '../../scim/values/json';
import { readAccount, writeAccount, type AccountState, type Status } from './account';
import { checkAccountTypeChange, DEFAULT_ACCOUNT_TYPE } from './account-type';
import { checkRequiredIdentity, checkUserNameChange } from './identity';
import { initialLifecycle, nextLifecycle, type Lifecycle } from './lifecycle';
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
  checkRequiredIdentity(draft);
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
  if (leavingOneTimeCompletion && !activatedBy(before!, lifecycle, kind, draft)) lifecycle = created(lifecycle);
  return writeAccount(draft, { ...lifecycle, accountType: toType, roles });
}

function requestedState(before: AccountState | undefined, draft: AccountState, kind: WriteKind, mentionsActive: boolean): AccountState {
  if (!before || kind !== 'replace') return mentionsActive ? draft : { ...draft, active: undefined };
  return {
    active: mentionsActive ? draft.active : undefined,
    status: draft.status ?? before.status,
    accountType: draft.accountType ?? before.accountType,
    roles: draft.roles ?? before.roles,
  };
}

/** "Unless the same request activates it": the write moved the account to Active, or a PUT states active: true. */
const activatedBy = (before: AccountState, lifecycle: Lifecycle, kind: WriteKind, draft: JsonObject) =>
  lifecycle.status === 'Active' && (before.status !== 'Active' || (kind === 'replace' && getKey(draft, 'active') === true));

const created = (lifecycle: Lifecycle): Lifecycle => ({ ...lifecycle, status: 'Created' as Status, active: false });
