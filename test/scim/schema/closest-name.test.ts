import { closestName, typingDistance } from '../../../src/scim/schema/closest-name';

const candidates = ['emails', 'userName', 'addresses', 'forcePasswordChange', 'expiresAt', 'name', 'nickName'].map((name) => ({ name, suggestion: `<${name}>` }));

/** "Did you mean …?": which misspellings find which attribute, and which find none. */
describe('closestName', () => {
  it.each([
    ['emial', '<emails>', 'a swap and a missing letter'],
    ['Emails', '<emails>', 'another case'],
    ['username', '<userName>', 'another case'],
    ['user_name', '<userName>', 'snake_case'],
    ['adreses', '<addresses>', 'two missing letters'],
    ['force_change_password', '<forcePasswordChange>', 'the same words in another order'],
    ['expires_at', '<expiresAt>', 'snake_case'],
    ['expires-at', '<expiresAt>', 'kebab-case'],
    ['nam', '<name>', 'one missing letter in a short name'],
  ])('%j → %s (%s)', (name, expected) => {
    expect(closestName(name, candidates)).toBe(expected);
  });

  it.each([
    ['shoeSize'],
    ['favouriteColour'],
    ['x'],
    ['e'.repeat(500)],
  ])('%j → nothing close', (name) => {
    expect(closestName(name, candidates)).toBeUndefined();
  });

  it('prefers the closest of several candidates', () => {
    expect(closestName('nickNam', candidates)).toBe('<nickName>');
  });
});

describe('typingDistance', () => {
  it.each([
    ['abc', 'abc', 0],
    ['abc', 'acb', 1],
    ['abc', 'ab', 1],
    ['abc', 'xbc', 1],
    ['emial', 'emails', 2],
  ])('%j to %j is %d', (a, b, distance) => {
    expect(typingDistance(a, b, 3)).toBe(distance);
  });

  it('is undefined beyond the allowed number of errors', () => {
    expect(typingDistance('abcdef', 'uvwxyz', 2)).toBeUndefined();
    expect(typingDistance('a', 'abcdef', 2)).toBeUndefined();
  });
});
