/**
 * The calendar periods of spending caps (day, week with a configurable start, whole
 * life) and the meter names their spend is kept under.
 */
import type { CostCaps } from './key-limits-schema.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** A calendar period: where it started, when it resets, and its meter-name suffix. */
export interface SpendPeriod {
  startMs: number;
  resetMs: number;
  id: string;
}

/** The day containing `now` (day boundaries shifted by `offsetMinutes` from UTC). */
export function dayPeriod(now: number, offsetMinutes = 0): SpendPeriod {
  const offset = offsetMinutes * 60_000;
  const startMs = Math.floor((now + offset) / DAY) * DAY - offset;
  return { startMs, resetMs: startMs + DAY, id: `d:${new Date(startMs + offset).toISOString().slice(0, 10)}` };
}

/**
 * The week containing `now`, starting on `day` (1 = Monday .. 7 = Sunday) at `hour`,
 * local to `offsetMinutes` from UTC.
 */
export function weekPeriod(now: number, reset: CostCaps['weeklyReset'], offsetMinutes = 0): SpendPeriod {
  const offset = offsetMinutes * 60_000;
  const local = now + offset;
  const dayStart = Math.floor(local / DAY) * DAY;
  const weekday = (new Date(dayStart).getUTCDay() + 6) % 7; // 0 = Monday
  const resetDay = (reset?.day ?? 1) - 1;
  let start = dayStart - ((weekday - resetDay + 7) % 7) * DAY + (reset?.hour ?? 0) * HOUR;
  if (start > local) start -= 7 * DAY;
  const startMs = start - offset;
  return { startMs, resetMs: startMs + 7 * DAY, id: `w:${new Date(startMs).toISOString()}` };
}

/** Meter names of a key's spend. */
export const spendMeter = {
  day: (keyId: string, period: SpendPeriod) => `${keyId}:cost:${period.id}`,
  week: (keyId: string, period: SpendPeriod) => `${keyId}:cost:${period.id}`,
  total: (keyId: string) => `${keyId}:cost:total`,
  modelWeek: (keyId: string, family: string, period: SpendPeriod) => `${keyId}:cost:family:${family}:${period.id}`,
  /** Largest cost (micro-USD) and token count of one request of the key. */
  maxCost: (keyId: string) => `${keyId}:max-cost`,
  maxTokens: (keyId: string) => `${keyId}:max-tokens`,
  firstUse: (keyId: string) => `${keyId}:first-use`,
};

/** The name a per-model weekly cap is counted under (its `name`, or its patterns). */
export function familyName(cap: { name?: string | undefined; models: readonly string[] }): string {
  return cap.name ?? cap.models.join(',');
}
