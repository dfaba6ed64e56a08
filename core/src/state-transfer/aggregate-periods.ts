/**
 * Every aggregate period label that can still hold data: the aggregate store lists scopes
 * per period but not periods, so export walks back from now over each granularity's
 * retention (with a little margin for time zone shifts).
 */
import { TimeBuckets } from '../usage/time-buckets.js';

const DAY_MS = 86_400_000;

/** Retention of the aggregates, in days (config `usage.aggregates`). */
export interface AggregatePeriodRetention {
  hourlyDays: number;
  dailyDays: number;
  monthlyDays: number;
}

/** Labels `all`, then months, days and hours (newest first within each) for `nowMs`. */
export function aggregatePeriodLabels(nowMs: number, timeZone: string, retention: AggregatePeriodRetention): string[] {
  const buckets = new TimeBuckets(timeZone);
  const hours = buckets.lastHours(nowMs + DAY_MS, (retention.hourlyDays + 2) * 24);
  const days = buckets.lastDays(nowMs + DAY_MS, retention.dailyDays + 2);
  const months = new Set<string>();
  for (let i = -1; i <= retention.monthlyDays + 31; i++) months.add(buckets.labels(nowMs - i * DAY_MS).month);
  return ['all', ...months, ...days.reverse(), ...hours.reverse()];
}
