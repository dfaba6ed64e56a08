/**
 * What a key holder may read about their own key: who it is, its usage and cost
 * (today, this month, lifetime, the last days, by model), and each limit with what is
 * used and what remains. Built only from the caller's own key record.
 */
import type { KeyRecord, Store, UsageTotals } from '../store/types.js';
import type { TimeBuckets } from '../usage/time-buckets.js';
import { emptyTotals, totalTokens } from '../store/usage-totals.js';
import { parseKeyLimits } from '../limits/parse-key-limits.js';
import { readBudgets } from '../limits/key-budgets.js';

/** Usage of one period as shown to the key holder (costs in USD and micro-USD). */
export interface PeriodUsage extends UsageTotals {
  period: string;
  totalTokens: number;
  /** The rated cost (what limits count), in USD. */
  costUsd: number;
}

/** One limit with its use. */
export interface LimitUse {
  path: string;
  label: string;
  unit: 'requests' | 'tokens' | 'cost';
  limit: number;
  used: number;
  remaining: number;
  /** ISO 8601, absent when the limit never resets. */
  resetsAt?: string;
}

function periodUsage(period: string, totals: UsageTotals | undefined): PeriodUsage {
  const t = totals ?? emptyTotals();
  return { period, ...t, totalTokens: totalTokens(t), costUsd: t.ratedCostMicros / 1e6 };
}

/** The key's identity as its holder sees it (never the hash). */
export function keyIdentity(key: KeyRecord, now = Date.now()): Record<string, unknown> {
  const expired = key.expiresAt !== undefined && Date.parse(key.expiresAt) <= now;
  return {
    id: key.id,
    name: key.name,
    hint: key.hint,
    ...(key.owner ? { owner: key.owner } : {}),
    status: !key.enabled ? 'disabled' : expired ? 'expired' : 'active',
    createdAt: key.createdAt,
    ...(key.expiresAt ? { expiresAt: key.expiresAt } : {}),
    ...(key.lastUsedAt ? { lastUsedAt: key.lastUsedAt } : {}),
  };
}

/** Usage of `key`: today, this month, lifetime and the last `days` days, in the aggregates' time zone. */
export async function keyUsage(
  store: Store,
  buckets: TimeBuckets,
  key: KeyRecord,
  days = 7,
  now = Date.now(),
): Promise<Record<string, unknown>> {
  const labels = buckets.labels(now);
  const dayList = buckets.lastDays(now, days);
  const rows = await store.usageAggregates.get(`key:${key.id}`, [labels.month, 'all', ...dayList]);
  return {
    timeZone: buckets.timeZone,
    today: periodUsage(labels.day, rows.get(labels.day)),
    thisMonth: periodUsage(labels.month, rows.get(labels.month)),
    lifetime: periodUsage('all', rows.get('all')),
    daily: dayList.map((day) => periodUsage(day, rows.get(day))),
  };
}

/** Usage of `key` by model for `period` (a day or month label, or `all`). */
export async function keyModelUsage(store: Store, key: KeyRecord, period: string): Promise<PeriodUsage[]> {
  const prefix = `key-model:${key.id}:`;
  const scopes = await store.usageAggregates.scopes(period, prefix);
  const out: PeriodUsage[] = [];
  for (const scope of scopes.slice(0, 200)) {
    const totals = (await store.usageAggregates.get(scope, [period])).get(period);
    out.push({ ...periodUsage(period, totals), model: scope.slice(prefix.length) } as PeriodUsage & { model: string });
  }
  return out.sort((a, b) => b.ratedCostMicros - a.ratedCostMicros);
}

/** Every metered limit of `key` with what is used and what remains (from the limits module's meters). */
export async function keyLimitUse(
  store: Store,
  key: KeyRecord,
  now = Date.now(),
): Promise<{ limits: Record<string, unknown>; budgets: LimitUse[] }> {
  let budgets: LimitUse[] = [];
  try {
    const read = await readBudgets(store.meters, key.id, parseKeyLimits(key), undefined, undefined, now);
    budgets = read.map((budget) => ({
      path: budget.path,
      label: budget.label,
      unit: budget.unit,
      limit: budget.limit,
      used: budget.used,
      remaining: Math.max(0, budget.limit - budget.used),
      ...(Number.isFinite(budget.resetsAt) ? { resetsAt: new Date(budget.resetsAt).toISOString() } : {}),
    }));
  } catch {
    // Limits that do not parse are refused at request time; here they are shown as configured.
  }
  return { limits: key.limits, budgets };
}
