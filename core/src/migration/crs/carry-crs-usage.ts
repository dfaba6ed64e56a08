/**
 * Carries a key's usage over from the reference: lifetime totals into the key's
 * all-time aggregate (what the admin shows), and spend into the meters its caps read
 * (lifetime, today, this week's model-family spend), so a capped key goes on where it
 * was. Only the growth since the last import is added, so importing twice counts once.
 */
import type { Store, UsageTotals } from '../../store/types.js';
import { emptyTotals } from '../../store/usage-totals.js';
import type { KeyLimits } from '../../limits/key-limits-schema.js';
import { dayPeriod, familyName, spendMeter, weekPeriod } from '../../limits/spend-periods.js';
import type { CarriedUsage } from './crs-ledger.js';
import type { CrsKeyUsage } from './read-crs-source.js';

const DAY = 86_400_000;
const micros = (usd: number): number => Math.round(usd * 1_000_000);
const count = (value: string | undefined): number => {
  const n = Number.parseInt(value ?? '0', 10);
  return Number.isFinite(n) && n > 0 ? n : 0;
};

/** The usage to carry, with the day and week it belongs to. */
export function carriedUsage(usage: CrsKeyUsage, dayId: string, weekId: string): CarriedUsage {
  const t = usage.totals;
  return {
    requests: count(t.totalRequests),
    inputTokens: count(t.totalInputTokens),
    outputTokens: count(t.totalOutputTokens),
    cacheWriteTokens: count(t.totalCacheCreateTokens),
    cacheReadTokens: count(t.totalCacheReadTokens),
    costMicros: micros(usage.costTotal),
    day: { id: dayId, micros: micros(usage.costToday) },
    week: { id: weekId, micros: micros(usage.costWeekFamily) },
  };
}

/** What is new in `now` compared with what an earlier import carried (never negative). */
export function usageGrowth(now: CarriedUsage, before: CarriedUsage | undefined): CarriedUsage {
  const grow = (a: number, b: number | undefined) => Math.max(0, a - (b ?? 0));
  return {
    requests: grow(now.requests, before?.requests),
    inputTokens: grow(now.inputTokens, before?.inputTokens),
    outputTokens: grow(now.outputTokens, before?.outputTokens),
    cacheWriteTokens: grow(now.cacheWriteTokens, before?.cacheWriteTokens),
    cacheReadTokens: grow(now.cacheReadTokens, before?.cacheReadTokens),
    costMicros: grow(now.costMicros, before?.costMicros),
    day: { id: now.day.id, micros: grow(now.day.micros, before?.day.id === now.day.id ? before.day.micros : 0) },
    week: { id: now.week.id, micros: grow(now.week.micros, before?.week.id === now.week.id ? before.week.micros : 0) },
  };
}

/** True when there is nothing to add. */
export function isNoGrowth(growth: CarriedUsage): boolean {
  return (
    growth.requests +
      growth.inputTokens +
      growth.outputTokens +
      growth.cacheWriteTokens +
      growth.cacheReadTokens +
      growth.costMicros ===
      0 &&
    growth.day.micros === 0 &&
    growth.week.micros === 0
  );
}

/** Adds `growth` to key `keyId`'s aggregate and meters. */
export async function applyUsageGrowth(
  store: Pick<Store, 'usageAggregates' | 'meters'>,
  keyId: string,
  limits: KeyLimits,
  growth: CarriedUsage,
  now: number,
): Promise<void> {
  const totals: UsageTotals = {
    ...emptyTotals(),
    requests: growth.requests,
    inputTokens: growth.inputTokens,
    outputTokens: growth.outputTokens,
    cacheWrite5mTokens: growth.cacheWriteTokens,
    cacheReadTokens: growth.cacheReadTokens,
    costMicros: growth.costMicros,
    ratedCostMicros: growth.costMicros,
  };
  await store.usageAggregates.add([{ scope: `key:${keyId}`, period: 'all', totals }]);
  const caps = limits.costUsd;
  const offset = caps?.resetUtcOffsetMinutes ?? 0;
  if (growth.costMicros > 0) await store.meters.addTotal(spendMeter.total(keyId), growth.costMicros);
  if (growth.day.micros > 0)
    await store.meters.addTotal(spendMeter.day(keyId, dayPeriod(now, offset)), growth.day.micros, 2 * DAY);
  if (growth.week.micros > 0) {
    const week = weekPeriod(now, caps?.weeklyReset, offset);
    for (const cap of caps?.weeklyByModel ?? []) {
      await store.meters.addTotal(spendMeter.modelWeek(keyId, familyName(cap), week), growth.week.micros, 8 * DAY);
    }
  }
}
