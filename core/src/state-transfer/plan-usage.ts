/**
 * Import steps for usage: the request log's records the target does not hold (by id), and
 * aggregate rows made equal to the file's (the difference is added, so a re-run adds
 * nothing). Rows get the importing gateway's retention, counted from the period's end.
 */
import type { UsageRecord } from '@switchyard/plugin-api';
import type { UsageAggregateDelta, UsageTotals } from '../store/types.js';
import type { AggregatePeriodRetention } from './aggregate-periods.js';
import { sameJson, type ImportStep } from './import-plan.js';
import type { PlanContext } from './plan-records.js';

const DAY_MS = 86_400_000;
const CHUNK = 500;
const TOTAL_FIELDS = [
  'requests',
  'errors',
  'inputTokens',
  'outputTokens',
  'cacheWrite5mTokens',
  'cacheWrite1hTokens',
  'cacheReadTokens',
  'costMicros',
  'ratedCostMicros',
] as const satisfies readonly (keyof UsageTotals)[];

export async function planUsage(context: PlanContext, retention: AggregatePeriodRetention): Promise<ImportStep[]> {
  const usage = context.data.usage;
  if (!usage) return [];
  const { store } = context;
  const records = usage.records as unknown as UsageRecord[];
  const missing: UsageRecord[] = [];
  for (let start = 0; start < records.length; start += CHUNK) {
    const chunk = records.slice(start, start + CHUNK);
    const stored = await store.usage.storedIds(chunk.map((record) => record.id));
    for (const record of chunk) if (!stored.has(record.id)) missing.push(record);
  }
  const steps: ImportStep[] = [
    { kind: 'usage records', id: 'stored already', outcome: 'unchanged', bulk: true, count: records.length - missing.length },
  ];
  if (missing.length > 0) {
    steps.push({
      kind: 'usage records',
      id: 'new',
      outcome: 'create',
      bulk: true,
      count: missing.length,
      apply: async () => {
        for (let start = 0; start < missing.length; start += CHUNK) await store.usage.append(missing.slice(start, start + CHUNK));
      },
    });
  }

  const byScope = new Map<string, { period: string; totals: UsageTotals }[]>();
  for (const row of usage.aggregates) {
    const rows = byScope.get(row.scope) ?? [];
    rows.push({ period: row.period, totals: row.totals as unknown as UsageTotals });
    byScope.set(row.scope, rows);
  }
  const deltas: UsageAggregateDelta[] = [];
  let created = 0;
  let unchanged = 0;
  for (const [scope, rows] of byScope) {
    const current = await store.usageAggregates.get(
      scope,
      rows.map((row) => row.period),
    );
    for (const { period, totals } of rows) {
      const here = current.get(period);
      if (here && sameJson(here, totals)) {
        unchanged++;
        continue;
      }
      if (!here) created++;
      const expiresAtMs = expiryOf(period, retention);
      deltas.push({ scope, period, totals: difference(totals, here), ...(expiresAtMs === undefined ? {} : { expiresAtMs }) });
    }
  }
  steps.push({ kind: 'usage aggregates', id: 'rows', outcome: 'unchanged', bulk: true, count: unchanged });
  // One write for every row; it rides on the first step that counts a write.
  const write = () => store.usageAggregates.add(deltas);
  if (created > 0)
    steps.push({ kind: 'usage aggregates', id: 'rows', outcome: 'create', bulk: true, count: created, apply: write });
  if (deltas.length > created) {
    const changed = {
      kind: 'usage aggregates',
      id: 'rows',
      outcome: 'change',
      bulk: true,
      count: deltas.length - created,
    } as const;
    steps.push(created > 0 ? changed : { ...changed, apply: write });
  }
  return steps;
}

function difference(wanted: UsageTotals, here: UsageTotals | undefined): UsageTotals {
  const out = { ...wanted };
  if (here) for (const field of TOTAL_FIELDS) out[field] = (wanted[field] ?? 0) - (here[field] ?? 0);
  return out;
}

/** When a row of `period` may go: the end of the period plus its granularity's retention; `all` never. */
function expiryOf(period: string, retention: AggregatePeriodRetention): number | undefined {
  const [kind, label] = [period.slice(0, 2), period.slice(2)];
  if (kind === 'h:') return Date.parse(`${label}:00:00Z`) + 3_600_000 + retention.hourlyDays * DAY_MS;
  if (kind === 'd:') return Date.parse(`${label}T00:00:00Z`) + DAY_MS + retention.dailyDays * DAY_MS;
  if (kind === 'm:') return Date.parse(`${label}-01T00:00:00Z`) + 31 * DAY_MS + retention.monthlyDays * DAY_MS;
  return undefined;
}
