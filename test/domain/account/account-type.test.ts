import { ACCOUNT_TYPES, type AccountType } from '../../../src/domain/account/account';
import { checkAccountTypeChange, DEFAULT_ACCOUNT_TYPE } from '../../../src/domain/account/account-type';
import { ScimError } from '../../../src/scim/errors';

/**
 * Rule 2: accounts are Internal unless told otherwise; a OneTimeCompletion account may become any
 * other type, and no other type may become OneTimeCompletion. Leaving OneTimeCompletion is
 * reported so that the account can go back to Created.
 */
describe('account type', () => {
  it('is Internal by default', () => {
    expect(DEFAULT_ACCOUNT_TYPE).toBe('Internal');
  });

  it('knows exactly the five types', () => {
    expect([...ACCOUNT_TYPES]).toEqual(['Internal', 'External', 'ConfigAdmin', 'SuperAdmin', 'OneTimeCompletion']);
  });

  const pairs = ACCOUNT_TYPES.flatMap((from) => ACCOUNT_TYPES.map((to) => [from, to] as [AccountType, AccountType]));
  const allowed = pairs.filter(([from, to]) => to !== 'OneTimeCompletion' || from === 'OneTimeCompletion');
  const forbidden = pairs.filter(([from, to]) => to === 'OneTimeCompletion' && from !== 'OneTimeCompletion');

  it('the tables below cover all 25 changes: 21 allowed, 4 forbidden', () => {
    expect([allowed.length, forbidden.length]).toEqual([21, 4]);
  });

  it.each(allowed)('%s → %s is allowed', (from, to) => {
    const leaving = from === 'OneTimeCompletion' && to !== 'OneTimeCompletion';
    expect(checkAccountTypeChange(from, to)).toEqual({ leavingOneTimeCompletion: leaving });
  });

  it.each(forbidden)('%s → %s is refused: 400 invalidValue saying only new accounts can be OneTimeCompletion', (from, to) => {
    let error: unknown;
    try {
      checkAccountTypeChange(from, to);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScimError);
    const { status, scimType, detail } = error as ScimError;
    expect([status, scimType]).toEqual([400, 'invalidValue']);
    expect(detail).toBe(`accountType cannot change from ${from} to OneTimeCompletion: only new accounts can be OneTimeCompletion`);
  });

  it.each(ACCOUNT_TYPES.filter((t) => t !== 'OneTimeCompletion'))('reports leaving OneTimeCompletion for → %s, and only then', (to) => {
    expect(checkAccountTypeChange('OneTimeCompletion', to).leavingOneTimeCompletion).toBe(true);
    expect(checkAccountTypeChange('OneTimeCompletion', 'OneTimeCompletion').leavingOneTimeCompletion).toBe(false);
    expect(checkAccountTypeChange(to, to).leavingOneTimeCompletion).toBe(false);
  });
});
