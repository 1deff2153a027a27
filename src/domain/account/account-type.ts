import { invalidValue } from '../../scim/errors';
import type { AccountType } from './account';

export const DEFAULT_ACCOUNT_TYPE: AccountType = 'Internal';

/**
 * 004: a OneTimeCompletion account may become any other type; no other type may become
 * OneTimeCompletion. Returns whether the account is leaving OneTimeCompletion, which moves it
 * to Created or Pending (one-time-completion.ts).
 */
export function checkAccountTypeChange(from: AccountType, to: AccountType): { leavingOneTimeCompletion: boolean } {
  if (to === 'OneTimeCompletion' && from !== 'OneTimeCompletion') {
    throw invalidValue(`accountType cannot change from ${from} to OneTimeCompletion: only new accounts can be OneTimeCompletion`);
  }
  return { leavingOneTimeCompletion: from === 'OneTimeCompletion' && to !== 'OneTimeCompletion' };
}
