import { changeSettings, effectivePolicy, SETTING_NAMES, type PolicyDefaults } from '../../src/domain/tenancy';
import type { TenantSettings } from '../../src/store/port';
import { refusal } from '../support/refusal';

/** README "Tenants": a tenant's own settings, each over the server's environment variable. */

const DEFAULTS: PolicyDefaults = {
  maxRoles: 25,
  usernameImmutable: false,
  requiredUserAttributes: ['name.givenName', 'name.familyName', 'emails'],
  usernameFormat: 'any',
  retentionDeletedDays: 30,
  retentionInactiveDays: undefined,
};

describe('tenant settings (changeSettings)', () => {
  it('names every setting a tenant may have', () => {
    expect([...SETTING_NAMES].sort()).toEqual(['maxRoles', 'requiredUserAttributes', 'retentionDeletedDays', 'retentionInactiveDays', 'usernameFormat', 'usernameImmutable']);
  });

  describe('requiredUserAttributes: what every user must have beside userName', () => {
    it.each([
      ['all three', ['name.givenName', 'name.familyName', 'emails'], ['name.givenName', 'name.familyName', 'emails']],
      ['none ([]), for an IdP that cannot send them (Entra service accounts)', [], []],
      ['only emails', ['emails'], ['emails']],
      ['the names in any order, kept in one order', ['name.familyName', 'name.givenName'], ['name.givenName', 'name.familyName']],
      ['a name given twice, kept once', ['emails', 'emails'], ['emails']],
    ])('takes %s', (_label, value, stored) => {
      expect(changeSettings({}, { requiredUserAttributes: value }).requiredUserAttributes).toEqual(stored);
    });

    it.each([
      ['an attribute that cannot be required', ['name.givenName', 'title']],
      ['userName (always required)', ['userName']],
      ['another case', ['Emails']],
      ['a comma-separated string', 'name.givenName,emails'],
      ['"none" (the environment variable\'s word; here it is [])', 'none'],
      ['a list of non-strings', [1]],
      ['an object', { emails: true }],
    ])('refuses %s with a sentence listing what may be required', (_label, value) => {
      const error = refusal(() => changeSettings({}, { requiredUserAttributes: value }), 400, 'invalidValue');
      expect(error.detail).toBe('settings.requiredUserAttributes must be a list of "name.givenName", "name.familyName", "emails" (userName is always required), [] to require none of them, or null for the server\'s default');
    });
  });

  describe('usernameFormat', () => {
    it.each(['any', 'email'])('takes %j', (value) => {
      expect(changeSettings({}, { usernameFormat: value }).usernameFormat).toBe(value);
    });

    it.each(['Email', 'upn', '', true, 7])('refuses %j with a sentence', (value) => {
      const error = refusal(() => changeSettings({}, { usernameFormat: value }), 400, 'invalidValue');
      expect(error.detail).toBe('settings.usernameFormat must be "any" or "email" (every userName an email address), or null for the server\'s default');
    });
  });

  describe('usernameImmutable, per tenant', () => {
    it.each([true, false])('takes %s', (value) => {
      expect(changeSettings({}, { usernameImmutable: value }).usernameImmutable).toBe(value);
    });

    it('refuses anything but a boolean', () => {
      refusal(() => changeSettings({}, { usernameImmutable: 'true' }), 400, 'invalidValue');
    });
  });

  it('returns a setting to the server default with null, and leaves unnamed ones as they are', () => {
    const current: TenantSettings = { requiredUserAttributes: [], usernameFormat: 'email', usernameImmutable: true };
    expect(changeSettings(current, { requiredUserAttributes: null, usernameFormat: null })).toEqual({ usernameImmutable: true });
  });
});

describe('the effective policy (effectivePolicy)', () => {
  it('is the server default for every setting a tenant leaves out', () => {
    expect(effectivePolicy({}, DEFAULTS)).toEqual(DEFAULTS);
  });

  it("takes the tenant's own required set, userName format and immutability over the defaults", () => {
    const settings: TenantSettings = { requiredUserAttributes: [], usernameFormat: 'email', usernameImmutable: true };
    expect(effectivePolicy(settings, DEFAULTS)).toMatchObject({ requiredUserAttributes: [], usernameFormat: 'email', usernameImmutable: true });
  });

  it("keeps the server's default for a tenant that sets only some of them", () => {
    expect(effectivePolicy({ requiredUserAttributes: ['emails'] }, { ...DEFAULTS, usernameFormat: 'email', usernameImmutable: true }))
      .toMatchObject({ requiredUserAttributes: ['emails'], usernameFormat: 'email', usernameImmutable: true });
  });
});
