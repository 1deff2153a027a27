import { invalidValue } from '../../scim/errors';
import type { AccountState, Status } from './account';

/**
 * Account status and `active` always agree: `active` is true exactly when the status is Active.
 *
 * SSO onboarding: a user created active (or without `active`) is Active at once, with
 * activatedAt set; there is no activation-email step. `active` may move an account to Active
 * from any status, or from Active to Inactive. `status` written directly may only follow the
 * transitions of the product docs (004).
 */
const TRANSITIONS: Readonly<Record<Status, readonly Status[]>> = {
  Created: ['Pending', 'Inactive'],
  Pending: ['Active', 'Inactive'],
  Active: ['Inactive'],
  Inactive: ['Active'],
};

/** What a write asks of the lifecycle: only the values it states (undefined: not asked for). */
export interface LifecycleRequest {
  readonly active?: boolean;
  readonly status?: Status;
}

export interface Lifecycle {
  readonly status: Status;
  readonly active: boolean;
  readonly activatedAt?: string;
  readonly deactivatedAt?: string;
}

export function initialLifecycle(request: LifecycleRequest, now: string): Lifecycle {
  agree(request);
  const status = request.status ?? (request.active === false ? 'Created' : 'Active');
  return stamped(status, undefined, {}, now);
}

export function nextLifecycle(current: AccountState, request: LifecycleRequest, now: string): Lifecycle {
  agree(request);
  const from = currentStatus(current);
  const wantsStatus = request.status !== undefined && request.status !== from ? request.status : undefined;
  // `active: true` may activate from any status; a status: "Active" beside it only agrees with it.
  const activatedByActive = wantsStatus === 'Active' && request.active === true;
  if (wantsStatus && !activatedByActive && !TRANSITIONS[from].includes(wantsStatus)) {
    throw invalidValue(`status cannot change from ${from} to ${wantsStatus}: from ${from} it may only become ${TRANSITIONS[from].join(' or ')}`);
  }
  const to = wantsStatus ?? (request.active === true ? 'Active' : request.active === false && from === 'Active' ? 'Inactive' : from);
  return stamped(to, from, current, now);
}

/** Accounts stored before the rules existed have no status: `active` tells. */
export const currentStatus = (current: AccountState): Status => current.status ?? (current.active ? 'Active' : 'Created');

/** `active` is true exactly when status is Active: a request stating both must agree. */
export function agree({ status, active }: LifecycleRequest): void {
  if (status !== undefined && active !== undefined && (status === 'Active') !== active) {
    throw invalidValue(`active: ${active} contradicts status: "${status}" (active is true exactly when status is Active)`);
  }
}

function stamped(to: Status, from: Status | undefined, current: AccountState, now: string): Lifecycle {
  return {
    status: to,
    active: to === 'Active',
    activatedAt: to === 'Active' && from !== 'Active' ? now : current.activatedAt,
    deactivatedAt: to === 'Inactive' && from !== 'Inactive' ? now : current.deactivatedAt,
  };
}
