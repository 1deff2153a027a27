import { invalidValue } from '../../scim/errors';
import type { AccountState, AccountType } from './account';
import { agree, currentStatus, nextLifecycle, type Lifecycle, type LifecycleRequest } from './lifecycle';

/** What a write that takes an account out of OneTimeCompletion asks of its lifecycle. */
export interface LeavingRequest extends LifecycleRequest {
  /** The write states the account's Active state itself (a PUT with active: true or status "Active"). */
  readonly keepsActive: boolean;
}

/**
 * 004: a OneTimeCompletion account may become any other type, and then goes to Created ("I'll
 * do it later": no activation email) or Pending (activation email sent). The request says which
 * with `status`, from whatever status the account has. Without one:
 *  - a request that activates the account leaves it Active (SSO onboarding sends no activation
 *    email, README): it moved to Active, or is Active and a PUT states active: true or status
 *    "Active" (the whole desired state);
 *  - an Active account is refused rather than silently deactivated, unless the request
 *    deactivates it (active: false), which leaves it Created;
 *  - any other account goes to Created.
 * The account keeps the timestamps it had: it neither became Active nor Inactive.
 */
export function leaveOneTimeCompletion(before: AccountState, request: LeavingRequest, toType: AccountType, now: string): Lifecycle {
  agree(request);
  const from = currentStatus(before);
  const kept = { activatedAt: before.activatedAt, deactivatedAt: before.deactivatedAt };
  if (request.status === 'Created' || request.status === 'Pending') return { status: request.status, active: false, ...kept };
  if (request.status === 'Inactive') {
    throw invalidValue(`A OneTimeCompletion account that becomes ${toType} goes to Created or Pending, not Inactive: state status "Created" or "Pending" instead`);
  }
  const next = nextLifecycle(before, request, now);
  if (next.status === 'Active' && (from !== 'Active' || request.keepsActive)) return next;
  if (from === 'Active' && request.active !== false) throw mustSayWhere(toType);
  return { status: 'Created', active: false, ...kept };
}

const mustSayWhere = (toType: AccountType) => invalidValue(
  `This account is Active and OneTimeCompletion: becoming ${toType} moves it to Created or Pending, so say which in the same request `
  + 'with status "Created" (no activation email) or status "Pending" (activation email sent); to keep it Active, state active: true in a PUT',
);
