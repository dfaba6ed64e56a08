/**
 * Charges recorded usage to the meters behind key limits: every key's spend per day,
 * per week and in total (always, so a cap added later sees what was already spent),
 * the token and cost windows and per-model weekly caps the key has, and the largest
 * single request (for in-flight reservations).
 */
import type { Logger, UsageRecord, UsageSink } from '../plugin-api/index.js';
import type { KeyRecord, MeterRepository } from '../store/types.js';
import { keyLimitsSchema } from './key-limits-schema.js';
import { parseDuration } from './duration.js';
import { windowMeter } from './key-budgets.js';
import { dayPeriod, familyName, spendMeter, weekPeriod } from './spend-periods.js';
import { matchesModel } from './match-model.js';

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
}

/** The usage sink that feeds key limits (added with `UsageRecorder.addSink`). */
export function limitsUsageSink(deps: LimitsUsageSinkDeps): UsageSink {
  return {
    name: 'key-limits',
    async write(records) {
      const keys = new Map<string, Promise<KeyRecord | undefined>>();
      await Promise.all(
        records.map(async (record) => {
          if (!record.keyId) return;
          if (!keys.has(record.keyId)) keys.set(record.keyId, deps.getKey(record.keyId));
          try {
            await charge(deps.meters, record, await keys.get(record.keyId)!);
          } catch (error) {
            deps.log.error('charging usage to key limits failed', { keyId: record.keyId, error });
          } finally {
            deps.onCharged?.(record.id);
          }
        }),
      );
    },
  };
}

async function charge(meters: MeterRepository, record: UsageRecord, key: KeyRecord | undefined): Promise<void> {
  const keyId = record.keyId;
  // The rated cost (key and service multipliers applied by the usage pipeline) drives limits.
  const cost = Math.max(0, Math.round(record.ratedCostMicros ?? record.costMicros));
  const tokens = countedTokens(record);
  const parsed = keyLimitsSchema.safeParse(key?.limits ?? {});
  const limits = parsed.success ? parsed.data : {};
  const at = Date.parse(record.at);
  const now = Number.isNaN(at) ? Date.now() : at;
  const offset = limits.costUsd?.resetUtcOffsetMinutes ?? 0;
  const week = weekPeriod(now, limits.costUsd?.weeklyReset, offset);
  const writes: Promise<unknown>[] = [meters.raiseMax(spendMeter.maxTokens(keyId), tokens)];
  if (cost > 0) {
    writes.push(
      meters.addTotal(spendMeter.day(keyId, dayPeriod(now, offset)), cost, 2 * DAY),
      meters.addTotal(spendMeter.week(keyId, week), cost, 8 * DAY),
      meters.addTotal(spendMeter.total(keyId), cost),
      meters.raiseMax(spendMeter.maxCost(keyId), cost),
    );
    const model = record.model ?? record.upstreamModel;
    for (const cap of limits.costUsd?.weeklyByModel ?? []) {
      const matched = [record.model, record.upstreamModel].some((name) => name !== undefined && matchesModel(name, cap.models));
      if (model && matched) writes.push(meters.addTotal(spendMeter.modelWeek(keyId, familyName(cap), week), cost, 8 * DAY));
    }
  }
  const periods = new Set<number>();
  for (const window of limits.windows ?? []) {
    const periodMs = parseDuration(window.period)!;
    if (periods.has(periodMs)) continue;
    periods.add(periodMs);
    const sameSpan = (limits.windows ?? []).filter((w) => parseDuration(w.period) === periodMs);
    if (tokens > 0 && sameSpan.some((w) => w.tokens !== undefined)) {
      const meter = windowMeter(keyId, periodMs, 'tokens');
      writes.push(meters.addToWindow(meter.key, tokens, meter.bucketMs, periodMs));
    }
    if (cost > 0 && sameSpan.some((w) => w.costUsd !== undefined)) {
      const meter = windowMeter(keyId, periodMs, 'cost');
      writes.push(meters.addToWindow(meter.key, cost, meter.bucketMs, periodMs));
    }
  }
  await Promise.all(writes);
}
