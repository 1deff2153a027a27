import { checkTenantAdministrator } from '../domain/access';
import type { Principal } from '../domain/principal';
import { invalidValue } from '../scim/errors';
import { activityHourOf, type EventLog } from '../store/port';
import { wholeNumber } from './whole-number';

/** The chart's parameters as a client sends them. */
export interface ActivityParameters {
  readonly hours?: string;
}

/** One hour of the chart: when it starts, and how many of each type it holds ({} for a silent hour). */
export interface ActivityHourCounts {
  readonly hour: string;
  readonly counts: Readonly<Record<string, number>>;
}

export interface ActivityReport {
  /** The start of the first hour. */
  readonly from: string;
  /** The end of the last hour (the start of the next; the current hour is the last). */
  readonly to: string;
  /** Every hour from `from` to `to`, oldest first. */
  readonly hours: readonly ActivityHourCounts[];
}

export const DEFAULT_ACTIVITY_HOURS = 168;
/** 31 days: a month of hours, within what the counts keep (ACTIVITY_KEPT_DAYS). */
export const MAX_ACTIVITY_HOURS = 744;
/**
 * How long the hourly counts are kept at most: the retention sweep erases older hours (and those
 * older than EVENTS_RETENTION_DAYS, when that is shorter), so the counts never outgrow the chart.
 */
export const ACTIVITY_KEPT_DAYS = 35;

const HOUR_MS = 3_600_000;
/** '2026-11-24T05:00:00.000Z' → '2026-11-24T05:00:00Z': an hour needs no milliseconds. */
const hourTime = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * A tenant's activity per hour, by type: the events the tenant's writes committed and the failed
 * requests recorded (`request.failed`), so an administrator sees at a glance when an identity
 * provider stopped pushing, or started failing. Read from the hourly counts the store keeps
 * with every write: the work is the hours times the types, whatever the number of events.
 * Read by the tenant's administrators, the same who may read its events.
 */
export class ActivityChart {
  constructor(private readonly events: EventLog, private readonly actor: Principal, private readonly now: () => Date = () => new Date()) {}

  async read(parameters: ActivityParameters): Promise<ActivityReport> {
    checkTenantAdministrator(this.actor, 'read the tenant\'s activity');
    const hours = wholeNumber(parameters.hours, 'hours', 1) ?? DEFAULT_ACTIVITY_HOURS;
    if (hours > MAX_ACTIVITY_HOURS) throw invalidValue(`hours must be a whole number from 1 to ${MAX_ACTIVITY_HOURS} (31 days)`);
    const to = (Math.floor(this.now().getTime() / HOUR_MS) + 1) * HOUR_MS;
    const from = to - hours * HOUR_MS;
    const counted = await this.events.activity(activityHourOf(new Date(from).toISOString()), activityHourOf(new Date(to).toISOString()));
    const byHour = new Map<string, Record<string, number>>();
    for (const { hour, type, n } of counted) {
      const counts = byHour.get(hour) ?? {};
      counts[type] = (counts[type] ?? 0) + n;
      byHour.set(hour, counts);
    }
    return {
      from: hourTime(from),
      to: hourTime(to),
      hours: Array.from({ length: hours }, (_, i) => {
        const start = from + i * HOUR_MS;
        return { hour: hourTime(start), counts: byHour.get(activityHourOf(new Date(start).toISOString())) ?? {} };
      }),
    };
  }
}
