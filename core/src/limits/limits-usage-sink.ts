/**
 * Charges recorded usage to the meters behind key limits: every key's spend per day,
 * per week and in total (always, so a cap added later sees what was already spent),
 * the token and cost windows and per-model weekly caps the key has, and the largest
 * single request (for in-flight reservations).
 */
import type { Logger, UsageRecord, UsageSink } from '@switchyard/plugin-api';
import type { KeyRecord, MeterRepository } from '../store/types.js';
import type { KeyLimits } from './key-limits-schema.js';
import { parseKeyLimits } from './parse-key-limits.js';
import { parseDuration } from './duration.js';
import { windowMeter } from './key-budgets.js';
import { dayPeriod, familyName, spendMeter, weekPeriod, type SpendPeriod } from './spend-periods.js';
import { matchesModel } from './match-model.js';
import { parseIsoTime } from '../time/iso-time.js';

const DAY = 86_400_000;

/** Tokens a record counts against token windows: input, output and cache. */
export function countedTokens(record: UsageRecord): number {
  const u = record.usage;
  return u.inputTokens + u.outputTokens + u.cacheReadTokens + u.cacheWrite5mTokens + u.cacheWrite1hTokens;
}

/** What the sink needs. */
export interface LimitsUsageSinkDeps {
  meters: MeterRepository;
  getKey(id: string): Promise<KeyRecord | undefined>;
  log: Logger;
  /** Called with a record's request id once it is charged (frees its in-flight reservation). */
  onCharged?(requestId: string): void;
  /** Called after a key's usage of a batch is charged, with its limits (quota notifications). */
  afterCharge?(key: KeyRecord, limits: KeyLimits): void;
}

interface ChargePeriods {
  minute: number;
  week: SpendPeriod;
  dayMeter: string;
  weekMeter: string;
}

/** Meter writes of one batch, summed per meter so a busy key costs a few writes per batch, not per request. */
class ChargeBatch {
  readonly totals = new Map<string, { amount: number; retainMs: number | undefined }>();
  readonly windows = new Map<string, { amount: number; bucketMs: number; periodMs: number }>();
  readonly maxima = new Map<string, number>();
  /** Day and week of the last minute asked for, with their meter names: a batch's records nearly all share them. */
  private periods: ChargePeriods | undefined;

  /** The key's meters that do not depend on the period. */
  readonly meters: { total: string; maxCost: string; maxTokens: string };

  constructor(private readonly keyId: string) {
    this.meters = { total: spendMeter.total(keyId), maxCost: spendMeter.maxCost(keyId), maxTokens: spendMeter.maxTokens(keyId) };
  }

  /** The key's spend day and week containing `now` and their meter names (period bounds are whole minutes). */
  periodsAt(now: number, limits: KeyLimits): ChargePeriods {
    const minute = Math.floor(now / 60_000);
    if (this.periods?.minute !== minute) {
      const offset = limits.costUsd?.resetUtcOffsetMinutes ?? 0;
      const day = dayPeriod(now, offset);
      const week = weekPeriod(now, limits.costUsd?.weeklyReset, offset);
      this.periods = { minute, week, dayMeter: spendMeter.day(this.keyId, day), weekMeter: spendMeter.week(this.keyId, week) };
    }
    return this.periods;
  }

  addTotal(key: string, amount: number, retainMs?: number): void {
    const entry = this.totals.get(key);
    if (entry) entry.amount += amount;
    else this.totals.set(key, { amount, retainMs });
  }

  addToWindow(key: string, amount: number, bucketMs: number, periodMs: number): void {
    const entry = this.windows.get(key);
    if (entry) entry.amount += amount;
    else this.windows.set(key, { amount, bucketMs, periodMs });
  }

  raiseMax(key: string, value: number): void {
    this.maxima.set(key, Math.max(value, this.maxima.get(key) ?? 0));
  }

