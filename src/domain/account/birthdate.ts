import { invalidValue } from '../../scim/errors';
import { getKey, type JsonObject } from '../../scim/values/json';
import { accountOf } from './account';

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The earliest time zone is 14 hours ahead of UTC: a date is in the future only when it is
 * after today there, so a child born today in Kiribati can be entered the same day.
 */
const EARLIEST_ZONE_MS = 14 * 3_600_000;

/** Whether `text` is a date of the calendar written YYYY-MM-DD (1990-02-30 is not). */
export function isCalendarDate(text: string): boolean {
  const match = CALENDAR_DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * 001: the Account extension's birthdate is a calendar date YYYY-MM-DD (RFC 3339 full-date, as
 * OpenID Connect's birthdate) that is not in the future. Only the date: a birth time would be
 * personal data no account rule needs.
 */
export function checkBirthdate(data: JsonObject, now: Date): void {
  const value = getKey(accountOf(data), 'birthdate');
  if (value === undefined || value === null) return;
  if (typeof value !== 'string' || !isCalendarDate(value)) {
    throw invalidValue(`birthdate must be a calendar date written YYYY-MM-DD, such as 1990-04-23, not ${JSON.stringify(value)}`);
  }
  const latest = new Date(now.getTime() + EARLIEST_ZONE_MS).toISOString().slice(0, 10);
  if (value > latest) throw invalidValue(`birthdate ${value} is in the future`);
}
