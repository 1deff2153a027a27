import { refusal } from '../../support/refusal';
import { checkRequiredIdentity, checkUserNameChange } from '../../../src/domain/account/identity';
import { ScimError } from '../../../src/scim/errors';
import type { JsonObject } from '../../../src/scim/values/json';

/**
 * Rule 4: name.givenName, name.familyName and an email are required and cannot be blanked; with
 * USERNAME_IMMUTABLE=true a userName never changes.
 */

const valid: JsonObject = {
  userName: 'ada',
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [{ value: 'ada@example.com', type: 'work' }],
};
const withName = (name: JsonObject) => ({ ...valid, name: { ...(valid.name as JsonObject), ...name } });
const without = (key: string) => Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key)) as JsonObject;
const nameWithout = (part: string) => ({ ...valid, name: Object.fromEntries(Object.entries(valid.name as JsonObject).filter(([k]) => k !== part)) as JsonObject });

describe('required identity (checkRequiredIdentity)', () => {
  it.each([
    ['a first name, a last name and an email', valid],
    ['several emails of which one has a value', { ...valid, emails: [{ value: '', type: 'home' }, { value: 'ada@example.com' }] }],
    ['names in any script', withName({ givenName: 'Ådä', familyName: '李' })],
  ] as [string, JsonObject][])('accepts %s', (_label, data) => {
    expect(() => checkRequiredIdentity(data)).not.toThrow();
  });

  describe.each(['givenName', 'familyName'])('name.%s', (part) => {
    it.each([
      ['missing', nameWithout(part)],
      ['empty', withName({ [part]: '' })],
      ['blank', withName({ [part]: '   ' })],
      ['null', withName({ [part]: null })],
      ['not a string', withName({ [part]: 7 })],
    ])('is refused when %s: 400 invalidValue naming it', (_label, data) => {
      const error = refusal(() => checkRequiredIdentity(data));
      expect(error.scimType).toBe('invalidValue');
      expect(error.detail).toBe(`name.${part} is required and cannot be blank`);
    });
  });

  it('refuses a user without name at all, naming name.givenName', () => {
    expect(refusal(() => checkRequiredIdentity(without('name'))).detail).toContain('name.givenName');
  });

  it.each([
    ['missing', without('emails')],
    ['an empty list', { ...valid, emails: [] }],
    ['null', { ...valid, emails: null }],
    ['an email with an empty value', { ...valid, emails: [{ value: '', type: 'work' }] }],
    ['an email with a blank value', { ...valid, emails: [{ value: '  ' }] }],
    ['an email without a value', { ...valid, emails: [{ type: 'work', primary: true }] }],
  ])('refuses emails when %s: 400 invalidValue asking for an email with a value', (_label, data) => {
    const error = refusal(() => checkRequiredIdentity(data as JsonObject));
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toBe('emails is required: give at least one email with a value');
  });
});

describe('userName changes (checkUserNameChange)', () => {
  it.each([
    ['another name', 'grace'],
    ['the same name in another case', 'ADA'],
    ['the same name', 'ada'],
  ])('are allowed by default: %s', (_label, userName) => {
    expect(() => checkUserNameChange(valid, { ...valid, userName }, false)).not.toThrow();
  });

  it('keeps the same userName allowed when userNames are immutable', () => {
    expect(() => checkUserNameChange(valid, { ...valid }, true)).not.toThrow();
  });

  it.each([
    ['another name', 'grace'],
    ['the same name in another case', 'ADA'],
  ])('are refused with USERNAME_IMMUTABLE=true: %s → 400 mutability naming the setting', (_label, userName) => {
    const error = refusal(() => checkUserNameChange(valid, { ...valid, userName }, true));
    expect(error.scimType).toBe('mutability');
    expect(error.detail).toBe('userName cannot be changed on this server (USERNAME_IMMUTABLE=true)');
  });
});

describe('a user stored before the identity rules', () => {
  const legacy = { userName: 'legacy' };
  it('can still be changed when the write does not blank anything it had', () => {
    expect(() => checkRequiredIdentity({ userName: 'legacy', active: false }, legacy)).not.toThrow();
  });
  it('cannot lose a name part it has', () => {
    expect(() => checkRequiredIdentity({ userName: 'x' }, { userName: 'x', name: { givenName: 'A', familyName: 'B' } })).toThrow(/name.givenName is required/);
  });
});