  /** All of the batch's meter writes in one charge (one script in Redis). */
  write(meters: MeterRepository): Promise<void> {
    return meters.charge({
      totals: [...this.totals].map(([key, { amount, retainMs }]) => ({ key, amount, retainMs })),
      windows: [...this.windows].map(([key, { amount, bucketMs, periodMs }]) => ({ key, amount, bucketMs, periodMs })),
      maxima: [...this.maxima].map(([key, value]) => ({ key, value })),
    });
  }
}

/** The usage sink that feeds key limits (added with `UsageRecorder.addSink`). */
export function limitsUsageSink(deps: LimitsUsageSinkDeps): UsageSink {
  return {
    name: 'key-limits',
    async write(records) {
      const byKey = new Map<string, UsageRecord[]>();
      for (const record of records) {
        if (!record.keyId) continue;
        const list = byKey.get(record.keyId);
        if (list) list.push(record);
        else byKey.set(record.keyId, [record]);
      }
      await Promise.all(
        [...byKey].map(async ([keyId, keyRecords]) => {
          try {
            const key = await deps.getKey(keyId);
            const limits = limitsOrNone(key);
            const batch = new ChargeBatch(keyId);
            // A refused request (`reason` set) used nothing: it frees its reservation but charges no meter.
            for (const record of keyRecords) if (record.reason === undefined) charge(batch, record, limits);
            await batch.write(deps.meters);
            if (key) deps.afterCharge?.(key, limits);
          } catch (error) {
            deps.log.error('charging usage to key limits failed', { keyId, error });
          } finally {
            for (const record of keyRecords) deps.onCharged?.(record.id);
          }
        }),
      );
    },
  };
}

/** The key's limits (cached per key version); none when it has none or they are invalid. */
function limitsOrNone(key: KeyRecord | undefined): KeyLimits {
  if (!key) return {};
  try {
    return parseKeyLimits(key);
  } catch {
    return {};
  }
}

function charge(batch: ChargeBatch, record: UsageRecord, limits: KeyLimits): void {
  const keyId = record.keyId;
  // The rated cost (key and service multipliers applied by the usage pipeline) drives limits.
  const cost = Math.max(0, Math.round(record.ratedCostMicros ?? record.costMicros));
  const tokens = countedTokens(record);
  const at = parseIsoTime(record.at);
  const now = Number.isNaN(at) ? Date.now() : at;
  const periods = batch.periodsAt(now, limits);
  const { meters } = batch;
  batch.raiseMax(meters.maxTokens, tokens);
  if (cost > 0) {
    batch.addTotal(periods.dayMeter, cost, 2 * DAY);
    batch.addTotal(periods.weekMeter, cost, 8 * DAY);
    batch.addTotal(meters.total, cost);
    batch.raiseMax(meters.maxCost, cost);
    const model = record.model ?? record.upstreamModel;
    for (const cap of limits.costUsd?.weeklyByModel ?? []) {
      const matched = [record.model, record.upstreamModel].some((name) => name !== undefined && matchesModel(name, cap.models));
      if (model && matched) batch.addTotal(spendMeter.modelWeek(keyId, familyName(cap), periods.week), cost, 8 * DAY);
    }
  }
  if (!limits.windows?.length) return;
  const spans = new Set<number>();
  for (const window of limits.windows) {
    const periodMs = parseDuration(window.period)!;
    if (spans.has(periodMs)) continue;
    spans.add(periodMs);
    const sameSpan = limits.windows.filter((w) => parseDuration(w.period) === periodMs);
    if (tokens > 0 && sameSpan.some((w) => w.tokens !== undefined)) {
      const meter = windowMeter(keyId, periodMs, 'tokens');
      batch.addToWindow(meter.key, tokens, meter.bucketMs, periodMs);
    }
    if (cost > 0 && sameSpan.some((w) => w.costUsd !== undefined)) {
      const meter = windowMeter(keyId, periodMs, 'cost');
      batch.addToWindow(meter.key, cost, meter.bucketMs, periodMs);
    }
  }
}
