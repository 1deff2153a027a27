import { refusal } from '../../support/refusal';
import { checkIdentity } from '../../../src/domain/account/identity';
import type { AccountPolicy } from '../../../src/domain/account/account-rules';
import type { JsonObject } from '../../../src/scim/values/json';

/**
 * Rule 4 (seeds 000, 004): what the tenant requires beside userName (REQUIRED_USER_ATTRIBUTES,
 * by default name.givenName, name.familyName and an email) must be there and cannot be blanked;
 * with USERNAME_FORMAT=email a userName is an email address; with USERNAME_IMMUTABLE=true it
 * never changes.
 */

const POLICY: AccountPolicy = { maxRoles: 25, usernameImmutable: false, requiredUserAttributes: ['name.givenName', 'name.familyName', 'emails'], usernameFormat: 'any' };
const policy = (change: Partial<AccountPolicy>): AccountPolicy => ({ ...POLICY, ...change });

const valid: JsonObject = {
  userName: 'ada',
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [{ value: 'ada@example.com', type: 'work' }],
};
const withName = (name: JsonObject) => ({ ...valid, name: { ...(valid.name as JsonObject), ...name } });
const without = (key: string) => Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key)) as JsonObject;
const nameWithout = (part: string) => ({ ...valid, name: Object.fromEntries(Object.entries(valid.name as JsonObject).filter(([k]) => k !== part)) as JsonObject });
const SETTING = "(REQUIRED_USER_ATTRIBUTES, or the tenant's requiredUserAttributes setting)";

describe('required attributes, by default name.givenName, name.familyName and emails', () => {
  const create = (data: JsonObject, rules = POLICY) => checkIdentity(undefined, data, rules);

  it.each([
    ['a first name, a last name and an email', valid],
    ['several emails of which one has a value', { ...valid, emails: [{ value: '', type: 'home' }, { value: 'ada@example.com' }] }],
    ['names in any script', withName({ givenName: 'Ådä', familyName: '李' })],
  ] as [string, JsonObject][])('accepts %s', (_label, data) => {
    expect(() => create(data)).not.toThrow();
  });

  describe.each(['givenName', 'familyName'])('name.%s', (part) => {
    it.each([
      ['missing', nameWithout(part)],
      ['empty', withName({ [part]: '' })],
      ['blank', withName({ [part]: '   ' })],
      ['null', withName({ [part]: null })],
      ['not a string', withName({ [part]: 7 })],
    ])('is refused when %s: 400 invalidValue naming it and the setting', (_label, data) => {
      const error = refusal(() => create(data), 400, 'invalidValue');
      expect(error.detail).toBe(`name.${part} is required and cannot be blank ${SETTING}`);
    });
  });

  it('refuses a user without name at all, naming name.givenName', () => {
    expect(refusal(() => create(without('name'))).detail).toContain('name.givenName');
  });

  it.each([
    ['missing', without('emails')],
    ['an empty list', { ...valid, emails: [] }],
    ['null', { ...valid, emails: null }],
    ['an email with an empty value', { ...valid, emails: [{ value: '', type: 'work' }] }],
    ['an email with a blank value', { ...valid, emails: [{ value: '  ' }] }],
    ['an email without a value', { ...valid, emails: [{ type: 'work', primary: true }] }],
  ])('refuses emails when %s: 400 invalidValue asking for an email with a value', (_label, data) => {
    const error = refusal(() => create(data as JsonObject), 400, 'invalidValue');
    expect(error.detail).toBe(`emails is required: give at least one email with a value ${SETTING}`);
  });

  describe("a tenant's own set", () => {
    it.each([
      ['none of them', [], { userName: 'svc-backup' }],
      ['only emails', ['emails'], { userName: 'svc', emails: [{ value: 'svc@example.com' }] }],
      ['only the family name', ['name.familyName'], { userName: 'svc', name: { familyName: 'Service' } }],
      ['the names, not emails', ['name.givenName', 'name.familyName'], { userName: 'svc', name: { givenName: 'A', familyName: 'B' } }],
    ] as [string, AccountPolicy['requiredUserAttributes'], JsonObject][])('requiring %s accepts a user with just that', (_label, required, data) => {
      expect(() => create(data, policy({ requiredUserAttributes: required }))).not.toThrow();
    });

    it.each([
      [['emails'], { userName: 'svc', name: { givenName: 'A', familyName: 'B' } }, 'emails is required'],
      [['name.givenName'], { userName: 'svc', emails: [{ value: 'svc@example.com' }] }, 'name.givenName is required'],
      [['name.familyName'], { userName: 'svc', name: { givenName: 'A' } }, 'name.familyName is required'],
    ] as [AccountPolicy['requiredUserAttributes'], JsonObject, string][])('requiring %j still refuses a user without it', (required, data, detail) => {
      expect(refusal(() => create(data, policy({ requiredUserAttributes: required })), 400, 'invalidValue').detail).toContain(detail);
    });
  });
});

