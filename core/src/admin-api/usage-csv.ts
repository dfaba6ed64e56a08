/**
 * The CSV forms of the request log and of a usage summary (`Accept: text/csv` on
 * `GET /requests` and `GET /usage/summary`). The request log is streamed page by page
 * from the store, newest first, so an export of any size holds one page in memory.
 */
import type { UsageRecord } from '@switchyard/plugin-api';
import type { Store, UsageQuery } from '../store/types.js';
import { csvLine, microsToUsd } from './csv.js';
import type { z } from 'zod';
import type { usageSummarySchema, usageTotalsSchema } from './usage-schemas.js';

/** Records read per page of an export. */
export const CSV_PAGE = 1000;

/** Id-to-name lookups. */
interface Names {
  key(id: string): string | undefined;
  account(id: string): string | undefined;
}

const REQUEST_COLUMNS = [
  'id',
  'at',
  'key_id',
  'key_name',
  'account_id',
  'account_name',
  'account_type',
  'client',
  'session',
  'protocol',
  'model',
  'requested_model',
  'upstream_model',
  'status',
  'reason',
  'incomplete',
  'stream',
  'queue_ms',
  'first_byte_ms',
  'latency_ms',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'cost_usd',
  'failed_over',
];

function requestRow(record: UsageRecord, names: Names): string {
  const usage = record.usage;
  const failedOver = (record.failedAttempts ?? [])
    .map((attempt) => `${names.account(attempt.accountId) ?? attempt.accountId} (${attempt.status ?? attempt.kind})`)
    .join('; ');
  return csvLine([
    record.id,
    record.at,
    record.keyId,
    names.key(record.keyId) ?? record.keyName,
    record.accountId,
    record.accountId === undefined ? undefined : names.account(record.accountId),
    record.accountType,
    record.client,
    record.session,
    record.protocol,
    record.model,
    record.requestedModel,
    record.upstreamModel,
    record.status,
    record.reason,
    record.incomplete === true,
    record.stream,
    record.queueWaitMs,
    record.firstByteMs,
    record.latencyMs,
    usage.inputTokens,
    usage.outputTokens,
    usage.cacheReadTokens,
    usage.cacheWrite5mTokens + usage.cacheWrite1hTokens,
    microsToUsd(record.costMicros),
    failedOver,
  ]);
}

/** Every record `query` matches, as CSV lines (header first), newest first. */
export async function* requestLogCsv(
  store: Pick<Store, 'usage'>,
  query: Omit<UsageQuery, 'limit'>,
  names: Names,
): AsyncIterable<string> {
  yield csvLine(REQUEST_COLUMNS);
  let until = query.until;
  // Ids already sent from the last page's oldest millisecond, which the next page reads again.
  let boundary = new Set<string>();
  for (;;) {
    const page = await store.usage.list({ ...query, ...(until ? { until } : {}), limit: CSV_PAGE });
    const fresh = page.filter((record) => !boundary.has(record.id));
    for (const record of fresh) yield requestRow(record, names);
    if (page.length < CSV_PAGE || fresh.length === 0) return;
    const oldest = Date.parse(page[page.length - 1]!.at);
    const sameMs = page.filter((record) => Date.parse(record.at) === oldest);
    // The next page ends just after the oldest millisecond seen, unless this whole page
    // shared it (then the rest of that millisecond cannot be paged through: skip past it).
    const whole = sameMs.length === page.length;
    until = new Date(whole ? oldest : oldest + 1).toISOString();
    boundary = whole ? new Set() : new Set(sameMs.map((record) => record.id));
  }
}

type Summary = z.infer<typeof usageSummarySchema>;
type Totals = z.infer<typeof usageTotalsSchema>;

const TOTAL_COLUMNS = [
  'requests',
  'errors',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'total_tokens',
  'cost_usd',
];

function totalsCells(totals: Totals) {
  return [
    totals.requests,
    totals.errors,
    totals.inputTokens,
    totals.outputTokens,
    totals.cacheReadTokens,
    totals.cacheWriteTokens,
    totals.totalTokens,
    microsToUsd(totals.costMicros),
  ];
}

/**
 * A summary as one table: `section` is `total`, `time` (one row per bucket, `id` its
 * start), `model`, `key` or `account` (with an `(others)` row when `top` left groups out).
 */
export async function* summaryCsv(summary: Summary): AsyncIterable<string> {
  yield csvLine(['section', 'id', 'name', ...TOTAL_COLUMNS]);
  yield csvLine(['total', `${summary.since}/${summary.until}`, '', ...totalsCells(summary.totals)]);
  for (const slot of summary.series) yield csvLine(['time', slot.start, '', ...totalsCells(slot)]);
  for (const [section, groups, others] of [
    ['model', summary.byModel, summary.others.byModel],
    ['key', summary.byKey, summary.others.byKey],
    ['account', summary.byAccount, summary.others.byAccount],
  ] as const) {
    for (const group of groups) yield csvLine([section, group.id, group.name, ...totalsCells(group)]);
    // Only when the query asked for fewer groups than there are (the CSV lists all by default).
    if (others.count > 0) yield csvLine([section, '(others)', `${others.count} more`, ...totalsCells(others)]);
  }
}
