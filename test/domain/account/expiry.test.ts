import { ACCOUNT_URN } from '../../../src/domain/account/account';
import { expiresAtOf, isExpired } from '../../../src/domain/account/expiry';
import type { JsonObject } from '../../../src/scim/values/json';

const NOW = new Date('2024-03-10T12:00:00.000Z');
const user = (expiresAt: unknown, active = true) => ({ userName: 'u', active, [ACCOUNT_URN]: { expiresAt } }) as JsonObject;

/** 001: an account stops working at its expiresAt. */
describe('expiresAtOf and isExpired', () => {
  it('reads no expiry from a user without one, or with a value that is no instant', () => {
    for (const data of [{}, { [ACCOUNT_URN]: {} }, user(null), user('soon'), user(42)]) {
      expect(expiresAtOf(data as JsonObject)).toBeUndefined();
      expect(isExpired(data as JsonObject, NOW)).toBe(false);
    }
  });

  it.each([
    ['2024-03-10T11:59:59.999Z', true, 'a millisecond before now'],
    ['2024-03-10T12:00:00.000Z', true, 'now itself'],
    ['2024-03-10T13:00:00+01:00', true, 'now, written with an offset'],
    ['2024-03-10T12:00:00.001Z', false, 'a millisecond after now'],
  ])('%s has passed: %s (%s)', (expiresAt, expired) => {
    expect(isExpired(user(expiresAt), NOW)).toBe(expired);
  });
});
