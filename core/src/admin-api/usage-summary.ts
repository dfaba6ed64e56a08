/**
 * Usage summaries for the dashboard and the usage explorer, from the stored usage
 * aggregates (`store.usageAggregates`): whole days and hours of a range come from their
 * aggregate rows, and only the partial hours at its edges (and minute series) are read
 * from the stored records. Exact, and cheap whatever the range or request volume.
 */
import type { UsageRecord } from '@switchyard/plugin-api';
import type { Store, UsageTotals } from '../store/types.js';
import type { TimeBuckets } from '../usage/time-buckets.js';
import { recordScopes, recordTotals } from '../usage/aggregate-deltas.js';
import { addTotals, emptyTotals as emptyStored, totalTokens } from '../store/usage-totals.js';
import type { z } from 'zod';
import type { usageSummarySchema, usageTotalsSchema } from './usage-schemas.js';
import { inGaps, periodRuns, planPeriods, type PeriodPlan } from './usage-periods.js';
import { DEFAULT_SUMMARY_TOP, groupRows, othersOf, topFromAggregates, topOf, type TopGroups } from './usage-top-groups.js';

/** Most records one summary reads (for the partial edges of a range and minute series). */
export const SUMMARY_RECORD_LIMIT = 50_000;

/** Time bucket of a series. */
export type UsageBucket = 'minute' | 'hour' | 'day';
type Totals = z.infer<typeof usageTotalsSchema>;
type Summary = z.infer<typeof usageSummarySchema>;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const MAX_SLOTS = 2000;

/** Stored totals as the admin API shows them. */
export function toTotals(stored: UsageTotals): Totals {
  return {
    requests: stored.requests,
    errors: stored.errors,
    inputTokens: stored.inputTokens,
    outputTokens: stored.outputTokens,
    cacheReadTokens: stored.cacheReadTokens,
    cacheWriteTokens: stored.cacheWrite5mTokens + stored.cacheWrite1hTokens,
    totalTokens: totalTokens(stored),
    costMicros: stored.costMicros,
  };
}

/** The bucket that keeps a range's series between a few and a few hundred points. */
export function pickBucket(sinceMs: number, untilMs: number): UsageBucket {
  const span = untilMs - sinceMs;
  if (span <= 3 * 3_600_000) return 'minute';
  if (span <= 7 * DAY_MS) return 'hour';
  return 'day';
}

/** Names to show for ids (keys and accounts). */
export interface SummaryNames {
  key(id: string): string | undefined;
  account(id: string): string | undefined;
}

/** What {@link summarizeUsage} reads. */
export interface SummarySources {
  store: Pick<Store, 'usage' | 'usageAggregates'>;
  buckets: TimeBuckets;
  /** Days hourly aggregate rows are kept (`usage.aggregates.hourlyDays`). */
  hourlyDays: number;
  /** The time the summary is made at (epoch ms); default now. */
  now?: number;
}

/** The range of a summary; `keyId` narrows it to one key. */
export interface SummaryRange {
  sinceMs: number;
  untilMs: number;
  bucket: UsageBucket;
  keyId?: string | undefined;
  /** Groups listed per list (by model, key, account), largest cost first; `Infinity`: all. Default {@link DEFAULT_SUMMARY_TOP}. */
  top?: number | undefined;
}

export interface Slot {
  start: number;
  plan: PeriodPlan;
  totals: UsageTotals;
}

/** Summarises usage within [since, until). */
export async function summarizeUsage(sources: SummarySources, range: SummaryRange, names: SummaryNames): Promise<Summary> {
  const { store, buckets } = sources;
  const { sinceMs, untilMs, keyId } = range;
  const top = range.top ?? DEFAULT_SUMMARY_TOP;
  const hourlyKeptSince = (sources.now ?? Date.now()) - sources.hourlyDays * DAY_MS;
  const main = planPeriods(buckets, sinceMs, untilMs, hourlyKeptSince);
  const slots = seriesSlots(sources, range, hourlyKeptSince);
  // Filtered by key, the by-account split is not aggregated: it is read from the records.
  const gaps = keyId
    ? [[sinceMs, untilMs] as [number, number]]
    : mergeGaps([...main.gaps, ...slots.flatMap((slot) => slot.plan.gaps)]);
  const { records, truncated } = await readRecords(store, gaps, keyId);

  const scope = keyId ? `key:${keyId}` : 'all';
  const rows = await store.usageAggregates.get(scope, [
    ...new Set([...main.labels, ...slots.flatMap((slot) => slot.plan.labels)]),
  ]);
  const totals = sumRows(rows, main.labels);
  for (const slot of slots) addTotals(slot.totals, sumRows(rows, slot.plan.labels));
  // What the records of the range's edges add to each group (the aggregate rows hold the rest).
  const counted = {
    model: new Map<string, UsageTotals>(),
    key: new Map<string, UsageTotals>(),
    account: new Map<string, UsageTotals>(),
  };
  for (const record of records) {
    const at = Date.parse(record.at);
    const counts = recordTotals(record);
    const slot = slotAt(slots, at);
    if (slot && inGaps(slot.plan.gaps, at)) addTotals(slot.totals, counts);
    if (keyId) addTo(counted.account, record.accountId ?? '(none)', counts);
    if (!inGaps(main.gaps, at)) continue;
    addTotals(totals, counts);
    for (const recordScope of recordScopes(record)) {
      const [kind, ...rest] = recordScope.split(':');
      if (keyId) {
        if (kind === 'key-model' && rest[0] === keyId) addTo(counted.model, rest.slice(1).join(':'), counts);
      } else if (kind === 'model' || kind === 'key' || kind === 'account') addTo(counted[kind], rest.join(':'), counts);
    }
  }
  let groups: Record<'model' | 'key' | 'account', TopGroups>;
  if (keyId) {
    groups = {
      model: await topFromAggregates(store, `key-model:${keyId}:`, main.labels, counted.model, top),
      key: totals.requests > 0 ? { listed: [[keyId, { ...totals }]], count: 1 } : { listed: [], count: 0 },
      account: topOf(counted.account, top),
    };
  } else {
    groups = {
      model: await topFromAggregates(store, 'model:', main.labels, counted.model, top),
      key: await topFromAggregates(store, 'key:', main.labels, counted.key, top),
      account: await topFromAggregates(store, 'account:', main.labels, counted.account, top),
    };
    // Requests no account served (refused before scheduling) have no account row: listed
    // as "(none)" when every account is, else part of the others.
    if (groups.account.count <= top) {
      const none = { ...totals };
      for (const [, row] of groups.account.listed)
        for (const field of Object.keys(none) as (keyof UsageTotals)[]) none[field] -= row[field];
      if (none.requests > 0) {
        groups.account.listed.push(['(none)', none]);
        groups.account.count += 1;
      }
    }
  }
  return summaryAnswer(range, totals, slots, groups, names, truncated);
}

