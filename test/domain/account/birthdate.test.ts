import { ACCOUNT_URN } from '../../../src/domain/account/account';
import { checkBirthdate, isCalendarDate } from '../../../src/domain/account/birthdate';
import type { JsonObject } from '../../../src/scim/values/json';
import { refusal } from '../../support/refusal';

const NOW = new Date('2024-03-10T12:00:00Z');
const withBirthdate = (value: unknown) => ({ [ACCOUNT_URN]: { birthdate: value } }) as JsonObject;

/** 001: birthdate is a calendar date YYYY-MM-DD, not in the future. */
describe('isCalendarDate', () => {
  it.each(['1990-04-23', '2000-02-29', '2024-12-31', '1900-01-01'])('accepts %j', (text) => {
    expect(isCalendarDate(text)).toBe(true);
  });

  it.each([
    ['1990-02-30', 'a day the month does not have'],
    ['1900-02-29', 'February 29 of a year that is not a leap year'],
    ['1990-13-01', 'a thirteenth month'],
    ['1990-00-10', 'month zero'],
    ['1990-4-23', 'a month without its leading zero'],
    ['23/04/1990', 'another notation'],
    ['1990-04-23T00:00:00Z', 'a time'],
    ['', 'nothing'],
  ])('refuses %j (%s)', (text) => {
    expect(isCalendarDate(text)).toBe(false);
  });
});

describe('checkBirthdate', () => {
  it('accepts no birthdate, a null one, and any past date', () => {
    for (const data of [{}, { [ACCOUNT_URN]: {} }, withBirthdate(null), withBirthdate('1990-04-23')]) expect(() => checkBirthdate(data as JsonObject, NOW)).not.toThrow();
  });

  it('accepts today, and tomorrow in UTC terms while it is already tomorrow in the earliest time zone (UTC+14)', () => {
    expect(() => checkBirthdate(withBirthdate('2024-03-10'), NOW)).not.toThrow();
    expect(() => checkBirthdate(withBirthdate('2024-03-11'), NOW)).not.toThrow();
  });

  it('refuses a date after today everywhere on Earth: 400 invalidValue', () => {
    expect(refusal(() => checkBirthdate(withBirthdate('2024-03-12'), NOW), 400, 'invalidValue').detail).toBe('birthdate 2024-03-12 is in the future');
  });

  it.each([['1990-02-30'], [19900423], [true]])('refuses %j with the form to use: 400 invalidValue', (value) => {
    expect(refusal(() => checkBirthdate(withBirthdate(value), NOW), 400, 'invalidValue').detail).toMatch(/^birthdate must be a calendar date written YYYY-MM-DD/);
  });
});
