import { ACCOUNT_URN } from '../../../src/domain/account/account';
import { keepUnstatedOnReplace } from '../../../src/domain/account/kept-on-replace';
import type { JsonObject } from '../../../src/scim/values/json';

const current = { userName: 'u', [ACCOUNT_URN]: { status: 'Active', expiresAt: '2031-01-01T00:00:00.000Z', forcePasswordChange: true, birthdate: '1990-04-23' } } as JsonObject;

/** README, Account rules: a PUT that leaves Account attributes out keeps them. */
describe('keepUnstatedOnReplace', () => {
  it('keeps expiresAt, forcePasswordChange and birthdate when a PUT leaves out the whole extension', () => {
    expect(keepUnstatedOnReplace(current, { userName: 'u' })).toEqual({
      userName: 'u', [ACCOUNT_URN]: { expiresAt: '2031-01-01T00:00:00.000Z', forcePasswordChange: true, birthdate: '1990-04-23' },
    });
  });

  it('keeps only those the PUT leaves out, taking the others as stated', () => {
    const draft = { userName: 'u', [ACCOUNT_URN]: { expiresAt: '2032-01-01T00:00:00.000Z', forcePasswordChange: false } } as JsonObject;
    expect(keepUnstatedOnReplace(current, draft)[ACCOUNT_URN]).toEqual({ expiresAt: '2032-01-01T00:00:00.000Z', forcePasswordChange: false, birthdate: '1990-04-23' });
  });

  it('returns the draft itself when there is nothing to keep', () => {
    const draft = { userName: 'u' } as JsonObject;
    expect(keepUnstatedOnReplace({ userName: 'u' }, draft)).toBe(draft);
  });
});
