import { invalidValue } from '../../scim/errors';
import { EVENT_TYPE_NAMES } from './event-types';

/** The most patterns one webhook subscription or feed query may give. */
export const MAX_TYPE_PATTERNS = 50;

const CATALOGUED: ReadonlySet<string> = new Set(EVENT_TYPE_NAMES);

const EXAMPLE = 'such as "user.*", "group.member_*" or "user.deactivated"';

/**
 * Checks a list of event type patterns (a webhook's `events`, a feed's `type`) and returns it
 * trimmed, in lower case, without duplicates. A pattern is a catalogued type, `*` (every type),
 * or a prefix ending in `*` (`user.*`, `group.member_*`). A pattern that selects no catalogued
 * type is refused rather than kept: it is a typo that would otherwise subscribe to nothing, in
 * silence.
 */
export function parseTypePatterns(patterns: unknown): string[] {
  if (!Array.isArray(patterns)) throw invalidValue(`Event types must be given as a list of patterns ${EXAMPLE}`);
  if (patterns.length === 0) throw invalidValue(`Give at least one event type pattern, ${EXAMPLE}, or "*" for every event`);
  if (patterns.length > MAX_TYPE_PATTERNS) {
    throw invalidValue(`At most ${MAX_TYPE_PATTERNS} event type patterns may be given, not ${patterns.length}: use a prefix such as "user.*" to select several types at once`);
  }
  const parsed: string[] = [];
  for (const pattern of patterns) {
    const checked = checkPattern(pattern);
    if (!parsed.includes(checked)) parsed.push(checked);
  }
  return parsed;
}

/** Whether a type is selected by any of the (parsed) patterns. */
export function typeMatcher(patterns: readonly string[]): (type: string) => boolean {
  if (patterns.includes('*')) return () => true;
  const exact = new Set(patterns.filter((p) => !p.endsWith('*')));
  const prefixes = patterns.filter((p) => p.endsWith('*')).map((p) => p.slice(0, -1));
  return (type) => exact.has(type) || prefixes.some((prefix) => type.startsWith(prefix));
}

function checkPattern(value: unknown): string {
  if (typeof value !== 'string') throw invalidValue(`Each event type pattern must be a string ${EXAMPLE}, not ${quote(value)}`);
  const pattern = value.trim().toLowerCase();
  if (pattern === '') throw invalidValue(`An event type pattern cannot be empty: give one ${EXAMPLE}`);
  if (pattern === '*') return pattern;
  const star = pattern.indexOf('*');
  if (star !== -1 && star !== pattern.length - 1) {
    throw invalidValue(`The event type pattern ${quote(value)} has a "*" before its end: a "*" may only end a pattern, ${EXAMPLE}`);
  }
  if (star === -1 ? CATALOGUED.has(pattern) : EVENT_TYPE_NAMES.some((t) => t.startsWith(pattern.slice(0, -1)))) return pattern;
  throw invalidValue(`The event type pattern ${quote(value)} matches no event type: ${suggestion(pattern)}`);
}

/** The types of the resource the pattern names (`user.create` → the user types), else the resources. */
function suggestion(pattern: string): string {
  const resource = pattern.split('.')[0];
  const related = EVENT_TYPE_NAMES.filter((t) => t.startsWith(`${resource}.`));
  if (related.length > 0) return `the ${resource} events are ${related.join(', ')} (or "${resource}.*" for all of them)`;
  const resources = [...new Set(EVENT_TYPE_NAMES.map((t) => t.split('.')[0]))];
  return `event types start with ${resources.map((r) => `${r}.`).join(', ')} (for instance "user.*"); "*" selects every event`;
}

/** A value quoted for a message, cut short: a refused value may be anything a client sent. */
function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
