import { checkSizes, longerThan, type ResourceLimits } from '../../../src/scim/schema/resource-limits';
import { loadSchemaRegistry } from '../../../src/scim/schema/registry';
import type { JsonObject } from '../../../src/scim/values/json';
import { refusal } from '../../support/refusal';

const registry = loadSchemaRegistry();
const ACCOUNT = 'urn:ietf:params:scim:schemas:extension:roster:2.0:Account';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const limits: ResourceLimits = { maxMultiValues: 3, maxStringLength: 20, maxNameLength: 8 };

const emails = (n: number) => Array.from({ length: n }, (_, i) => ({ value: `e${i}@x.y` }));

describe('longerThan counts characters as Unicode code points', () => {
  it.each<[string, string, number, boolean]>([
    ['ASCII at the limit', 'abcd', 4, false],
    ['ASCII over the limit', 'abcde', 4, true],
    ['four emoji are four characters (eight UTF-16 units)', '😀😀😀😀', 4, false],
    ['five emoji are five', '😀😀😀😀😀', 4, true],
    ['accented letters are one character each', 'éééé', 4, false],
    ['a string far over the limit', 'x'.repeat(5_000_000), 2048, true],
  ])('%s', (_case, text, max, expected) => {
    expect(longerThan(text, max)).toBe(expected);
  });
});

describe('checkSizes: the size of a write body, before it is validated', () => {
  it.each<[string, JsonObject, RegExp]>([
    ['a multi-valued attribute over the limit', { emails: emails(4) }, /^emails has 4 values, more than the 3 this server accepts in one attribute$/],
    ['an extension\'s multi-valued attribute, named with its URN', { [ACCOUNT]: { roles: ['a', 'b', 'c', 'd'] } }, new RegExp(`^${ACCOUNT}:roles has 4 values`)],
    ['an array of an unknown attribute', { tags: [1, 2, 3, 4] }, /^tags has 4 values/],
    ['a string attribute over the limit', { title: 'x'.repeat(21) }, /^title is longer than 20 characters/],
    ['a sub-attribute, named by its path', { emails: [{ value: 'a@x.y' }, { value: 'x'.repeat(21) }] }, /^emails\[1\]\.value is longer than 20 characters/],
    ['an extension sub-attribute', { [ENT]: { manager: { displayName: 'x'.repeat(21) } } }, new RegExp(`^${ENT}:manager\\.displayName is longer than 20`)],
    ['a password', { password: 'p'.repeat(21) }, /^password is longer than 20 characters/],
    ['an element of a multi-valued string attribute', { [ACCOUNT]: { roles: ['x'.repeat(21)] } }, /roles\[0\] is longer than 20/],
  ])('refuses %s with 400 invalidValue naming it and the limit', (_case, body, message) => {
    const error = refusal(() => checkSizes(registry.user, body, limits));
    expect([error.status, error.scimType]).toEqual([400, 'invalidValue']);
    expect(error.detail).toMatch(message);
  });

  it('never repeats the value it refuses (a password stays secret)', () => {
    expect(refusal(() => checkSizes(registry.user, { password: 'Secret-'.repeat(10) }, limits)).detail).not.toContain('Secret');
  });

  it.each<[string, JsonObject]>([
    ['values at the limits', { emails: emails(3), title: 'x'.repeat(20) }],
    ['read-only attributes, which are ignored on input (a user\'s groups sent back)', { groups: Array.from({ length: 10 }, () => ({ value: 'x'.repeat(40) })), meta: { location: 'x'.repeat(40) } }],
    ['read-only attributes named in another case', { GROUPS: [1, 2, 3, 4] }],
    ['an extension\'s read-only attribute', { [ACCOUNT]: { activatedAt: 'x'.repeat(40) } }],
  ])('accepts %s', (_case, body) => {
    expect(() => checkSizes(registry.user, body, limits)).not.toThrow();
  });

  it('leaves the number of a group\'s members unlimited, but not the size of each member\'s strings', () => {
    const members = Array.from({ length: 10 }, (_, i) => ({ value: `m${i}` }));
    expect(() => checkSizes(registry.group, { displayName: 'g', members }, limits)).not.toThrow();
    expect(() => checkSizes(registry.group, { displayName: 'g', Members: members }, limits)).not.toThrow();
    expect(refusal(() => checkSizes(registry.group, { members: [{ value: 'm', display: 'x'.repeat(21) }] }, limits)).detail).toMatch(/^members\[0\]\.display is longer/);
  });

  it('counts members on users, where the attribute does not exist', () => {
    expect(refusal(() => checkSizes(registry.user, { members: [1, 2, 3, 4] }, limits)).detail).toMatch(/^members has 4 values/);
  });
});

describe('userName and displayName: MAX_NAME_LENGTH', () => {
  it.each(['userName', 'USERNAME', 'displayName'])('measures a top-level %s against maxNameLength', (key) => {
    expect(refusal(() => checkSizes(registry.user, { [key]: 'x'.repeat(9) }, limits)).detail).toBe(`${key} is longer than 8 characters, the most this server accepts`);
  });

  it('measures a group\'s displayName alike', () => {
    expect(refusal(() => checkSizes(registry.group, { displayName: 'x'.repeat(9) }, limits)).detail).toMatch(/^displayName is longer than 8/);
  });

  it('accepts names at the limit, counted in code points, and a nested displayName as any string', () => {
    expect(() => checkSizes(registry.user, { userName: 'x'.repeat(8), displayName: '😀'.repeat(8), name: { displayName: 'x'.repeat(20) } }, limits)).not.toThrow();
  });
});
