/**
 * The reference's calendar: dates in a fixed UTC offset (`TIMEZONE_OFFSET`, default +8),
 * and the two ids it has used for a key's current week of model-family spend (ISO week
 * `YYYY-Www`, later the start of the key's own week `YYYY-MM-DDTHH`).
 */
import type { SourceRecord } from '@switchyard/plugin-api';
import { weekPeriod } from '../../limits/spend-periods.js';

const DAY = 86_400_000;

/** `YYYY-MM-DD` of `now` at `offsetMinutes` from UTC. */
export function crsDate(now: number, offsetMinutes: number): string {
  return new Date(now + offsetMinutes * 60_000).toISOString().slice(0, 10);
}

/** The reference's ISO week string of `now` at `offsetMinutes`. */
export function crsIsoWeek(now: number, offsetMinutes: number): string {
  const local = new Date(Math.floor((now + offsetMinutes * 60_000) / DAY) * DAY);
  const weekday = local.getUTCDay() || 7;
  const thursday = new Date(local.getTime() + (4 - weekday) * DAY);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((thursday.getTime() - yearStart) / DAY + 1) / 7);
  return `${local.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** The key's weekly reset (`weeklyResetDay` 1..7, `weeklyResetHour` 0..23), Monday 00:00 by default. */
export function crsWeeklyReset(key: SourceRecord): { day: number; hour: number } {
  const day = Number.parseInt(String(key.weeklyResetDay ?? ''), 10);
  const hour = Number.parseInt(String(key.weeklyResetHour ?? ''), 10);
  return { day: day >= 1 && day <= 7 ? day : 1, hour: hour >= 0 && hour <= 23 ? hour : 0 };
}

/** Both ids the reference may have stored this week's model-family spend under, newest format first. */
export function crsWeekIds(key: SourceRecord, now: number, offsetMinutes: number): string[] {
  const start = weekPeriod(now, crsWeeklyReset(key), offsetMinutes).startMs;
  return [new Date(start + offsetMinutes * 60_000).toISOString().slice(0, 13), crsIsoWeek(now, offsetMinutes)];
}