/** The summary's answer: totals, series, each list's top groups with their names, and each list's others. */
export function summaryAnswer(
  range: Pick<SummaryRange, 'sinceMs' | 'untilMs' | 'bucket'>,
  totals: UsageTotals,
  slots: readonly Slot[],
  groups: { model: TopGroups; key: TopGroups; account: TopGroups },
  names: SummaryNames,
  truncated: boolean,
): Summary {
  return {
    since: new Date(range.sinceMs).toISOString(),
    until: new Date(range.untilMs).toISOString(),
    bucket: range.bucket,
    totals: toTotals(totals),
    series: slots.map((slot) => ({ start: new Date(slot.start).toISOString(), ...toTotals(slot.totals) })),
    byModel: groupRows(groups.model, (id) => id, toTotals),
    byKey: groupRows(groups.key, (id) => names.key(id) ?? id, toTotals),
    byAccount: groupRows(groups.account, (id) => names.account(id) ?? id, toTotals),
    others: {
      byModel: othersOf(totals, groups.model, toTotals),
      byKey: othersOf(totals, groups.key, toTotals),
      byAccount: othersOf(totals, groups.account, toTotals),
    },
    truncated,
  };
}

/** The series' slots: minutes (from the records), or hours or days in the aggregates' time zone. */
export function seriesSlots(sources: SummarySources, range: SummaryRange, hourlyKeptSince: number): Slot[] {
  const { sinceMs, untilMs } = range;
  if (range.bucket === 'minute') {
    const first = Math.floor(sinceMs / MINUTE_MS) * MINUTE_MS;
    const count = Math.min(MAX_SLOTS, Math.max(1, Math.ceil((untilMs - first) / MINUTE_MS)));
    return Array.from({ length: count }, (_, index) => {
      const start = first + index * MINUTE_MS;
      const gap: [number, number] = [Math.max(start, sinceMs), Math.min(start + MINUTE_MS, untilMs)];
      return { start, plan: { labels: [], gaps: [gap] }, totals: emptyStored() };
    });
  }
  return periodRuns(sources.buckets, range.bucket, sinceMs, untilMs)
    .slice(0, MAX_SLOTS)
    .map((run) => ({
      start: run.start,
      plan: planPeriods(sources.buckets, Math.max(run.start, sinceMs), Math.min(run.end, untilMs), hourlyKeptSince),
      totals: emptyStored(),
    }));
}

export function slotAt(slots: readonly Slot[], at: number): Slot | undefined {
  let found: Slot | undefined;
  for (const slot of slots) {
    if (slot.start > at) break;
    found = slot;
  }
  return found;
}

function mergeGaps(gaps: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [from, to] of [...gaps].sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

async function readRecords(store: SummarySources['store'], gaps: readonly [number, number][], keyId: string | undefined) {
  const records: UsageRecord[] = [];
  let truncated = false;
  for (const [from, to] of gaps) {
    const query = {
      since: new Date(from).toISOString(),
      until: new Date(to).toISOString(),
      limit: SUMMARY_RECORD_LIMIT,
      ...(keyId ? { keyId } : {}),
    };
    const batch = await store.usage.list(query);
    if (batch.length >= SUMMARY_RECORD_LIMIT) truncated = true;
    records.push(...batch);
  }
  return { records, truncated };
}

function sumRows(rows: Map<string, UsageTotals>, labels: readonly string[]): UsageTotals {
  const sum = emptyStored();
  for (const label of labels) {
    const row = rows.get(label);
    if (row) addTotals(sum, row);
  }
  return sum;
}

export function addTo(map: Map<string, UsageTotals>, id: string, counts: UsageTotals): void {
  let totals = map.get(id);
  if (!totals) map.set(id, (totals = emptyStored()));
  addTotals(totals, counts);
}
