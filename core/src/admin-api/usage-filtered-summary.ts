/**
 * A usage summary narrowed by the request log's filters (account, model, outcome,
 * client, search): the aggregates are kept per key, account and model only, so a
 * filtered summary is read from the stored records, at most {@link SUMMARY_RECORD_LIMIT}
 * of them (`truncated` says when the range held more), within the records' retention.
 */
import type { UsageQuery } from '../store/types.js';
import { recordTotals } from '../usage/aggregate-deltas.js';
import { addTotals, emptyTotals } from '../store/usage-totals.js';
import {
  addTo,
  ranked,
  seriesSlots,
  slotAt,
  SUMMARY_RECORD_LIMIT,
  toTotals,
  type SummaryNames,
  type SummaryRange,
  type SummarySources,
} from './usage-summary.js';

const DAY_MS = 86_400_000;

/** The summary of [since, until) over the records `filter` matches. */
export async function summarizeFiltered(
  sources: SummarySources,
  range: SummaryRange,
  filter: Omit<UsageQuery, 'since' | 'until' | 'limit'>,
  names: SummaryNames,
) {
  const { sinceMs, untilMs } = range;
  const hourlyKeptSince = (sources.now ?? Date.now()) - sources.hourlyDays * DAY_MS;
  const slots = seriesSlots(sources, range, hourlyKeptSince);
  const records = await sources.store.usage.list({
    ...filter,
    since: new Date(sinceMs).toISOString(),
    until: new Date(untilMs).toISOString(),
    limit: SUMMARY_RECORD_LIMIT,
  });
  const totals = emptyTotals();
  const groups = { model: new Map(), key: new Map(), account: new Map() } as const;
  for (const record of records) {
    const counts = recordTotals(record);
    addTotals(totals, counts);
    const slot = slotAt(slots, Date.parse(record.at));
    if (slot) addTotals(slot.totals, counts);
    addTo(groups.model, record.upstreamModel ?? record.model ?? 'unknown', counts);
    if (record.keyId) addTo(groups.key, record.keyId, counts);
    addTo(groups.account, record.accountId ?? '(none)', counts);
  }
  return {
    since: new Date(sinceMs).toISOString(),
    until: new Date(untilMs).toISOString(),
    bucket: range.bucket,
    totals: toTotals(totals),
    series: slots.map((slot) => ({ start: new Date(slot.start).toISOString(), ...toTotals(slot.totals) })),
    byModel: ranked(groups.model, (id) => id),
    byKey: ranked(groups.key, (id) => names.key(id) ?? id),
    byAccount: ranked(groups.account, (id) => names.account(id) ?? id),
    truncated: records.length >= SUMMARY_RECORD_LIMIT,
  };
}
