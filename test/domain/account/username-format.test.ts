import { fitsUsernameFormat, isEmailAddress } from '../../../src/domain/account/username-format';

/** USERNAME_FORMAT=email (seeds 002, 004): the username is the person's email address. */
describe('an email address as a userName (isEmailAddress)', () => {
  it.each([
    ['a plain address', 'ada@example.com'],
    ['dots and plus in the local part', 'ada.lovelace+scim@example.com'],
    ['an Entra UPN', 'AdaL@contoso.onmicrosoft.com'],
    ['a subdomain and a hyphen', 'ops@mail.eu-west.example.co.uk'],
    ["RFC 5322 atom symbols", "o'brien_&{x}@example.com"],
    ['an internationalised address', 'jürgen@bücher.de'],
    ['a 64-character local part', `${'a'.repeat(64)}@example.com`],
  ])('accepts %s: %s', (_label, value) => {
    expect(isEmailAddress(value)).toBe(true);
  });

  it.each([
    ['a bare name', 'ada'],
    ['no local part', '@example.com'],
    ['no domain', 'ada@'],
    ['a one-label domain', 'ada@localhost'],
    ['two @', 'ada@lovelace@example.com'],
    ['a space', 'ada lovelace@example.com'],
    ['a leading dot', '.ada@example.com'],
    ['two dots in a row', 'ada..l@example.com'],
    ['an empty domain label', 'ada@example..com'],
    ['a label starting with a hyphen', 'ada@-example.com'],
    ['a quoted local part', '"ada l"@example.com'],
    ['a display-name form', 'Ada <ada@example.com>'],
    ['a 65-character local part', `${'a'.repeat(65)}@example.com`],
    ['an address longer than 254 characters', `ada@${'a'.repeat(62)}.${'b'.repeat(62)}.${'c'.repeat(62)}.${'d'.repeat(62)}.com`],
    ['the empty string', ''],
  ])('refuses %s: %j', (_label, value) => {
    expect(isEmailAddress(value)).toBe(false);
  });
});

describe('fitsUsernameFormat', () => {
  it.each([
    ['any', 'ada', true],
    ['any', 'ada@example.com', true],
    ['email', 'ada@example.com', true],
    ['email', 'ada', false],
  ] as const)('%s: %j → %s', (format, userName, fits) => {
    expect(fitsUsernameFormat(userName, format)).toBe(fits);
  });
});
