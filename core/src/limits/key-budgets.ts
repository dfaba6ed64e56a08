/**
 * A key's metered budgets (rate windows and spending caps) read from the store: how
 * much is used, the limit, and when it frees up. Refusals are built here too, so every
 * message names the limit and when it resets.
 */
import { GatewayError } from '@switchyard/plugin-api';
import type { MeterRepository, WindowBucket } from '../store/types.js';
import type { KeyLimits } from './key-limits-schema.js';
import { formatSpan, parseDuration } from './duration.js';
import { dayPeriod, familyName, spendMeter, weekPeriod } from './spend-periods.js';
import { matchesModel } from './match-model.js';

/** What a budget counts. */
export type BudgetUnit = 'requests' | 'tokens' | 'cost';

/** One metered limit of a key, as read now. */
export interface Budget {
  kind: 'window' | 'cap';
  unit: BudgetUnit;
  /** Where the limit is configured, e.g. `windows[0].tokens`, `costUsd.daily`. */
  path: string;
  /** For a person: `500 requests per 5h`, `daily spending cap of $10.00`. */
  label: string;
  /** In requests, tokens or micro-USD. */
  limit: number;
  used: number;
  /** Epoch ms when the budget is (again) under its limit. */
  resetsAt: number;
}

/** A window's meter name, bucket width and period. */
export function windowMeter(keyId: string, periodMs: number, unit: BudgetUnit): { key: string; bucketMs: number } {
  return { key: `${keyId}:win:${periodMs}:${unit}`, bucketMs: Math.max(100, Math.ceil(periodMs / 60)) };
}

const usd = (micros: number) => `$${(micros / 1e6).toFixed(2)}`;
const toMicros = (dollars: number) => Math.round(dollars * 1e6);

/** When enough of the oldest buckets leave the window for `used` to drop below `limit`. */
function windowFreesAt(buckets: readonly WindowBucket[], now: number, periodMs: number, limit: number): number {
  let sum = buckets.reduce((total, [, amount]) => total + amount, 0);
  for (const [start, amount] of buckets) {
    sum -= amount;
    if (sum < limit) return start + periodMs;
  }
  return now + periodMs;
}

/**
 * Reads the key's budgets of the given units (all by default). Spending caps per model
 * family count only when `model` matches the family.
 */
export async function readBudgets(
  meters: MeterRepository,
  keyId: string,
  limits: KeyLimits,
  model: string | undefined,
  units: readonly BudgetUnit[] = ['requests', 'tokens', 'cost'],
  /** The time spend periods are read at (epoch ms). */
  now: number = Date.now(),
): Promise<Budget[]> {
  const budgets: Budget[] = [];
  const reads: Promise<void>[] = [];
  (limits.windows ?? []).forEach((window, index) => {
    const periodMs = parseDuration(window.period)!;
    const wanted: [BudgetUnit, number | undefined, (n: number) => string][] = [
      ['requests', window.requests, (n) => `${n} requests per ${window.period}`],
      ['tokens', window.tokens, (n) => `${n} tokens per ${window.period}`],
      ['cost', window.costUsd === undefined ? undefined : toMicros(window.costUsd), (n) => `${usd(n)} per ${window.period}`],
    ];
    for (const [unit, limit, label] of wanted) {
      if (limit === undefined || !units.includes(unit)) continue;
      const meter = windowMeter(keyId, periodMs, unit);
      reads.push(
        meters.readWindow(meter.key, meter.bucketMs, periodMs).then(({ now: storeNow, buckets }) => {
          const used = buckets.reduce((total, [, amount]) => total + amount, 0);
          // The window slides on the store's clock (Redis: its server's); the reset is told on the caller's.
          const resetsAt = now + (used >= limit ? windowFreesAt(buckets, storeNow, periodMs, limit) - storeNow : 0);
          budgets.push({
            kind: 'window',
            unit,
            path: `windows[${index}].${unit === 'cost' ? 'costUsd' : unit}`,
            label: label(limit),
            limit,
            used,
            resetsAt,
          });
        }),
      );
    }
  });
  // Read together with the windows (one round trip when the store pipelines), pushed after them.
  let caps: Promise<Budget[]> = Promise.resolve([]);
  const costCaps = limits.costUsd;
  if (costCaps && units.includes('cost')) caps = readCaps(meters, keyId, costCaps, model, now);
  await Promise.all(reads);
  budgets.push(...(await caps));
  return budgets;
}

