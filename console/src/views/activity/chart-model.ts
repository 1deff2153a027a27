import { REQUEST_FAILED, type ActivityHour } from '../../api/activity';

/**
 * What the activity chart draws, computed apart from the drawing: the type families it stacks,
 * each hour's count per family, and the sentences an admin (or a screen reader) reads instead.
 */
export interface Family {
  readonly id: string;
  readonly label: string;
  readonly color: string;
  readonly matches: (type: string) => boolean;
}

const ADMIN_PREFIXES = ['token.', 'client.', 'webhook.', 'tenant.'];

/** Bottom to top: the identity provider's pushes first, failures on top where they catch the eye. */
export const FAMILIES: readonly Family[] = [
  { id: 'user', label: 'Users (user.*)', color: '#2456c9', matches: (t) => t.startsWith('user.') },
  { id: 'group', label: 'Groups (group.*)', color: '#0e9384', matches: (t) => t.startsWith('group.') },
  { id: 'admin', label: 'Tokens, clients, webhooks, tenant', color: '#98a2b3', matches: (t) => ADMIN_PREFIXES.some((p) => t.startsWith(p)) },
  { id: 'failed', label: 'Failed requests', color: '#d92d20', matches: (t) => t === REQUEST_FAILED },
];

export interface HourBar {
  readonly hour: string;
  /** Count per family id, in FAMILIES order. */
  readonly byFamily: readonly number[];
  readonly total: number;
  readonly counts: Readonly<Record<string, number>>;
}

export function barsOf(hours: readonly ActivityHour[]): HourBar[] {
  return hours.map(({ hour, counts }) => {
    const byFamily = FAMILIES.map((family) => Object.entries(counts).reduce((sum, [type, n]) => sum + (family.matches(type) ? n : 0), 0));
    return { hour, counts, byFamily, total: Object.values(counts).reduce((a, b) => a + b, 0) };
  });
}

/**
 * The y axis is logarithmic: one hour of an initial import (100,000 users) must not flatten the
 * hour with three failed pushes into nothing. `top` is the power of ten at or above the busiest
 * hour; `ticks` are the powers of ten up to it.
 */
export function logScale(busiest: number): { top: number; ticks: number[]; fraction: (n: number) => number } {
  const top = 10 ** Math.max(1, Math.ceil(Math.log10(Math.max(busiest, 1))));
  const ticks = Array.from({ length: Math.round(Math.log10(top)) + 1 }, (_, i) => 10 ** i);
  return { top, ticks, fraction: (n) => (n <= 0 ? 0 : Math.log10(1 + n) / Math.log10(1 + top)) };
}

/** 1, 10, 100, 1k, 10k, 100k, 1M: tick labels that fit the axis. */
export const compact = (n: number): string => (n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : String(n));

const HOUR_MS = 3_600_000;

/** "Mon 24 Nov, 14:00–15:00" in the admin's local time. */
export function hourLabel(iso: string): string {
  const start = new Date(iso);
  const end = new Date(start.getTime() + HOUR_MS);
  const day = start.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short' });
  const time = (d: Date) => d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  return `${day}, ${time(start)}–${time(end)}`;
}

/** "3 user.created, 1 request.failed" (most first), or "no activity". */
export function countsText(counts: Readonly<Record<string, number>>): string {
  const entries = Object.entries(counts).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return entries.length ? entries.map(([type, n]) => `${n.toLocaleString('en')} ${type}`).join(', ') : 'no activity';
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/**
 * The chart in sentences: when the tenant last saw activity, how many requests failed in the last
 * 24 hours, and how much happened in the whole range: "has the IdP stopped, or started failing?"
 */
export function summaryOf(bars: readonly HourBar[]): string[] {
  const failedIndex = FAMILIES.findIndex((f) => f.id === 'failed');
  const eventsOf = (bar: HourBar) => bar.total - bar.byFamily[failedIndex];
  let lastActive = bars.length - 1;
  while (lastActive >= 0 && eventsOf(bars[lastActive]) === 0) lastActive -= 1;
  const days = Math.round(bars.length / 24);
  const sentences: string[] = [];
  if (lastActive === -1) sentences.push(`No change recorded in the last ${plural(days, 'day')}.`);
  else {
    const ago = bars.length - 1 - lastActive;
    sentences.push(ago === 0 ? 'Last change: this hour.' : `Last change: ${plural(ago, 'hour')} ago (${hourLabel(bars[lastActive].hour)}).`);
  }
  const failedDay = bars.slice(-24).reduce((sum, bar) => sum + bar.byFamily[failedIndex], 0);
  sentences.push(failedDay === 0 ? 'No failed requests in the last 24 hours.' : `${plural(failedDay, 'failed request')} in the last 24 hours.`);
  const events = bars.reduce((sum, bar) => sum + eventsOf(bar), 0);
  const silent = bars.filter((bar) => bar.total === 0).length;
  sentences.push(`${plural(events, 'event')} in ${plural(days, 'day')}; ${plural(silent, 'silent hour')} of ${bars.length}.`);
  return sentences;
}
