import { ACCOUNT_URN } from '../../../src/domain/account/account';
import { afterOwnPasswordChange } from '../../../src/domain/account/password-change';
import type { JsonObject } from '../../../src/scim/values/json';

/** 001: a user's own password change fulfils forcePasswordChange. */
describe('afterOwnPasswordChange', () => {
  it('turns forcePasswordChange true into false, keeping the rest', () => {
    const data = { userName: 'u', [ACCOUNT_URN]: { status: 'Active', forcePasswordChange: true } } as JsonObject;
    expect(afterOwnPasswordChange(data)).toEqual({ userName: 'u', [ACCOUNT_URN]: { status: 'Active', forcePasswordChange: false } });
    expect((data[ACCOUNT_URN] as JsonObject).forcePasswordChange).toBe(true);
  });

  it.each([
    [{ userName: 'u' }],
    [{ userName: 'u', [ACCOUNT_URN]: { forcePasswordChange: false } }],
  ])('leaves %j as it is', (data) => {
    expect(afterOwnPasswordChange(data as JsonObject)).toBe(data);
  });
});
