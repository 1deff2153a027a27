import { ACCOUNT_URN } from '../../src/domain/account/account';
import { tokenIsCurrent } from '../../src/domain/token-validity';
import type { StoredUser } from '../../src/store/port';

const ACTIVATED = '2024-01-01T00:00:00.000Z';
const ISSUED = '2024-02-01T00:00:00.000Z';
const NOW = new Date('2024-03-10T12:00:00.000Z');

const user = (account: object = {}, extra: Partial<StoredUser> = {}): StoredUser => ({
  id: 'u1', created: ACTIVATED, lastModified: ACTIVATED, version: 1,
  data: { userName: 'u', active: true, [ACCOUNT_URN]: { status: 'Active', activatedAt: ACTIVATED, ...account } },
  ...extra,
});

/** Whether a user-bound token may act as its user now. */
describe('tokenIsCurrent', () => {
  it('accepts a token issued in the current spell of activity of an Active user', () => {
    expect(tokenIsCurrent(user(), ISSUED, NOW)).toBe(true);
  });

  it('refuses a token of a user who is not Active, or issued before the activation or a deletion', () => {
    expect(tokenIsCurrent(user({ status: 'Inactive' }, { data: { userName: 'u', active: false, [ACCOUNT_URN]: { status: 'Inactive' } } }), ISSUED, NOW)).toBe(false);
    expect(tokenIsCurrent(user({ activatedAt: '2024-02-15T00:00:00.000Z' }), ISSUED, NOW)).toBe(false);
    expect(tokenIsCurrent(user({}, { lastDeletedAt: ISSUED }), ISSUED, NOW)).toBe(false);
  });

  describe('expiresAt (001): tokens stop working at that instant, before any sweep deactivates the account', () => {
    it.each([
      ['2024-03-10T12:00:00.001Z', true, 'a millisecond later'],
      ['2024-03-10T12:00:00.000Z', false, 'now'],
      ['2024-03-01T00:00:00.000Z', false, 'days ago'],
    ])('expiresAt %s: accepted %s (%s)', (expiresAt, accepted) => {
      expect(tokenIsCurrent(user({ expiresAt }), ISSUED, NOW)).toBe(accepted);
    });

    it('reads the system clock when given none', () => {
      expect(tokenIsCurrent(user({ expiresAt: new Date(Date.now() - 1000).toISOString() }), ISSUED)).toBe(false);
      expect(tokenIsCurrent(user({ expiresAt: new Date(Date.now() + 3_600_000).toISOString() }), ISSUED)).toBe(true);
    });
  });
});