describe('a user stored without a required attribute (before the rules, or while the tenant required less)', () => {
  const legacy = { userName: 'legacy' };

  it('can still be changed when the write does not blank anything it had', () => {
    expect(() => checkIdentity(legacy, { userName: 'legacy', active: false }, POLICY)).not.toThrow();
  });

  it('cannot lose a name part it has', () => {
    const before = { userName: 'x', name: { givenName: 'A', familyName: 'B' } };
    expect(refusal(() => checkIdentity(before, { userName: 'x' }, POLICY), 400, 'invalidValue').detail).toContain('name.givenName is required');
  });

  it('cannot lose its last email', () => {
    const before = { userName: 'x', emails: [{ value: 'x@example.com' }] };
    expect(refusal(() => checkIdentity(before, { userName: 'x', emails: [] }, POLICY)).detail).toContain('emails is required');
  });

  it('may lose anything once the tenant requires none of it', () => {
    expect(() => checkIdentity(valid, { userName: 'ada' }, policy({ requiredUserAttributes: [] }))).not.toThrow();
  });
});

describe('USERNAME_FORMAT', () => {
  const email = policy({ usernameFormat: 'email' });

  it('any (the default) takes any userName', () => {
    expect(() => checkIdentity(undefined, { ...valid, userName: 'ada lovelace' }, POLICY)).not.toThrow();
  });

  it('email takes a userName that is an email address', () => {
    expect(() => checkIdentity(undefined, { ...valid, userName: 'ada.lovelace@example.com' }, email)).not.toThrow();
  });

  it('email refuses another userName: 400 invalidValue naming the value and the setting', () => {
    const error = refusal(() => checkIdentity(undefined, { ...valid, userName: 'ada' }, email), 400, 'invalidValue');
    expect(error.detail).toBe(`userName "ada" is not an email address: this tenant requires userNames such as ada@example.com (USERNAME_FORMAT=email, or the tenant's usernameFormat setting)`);
  });

  it('email lets a user stored with another userName be changed while the write keeps that userName', () => {
    expect(() => checkIdentity(valid, { ...valid, active: false }, email)).not.toThrow();
  });

  it.each([
    ['to another non-address', 'grace'],
    ['to the same name in another case', 'ADA'],
  ])('email refuses a change of such a userName %s', (_label, userName) => {
    expect(refusal(() => checkIdentity(valid, { ...valid, userName }, email), 400, 'invalidValue').detail).toContain('USERNAME_FORMAT=email');
  });

  it('email lets such a user move to an address', () => {
    expect(() => checkIdentity(valid, { ...valid, userName: 'ada@example.com' }, email)).not.toThrow();
  });
});

describe('userName changes', () => {
  it.each([
    ['another name', 'grace'],
    ['the same name in another case', 'ADA'],
    ['the same name', 'ada'],
  ])('are allowed by default: %s', (_label, userName) => {
    expect(() => checkIdentity(valid, { ...valid, userName }, POLICY)).not.toThrow();
  });

  it('keeps the same userName allowed when userNames are immutable', () => {
    expect(() => checkIdentity(valid, { ...valid }, policy({ usernameImmutable: true }))).not.toThrow();
  });

  it('lets a user be created with any userName when userNames are immutable', () => {
    expect(() => checkIdentity(undefined, { ...valid }, policy({ usernameImmutable: true }))).not.toThrow();
  });

  it.each([
    ['another name', 'grace'],
    ['the same name in another case', 'ADA'],
  ])('are refused with USERNAME_IMMUTABLE=true: %s → 400 mutability naming the setting', (_label, userName) => {
    const error = refusal(() => checkIdentity(valid, { ...valid, userName }, policy({ usernameImmutable: true })), 400, 'mutability');
    expect(error.detail).toBe("userName cannot be changed on this server (USERNAME_IMMUTABLE=true, or the tenant's usernameImmutable setting)");
  });
});
