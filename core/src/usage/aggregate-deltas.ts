/**
 * Turns a batch of usage records into aggregate deltas: per key, account, model,
 * key+model and overall, for the record's hour, day and month (in the configured time
 * zone) and lifetime, merged so a batch writes each row once.
 */
import type { UsageRecord } from '@switchyard/plugin-api';
import type { UsageAggregateDelta, UsageTotals } from '../store/types.js';
import type { TimeBuckets } from './time-buckets.js';
import { addTotals, emptyTotals } from '../store/usage-totals.js';
import { parseIsoTime } from '../time/iso-time.js';

/** How long each granularity of aggregate is kept, in days. */
export interface AggregateRetention {
  hourlyDays: number;
  dailyDays: number;
  monthlyDays: number;
}

const DAY_MS = 86_400_000;

/** The counts one record adds. */
export function recordTotals(record: UsageRecord): UsageTotals {
  return addRecord(emptyTotals(), record);
}

/** Adds the counts of `record` into `into` (mutating it) and returns it. */
function addRecord(into: UsageTotals, record: UsageRecord): UsageTotals {
  const { usage } = record;
  into.requests += record.requests ?? 1;
  into.errors += record.status >= 400 || record.incomplete === true ? 1 : 0;
  into.inputTokens += usage.inputTokens;
  into.outputTokens += usage.outputTokens;
  into.cacheWrite5mTokens += usage.cacheWrite5mTokens;
  into.cacheWrite1hTokens += usage.cacheWrite1hTokens;
  into.cacheReadTokens += usage.cacheReadTokens;
  into.costMicros += record.costMicros;
  into.ratedCostMicros += record.ratedCostMicros ?? record.costMicros;
  return into;
}

/** The scopes a record counts in: `all`, `model:`, `key:`, `key-model:`, `account:`, and `unpriced:<model>` when the fallback priced it. */
export function recordScopes(record: UsageRecord): string[] {
  const model = record.upstreamModel ?? record.model ?? 'unknown';
  const scopes = ['all', `model:${model}`];
  if (record.keyId) scopes.push(`key:${record.keyId}`, `key-model:${record.keyId}:${model}`);
  if (record.accountId) scopes.push(`account:${record.accountId}`);
  // Models no price table knew (priced by the fallback), for the admin to add prices.
  if (record.priced === false) scopes.push(`unpriced:${model}`);
  return scopes;
}

const QUARTER_MS = 15 * 60_000;

/**
 * Merged deltas of `records`, with each row's expiry. Records are first summed per
 * (key, model, account, quarter hour) (time zone offsets are whole quarter hours, so a
 * group never straddles a period), then each group is spread over its scopes and
 * periods: a batch costs one map update per record plus one per distinct row.
 */
export function aggregateDeltas(
  records: readonly UsageRecord[],
  buckets: TimeBuckets,
  retention: AggregateRetention,
): UsageAggregateDelta[] {
  type Group = { record: UsageRecord; lastAt: number; totals: UsageTotals };
  const groups = new Map<string, Group>();
  // A batch's records nearly all share key, model, account and quarter hour with the one
  // before: those reuse its group without building a map key.
  let previous: { record: UsageRecord; model: string; quarter: number; group: Group } | undefined;
  for (const record of records) {
    const at = parseIsoTime(record.at);
    const quarter = Math.floor(at / QUARTER_MS);
    const model = record.upstreamModel ?? record.model ?? '';
    let group: Group | undefined;
    if (
      previous &&
      previous.quarter === quarter &&
      previous.record.keyId === record.keyId &&
      previous.model === model &&
      previous.record.accountId === record.accountId
    ) {
      group = previous.group;
    } else {
      const id = `${record.keyId}\u0000${model}\u0000${record.accountId ?? ''}\u0000${quarter}`;
      group = groups.get(id);
      if (!group) {
        group = { record, lastAt: at, totals: emptyTotals() };
        groups.set(id, group);
      }
      previous = { record, model, quarter, group };
    }
    addRecord(group.totals, record);
    if (at > group.lastAt) group.lastAt = at;
  }
  const rows = new Map<string, UsageAggregateDelta>();
  for (const { record, lastAt, totals } of groups.values()) {
    const labels = buckets.labels(lastAt);
    const periods: [string, number | undefined][] = [
      [labels.hour, lastAt + retention.hourlyDays * DAY_MS],
      [labels.day, lastAt + retention.dailyDays * DAY_MS],
      [labels.month, lastAt + retention.monthlyDays * DAY_MS],
      ['all', undefined],
    ];
    for (const scope of recordScopes(record)) {
      for (const [period, expiresAtMs] of periods) {
        const id = `${period}\u0000${scope}`;
        let row = rows.get(id);
        if (!row) {
          row = { scope, period, totals: emptyTotals(), ...(expiresAtMs === undefined ? {} : { expiresAtMs }) };
          rows.set(id, row);
        } else if (expiresAtMs !== undefined && (row.expiresAtMs ?? 0) < expiresAtMs) {
          row.expiresAtMs = expiresAtMs;
        }
        addTotals(row.totals, totals);
      }
    }
  }
  return [...rows.values()];
}