async function readCaps(
  meters: MeterRepository,
  keyId: string,
  caps: NonNullable<KeyLimits['costUsd']>,
  model: string | undefined,
  now: number,
): Promise<Budget[]> {
  const budgets: Budget[] = [];
  const offset = caps.resetUtcOffsetMinutes ?? 0;
  const day = dayPeriod(now, offset);
  const week = weekPeriod(now, caps.weeklyReset, offset);
  const wanted: { path: string; label: string; usd: number | undefined; meter: string; resetsAt: number }[] = [
    {
      path: 'costUsd.daily',
      label: 'daily spending cap',
      usd: caps.daily,
      meter: spendMeter.day(keyId, day),
      resetsAt: day.resetMs,
    },
    {
      path: 'costUsd.weekly',
      label: 'weekly spending cap',
      usd: caps.weekly,
      meter: spendMeter.week(keyId, week),
      resetsAt: week.resetMs,
    },
    {
      path: 'costUsd.total',
      label: 'total spending cap',
      usd: caps.total,
      meter: spendMeter.total(keyId),
      resetsAt: Number.POSITIVE_INFINITY,
    },
  ];
  (caps.weeklyByModel ?? []).forEach((cap, index) => {
    if (!model || !matchesModel(model, cap.models)) return;
    const family = familyName(cap);
    wanted.push({
      path: `costUsd.weeklyByModel[${index}]`,
      label: `weekly spending cap for ${family} models`,
      usd: cap.usd,
      meter: spendMeter.modelWeek(keyId, family, week),
      resetsAt: week.resetMs,
    });
  });
  const present = wanted.filter((entry) => entry.usd !== undefined);
  const totals = await meters.getTotals(present.map((entry) => entry.meter));
  present.forEach((entry, i) => {
    const limit = toMicros(entry.usd!);
    budgets.push({
      kind: 'cap',
      unit: 'cost',
      path: entry.path,
      label: `${entry.label} of ${usd(limit)}`,
      limit,
      used: totals[i]!,
      resetsAt: entry.resetsAt,
    });
  });
  return budgets;
}

/** True when the budget leaves no room for another request. */
export function exhausted(budget: Budget): boolean {
  return budget.used >= budget.limit;
}

/** The refusal for an exhausted budget: 402 for a spending cap, 429 with Retry-After for a window. */
export function budgetRefusal(budget: Budget, now = Date.now()): GatewayError {
  const used = budget.unit === 'cost' ? usd(budget.used) : `${budget.used}`;
  if (budget.kind === 'cap') {
    const resets = Number.isFinite(budget.resetsAt)
      ? `; it resets at ${new Date(budget.resetsAt).toISOString()}`
      : '; it does not reset';
    return new GatewayError('cost_limit_reached', `This key reached its ${budget.label} (spent ${used})${resets}.`, {
      details: {
        limit: budget.path,
        capUsd: budget.limit / 1e6,
        spentUsd: budget.used / 1e6,
        ...(Number.isFinite(budget.resetsAt) ? { resetsAt: new Date(budget.resetsAt).toISOString() } : {}),
      },
    });
  }
  const wait = Math.max(1000, budget.resetsAt - now);
  return new GatewayError(
    'rate_limited',
    `This key reached its limit of ${budget.label} (used ${used}); retry in ${formatSpan(wait)}, at ${new Date(now + wait).toISOString()}.`,
    {
      retryAfterMs: wait,
      details: { limit: budget.path, max: budget.limit, used: budget.used, resetsAt: new Date(now + wait).toISOString() },
    },
  );
}

/** The budget that refuses a request: an exhausted spending cap first, else the exhausted window that resets last. */
export function firstRefused(budgets: readonly Budget[]): Budget | undefined {
  const caps = budgets.filter((budget) => budget.kind === 'cap' && exhausted(budget));
  if (caps.length > 0) return caps[0];
  return budgets.filter((budget) => budget.kind === 'window' && exhausted(budget)).sort((a, b) => b.resetsAt - a.resetsAt)[0];
}
