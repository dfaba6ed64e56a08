/**
 * Aggregates usage records in process for the dashboard and the usage explorer. It reads
 * at most {@link SUMMARY_RECORD_LIMIT} records per range; switch to the usage module's
 * stored aggregates once they exist (issue 5) for long ranges on busy gateways.
 */
import type { UsageRecord } from '../plugin-api/index.js';
import type { z } from 'zod';
import type { usageSummarySchema, usageTotalsSchema } from './usage-schemas.js';

/** Most records one summary reads. */
export const SUMMARY_RECORD_LIMIT = 50_000;

/** Time bucket of a series. */
export type UsageBucket = 'minute' | 'hour' | 'day';
type Totals = z.infer<typeof usageTotalsSchema>;
type Summary = z.infer<typeof usageSummarySchema>;

const BUCKET_MS: Record<UsageBucket, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** Totals with every count at zero. */
export function emptyTotals(): Totals {
  return { requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, totalTokens: 0, costMicros: 0 };
}

/** Adds one record to totals. */
export function addRecord(totals: Totals, record: UsageRecord): void {
  const usage = record.usage;
  const cacheWrite = (usage.cacheWrite5mTokens ?? 0) + (usage.cacheWrite1hTokens ?? 0);
  totals.requests += 1;
  if (record.status >= 400) totals.errors += 1;
  totals.inputTokens += usage.inputTokens ?? 0;
  totals.outputTokens += usage.outputTokens ?? 0;
  totals.cacheReadTokens += usage.cacheReadTokens ?? 0;
  totals.cacheWriteTokens += cacheWrite;
  totals.totalTokens += (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0) + (usage.cacheReadTokens ?? 0) + cacheWrite;
  totals.costMicros += record.costMicros ?? 0;
}

/** The bucket that keeps a range's series between a few and a few hundred points. */
export function pickBucket(sinceMs: number, untilMs: number): UsageBucket {
  const span = untilMs - sinceMs;
  if (span <= 3 * 3_600_000) return 'minute';
  if (span <= 7 * 86_400_000) return 'hour';
  return 'day';
}

/** Names to show for ids (keys and accounts). */
export interface SummaryNames {
  key(id: string): string | undefined;
  account(id: string): string | undefined;
}

/** Summarises records within [since, until). */
export function summarize(
  records: readonly UsageRecord[],
  range: { sinceMs: number; untilMs: number; bucket: UsageBucket; truncated: boolean },
  names: SummaryNames,
): Summary {
  const size = BUCKET_MS[range.bucket];
  const first = Math.floor(range.sinceMs / size) * size;
  const slots = Math.min(2000, Math.max(1, Math.ceil((range.untilMs - first) / size)));
  const series = Array.from({ length: slots }, (_, index) => ({ start: new Date(first + index * size).toISOString(), ...emptyTotals() }));
  const totals = emptyTotals();
  const groups = { model: new Map<string, Totals>(), key: new Map<string, Totals>(), account: new Map<string, Totals>() };
  for (const record of records) {
    addRecord(totals, record);
    const slot = series[Math.floor((Date.parse(record.at) - first) / size)];
    if (slot) addRecord(slot, record);
    addTo(groups.model, record.model ?? '(none)', record);
    addTo(groups.key, record.keyId, record);
    addTo(groups.account, record.accountId ?? '(none)', record);
  }
  return {
    since: new Date(range.sinceMs).toISOString(),
    until: new Date(range.untilMs).toISOString(),
    bucket: range.bucket,
    totals,
    series,
    byModel: ranked(groups.model, (id) => id),
    byKey: ranked(groups.key, (id) => names.key(id) ?? id),
    byAccount: ranked(groups.account, (id) => names.account(id) ?? id),
    truncated: range.truncated,
  };
}

function addTo(map: Map<string, Totals>, id: string, record: UsageRecord): void {
  let totals = map.get(id);
  if (!totals) map.set(id, (totals = emptyTotals()));
  addRecord(totals, record);
}

function ranked(map: Map<string, Totals>, name: (id: string) => string) {
  return [...map.entries()]
    .map(([id, totals]) => ({ id, name: name(id), ...totals }))
    .sort((a, b) => b.requests - a.requests || a.id.localeCompare(b.id));
}
