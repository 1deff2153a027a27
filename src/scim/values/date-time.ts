/**
 * xsd:dateTime as RFC 7643 §2.3.5 uses it: a date, optionally with a time and zone.
 * Dates are compared as instants, so every dateTime is kept as an ISO-8601 UTC string, whose
 * text order is its time order.
 */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/i;
const HAS_ZONE = /(Z|[+-]\d{2}:\d{2})$/i;

/** The ISO-8601 UTC form of a dateTime, or undefined when the text is not one. */
export function parseDateTime(text: string): string | undefined {
  if (!DATE_TIME.test(text)) return undefined;
  // A time without a zone is read as UTC, not as this server's local time.
  const time = Date.parse(text.includes('T') && !HAS_ZONE.test(text) ? `${text}Z` : text);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
