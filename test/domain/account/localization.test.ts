import { refusal } from '../../support/refusal';
import { LOCALIZATION_URN } from '../../../src/domain/account/account';
import { checkLocalization, DATE_TIME_FORMATS } from '../../../src/domain/account/localization';
import { ScimError } from '../../../src/scim/errors';
import type { JsonObject } from '../../../src/scim/values/json';

const refusalOf = (data: JsonObject) => refusal(() => checkLocalization(data), 400, 'invalidValue');

/**
 * Rule 5: dateTimeFormat is one of seven formats; core timezone is an IANA zone; preferredLanguage
 * and locale are BCP 47 tags (Okta's "en_US" too), preferredLanguage possibly an Accept-Language list.
 */

const format = (value: unknown) => ({ [LOCALIZATION_URN]: { dateTimeFormat: value } }) as JsonObject;

describe('dateTimeFormat', () => {
  it('offers exactly the seven formats', () => {
    expect([...DATE_TIME_FORMATS]).toEqual(['m/d/Y', 'm/d/Y h:i A', 'm/d/Y H:i', 'd/m/Y', 'd/m/Y H:i', 'Y/m/d', 'Y/m/d H:i']);
  });

  it.each(DATE_TIME_FORMATS.map((f) => [f]))('accepts %j', (value) => {
    expect(() => checkLocalization(format(value))).not.toThrow();
  });

  it('accepts no format, or a null one', () => {
    expect(() => checkLocalization({})).not.toThrow();
    expect(() => checkLocalization({ [LOCALIZATION_URN]: {} })).not.toThrow();
    expect(() => checkLocalization(format(null))).not.toThrow();
  });

  it.each([['m/d/y'], ['M/D/Y'], ['Y-m-d'], ['m/d/Y h:i a'], [' m/d/Y'], ['m/d/Y  H:i'], ['d.m.Y'], [''], [42]])('refuses %j, listing the seven', (value) => {
    const error = refusalOf(format(value));
    expect(error.detail).toBe(`dateTimeFormat must be one of ${DATE_TIME_FORMATS.join(', ')}, not ${JSON.stringify(value)}`);
  });
});

describe('timezone', () => {
  it.each([['Europe/Berlin'], ['America/New_York'], ['America/Argentina/Buenos_Aires'], ['Asia/Kolkata'], ['UTC'], ['Etc/GMT+5']])('accepts the IANA zone %j', (timezone) => {
    expect(() => checkLocalization({ timezone })).not.toThrow();
  });

  it.each([['Mars/Phobos'], ['Berlin'], ['+01:00'], ['GMT+1'], [''], ['   ']])('refuses %j, with an example of a zone name', (timezone) => {
    const error = refusalOf({ timezone });
    expect(error.detail).toBe(`timezone must be an IANA time zone name such as Europe/Berlin or America/New_York, not ${JSON.stringify(timezone)}`);
  });
});

describe('locale', () => {
  it.each([['en-US'], ['en_US'], ['de'], ['zh-Hant-TW'], ['es-419'], ['sr-Latn-RS']])('accepts the tag %j', (locale) => {
    expect(() => checkLocalization({ locale })).not.toThrow();
  });

  it.each([['e'], ['en--US'], ['en US'], ['en-'], [''], ['da, en'], ['*'], ['123']])('refuses %j (a locale is one tag, not a list)', (locale) => {
    const error = refusalOf({ locale });
    expect(error.detail).toBe(`locale must be a BCP 47 language tag such as en-US, not ${JSON.stringify(locale)}`);
  });
});

describe('preferredLanguage', () => {
  it.each([
    ['a tag', 'en-US'],
    ["Okta's underscore form", 'en_US'],
    ['an Accept-Language list', 'da, en-gb;q=0.8, en;q=0.7'],
    ['a list with the wildcard', 'fr-CH, fr;q=0.9, *;q=0.5'],
    ['weights of 1 and 0', 'en;q=1.000, de;q=0'],
    ['a weight written Q=', 'en;Q=0.5'],
  ])('accepts %s: %j', (_label, preferredLanguage) => {
    expect(() => checkLocalization({ preferredLanguage })).not.toThrow();
  });

  it.each([
    ['a single letter', 'e'],
    ['a tag with a space', 'en US'],
    ['an empty value', ''],
    ['a weight above 1', 'en;q=2'],
    ['a weight with four decimals', 'en;q=0.1234'],
    ['a parameter that is not a weight', 'en;level=1'],
    ['two weights', 'en;q=0.5;q=0.4'],
    ['an empty list item', 'da,,en'],
  ])('refuses %s: %j', (_label, preferredLanguage) => {
    const error = refusalOf({ preferredLanguage });
    expect(error.detail).toBe(`preferredLanguage must be a BCP 47 language tag such as en-US (or an Accept-Language list), not ${JSON.stringify(preferredLanguage)}`);
  });
});
