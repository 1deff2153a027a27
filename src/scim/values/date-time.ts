/**
 * xsd:dateTime as RFC 7643 §2.3.5 uses it: a date, optionally with a time and zone.
 * Dates are compared as instants, so every dateTime is kept as an ISO-8601 UTC string, whose
 * text order is its time order.
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/i;
const HAS_ZONE = /(Z|[+-]\d{2}:\d{2})$/i;

/** The ISO-8601 UTC form of a dateTime, or undefined when the text is not one. */
export function parseDateTime(text: string): string | undefined {
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  // The "T" and "Z" may be lower case; Date.parse reads "…t10:00" as local time, so normalise first.
  const normal = text.toUpperCase();
  // A time without a zone is read as UTC, not as this server's local time.
  const time = Date.parse(normal.includes('T') && !HAS_ZONE.test(normal) ? `${normal}Z` : normal);
  if (Number.isNaN(time) || !isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]))) return undefined;
  return new Date(time).toISOString();
}

/** Date.parse rolls "2020-02-30" over to March 1st; a day the month does not have is not a date. */
function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(year, month, 0);
  return day <= lastDay.getUTCDate();
}
