/**
 * A usage summary narrowed by the request log's filters (account, model, outcome,
 * client, search): the aggregates are kept per key, account and model only, so a
 * filtered summary is read from the stored records, at most {@link SUMMARY_RECORD_LIMIT}
 * of them (`truncated` says when the range held more), within the records' retention.
 */
import type { UsageQuery, UsageTotals } from '../store/types.js';
import { recordTotals } from '../usage/aggregate-deltas.js';
import { addTotals, emptyTotals } from '../store/usage-totals.js';
import {
  addTo,
  seriesSlots,
  slotAt,
  SUMMARY_RECORD_LIMIT,
  summaryAnswer,
  type SummaryNames,
  type SummaryRange,
  type SummarySources,
} from './usage-summary.js';
import { DEFAULT_SUMMARY_TOP, topOf } from './usage-top-groups.js';

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
  const groups = {
    model: new Map<string, UsageTotals>(),
    key: new Map<string, UsageTotals>(),
    account: new Map<string, UsageTotals>(),
  };
  for (const record of records) {
    const counts = recordTotals(record);
    addTotals(totals, counts);
    const slot = slotAt(slots, Date.parse(record.at));
    if (slot) addTotals(slot.totals, counts);
    addTo(groups.model, record.upstreamModel ?? record.model ?? 'unknown', counts);
    if (record.keyId) addTo(groups.key, record.keyId, counts);
    addTo(groups.account, record.accountId ?? '(none)', counts);
  }
  const top = range.top ?? DEFAULT_SUMMARY_TOP;
  const listed = {
    model: topOf(groups.model, top),
    key: topOf(groups.key, top),
    account: topOf(groups.account, top),
  };
  return summaryAnswer(range, totals, slots, listed, names, records.length >= SUMMARY_RECORD_LIMIT);
}
