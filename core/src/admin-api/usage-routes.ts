/**
 * Usage and the request log, and the dashboard's numbers. The log reads the stored
 * usage records (`store.usage`); summaries and today's totals read the stored usage
 * aggregates (see usage-summary.ts), so they stay exact and cheap on busy gateways.
 */
import type { UsageRecord } from '@switchyard/plugin-api';
import { AdminApiError } from './admin-api-error.js';
import { defineRoute, type AdminRoute } from './admin-route.js';
import type { AdminDeps } from './admin-deps.js';
import { withState } from './account-views.js';
import type { z } from 'zod';
import { pickBucket, summarizeUsage, toTotals } from './usage-summary.js';
import { summarizeFiltered } from './usage-filtered-summary.js';
import { requestLogCsv, summaryCsv } from './usage-csv.js';
import type { UsageQuery } from '../store/types.js';
import { recordTotals } from '../usage/aggregate-deltas.js';
import { emptyTotals } from '../store/usage-totals.js';
import {
  dashboardSchema,
  requestLogQuerySchema,
  requestLogSchema,
  usageSummaryQuerySchema,
  type usageFilterSchema,
  usageSummarySchema,
} from './usage-schemas.js';

const DAY_MS = 86_400_000;
/** Most records the dashboard reads for its last-minute numbers. */
const LAST_MINUTE_LIMIT = 20_000;

/** Id-to-name lookups for keys and accounts. */
async function names(deps: Pick<AdminDeps, 'keys' | 'accounts'>) {
  const keys = new Map((await deps.keys.list()).map((key) => [key.id, key.name]));
  const accounts = new Map((await deps.accounts.listRecords()).map((account) => [account.id, account.name]));
  return { key: (id: string) => keys.get(id), account: (id: string) => accounts.get(id) };
}

/** Id-to-name lookups for keys and accounts. */
export type Names = Awaited<ReturnType<typeof names>>;

/** A log entry with key and account names added. */
export function withNames(lookup: Names, record: UsageRecord) {
  return {
    ...record,
    keyName: lookup.key(record.keyId) ?? record.keyName,
    accountName: record.accountId === undefined ? undefined : lookup.account(record.accountId),
    ...(record.failedAttempts
      ? {
          failedAttempts: record.failedAttempts.map((attempt) => ({
            ...attempt,
            accountName: lookup.account(attempt.accountId),
          })),
        }
      : {}),
  };
}

/** Log entries with key and account names added. */
async function named(deps: Pick<AdminDeps, 'keys' | 'accounts'>, records: UsageRecord[]) {
  const lookup = await names(deps);
  return records.map((record) => withNames(lookup, record));
}

/** The store filter of a request log or summary query (the fields set). */
export function usageFilter(query: z.infer<typeof usageFilterSchema>): Omit<UsageQuery, 'since' | 'until' | 'limit'> {
  const filter: Omit<UsageQuery, 'since' | 'until' | 'limit'> = {};
  if (query.keyId) filter.keyId = query.keyId;
  if (query.accountId) filter.accountId = query.accountId;
  if (query.model) filter.model = query.model;
  if (query.outcome) filter.outcome = query.outcome;
  if (query.status !== undefined) filter.status = query.status;
  if (query.client) filter.client = query.client;
  if (query.search) filter.search = query.search;
  return filter;
}

/** The request log's store query (without a limit). */
export function requestLogQuery(query: z.infer<typeof requestLogQuerySchema>): Omit<UsageQuery, 'limit'> {
  return {
    ...usageFilter(query),
    ...(query.before ? { until: query.before } : {}),
    ...(query.since ? { since: query.since } : {}),
  };
}

/** An account's health at a glance, worst first. */
function healthOf(account: {
  credentialsReadable: boolean;
  enabled: boolean;
  paused?: unknown;
  state: { coolingDownUntil?: string };
}) {
  if (!account.credentialsReadable) return 'unreadable' as const;
  if (!account.enabled) return 'disabled' as const;
  if (account.paused) return 'paused' as const;
  return account.state.coolingDownUntil ? ('cooling_down' as const) : ('ok' as const);
}

/** The usage summary of a range (default: the last 24 hours). */
export async function summaryFor(
  deps: Pick<AdminDeps, 'store' | 'keys' | 'accounts' | 'timeBuckets' | 'config' | 'clock'>,
  query: z.infer<typeof usageSummaryQuerySchema>,
  /** List every group unless the query says how many (the CSV form). */
  all = false,
) {
  const untilMs = query.until ? Date.parse(query.until) : deps.clock.now();
  const sinceMs = query.since ? Date.parse(query.since) : untilMs - DAY_MS;
  if (sinceMs >= untilMs)
    throw new AdminApiError('invalid_request', 'since must be before until.', ['since: must be before until']);
  const bucket = query.bucket ?? pickBucket(sinceMs, untilMs);
  const sources = {
    store: deps.store,
    buckets: deps.timeBuckets,
    hourlyDays: deps.config.usage.aggregates.hourlyDays,
    now: deps.clock.now(),
  };
  const filter = usageFilter(query);
  const range = { sinceMs, untilMs, bucket, keyId: query.keyId, top: topOf(query.top, all) };
  // The aggregates are per key only: any other filter is answered from the records.
  const byId = { key: () => undefined, account: () => undefined };
  const summary = Object.keys(filter).some((name) => name !== 'keyId')
    ? await summarizeFiltered(sources, range, filter, byId)
    : await summarizeUsage(sources, range, byId);
  return { ...summary, ...(await namedGroups(deps, summary)) };
}

/** Groups named past which every name is read at once (`list`) rather than one by one. */
const NAMES_ONE_BY_ONE = 100;

/** A summary's key and account groups with their names: only the listed ones are looked up. */
async function namedGroups(
  deps: Pick<AdminDeps, 'keys' | 'accounts'>,
  summary: Pick<z.infer<typeof usageSummarySchema>, 'byKey' | 'byAccount'>,
) {
  const lookup = async <T extends { id: string; name: string }>(
    ids: string[],
    get: (id: string) => Promise<T | undefined>,
    list: () => Promise<T[]>,
  ) => {
    const found =
      ids.length > NAMES_ONE_BY_ONE ? await list() : (await Promise.all(ids.map(get))).filter((item) => item !== undefined);
    return new Map(found.map((item) => [item.id, item.name]));
  };
  const [keys, accounts] = await Promise.all([
    lookup(
      summary.byKey.map((group) => group.id),
      (id) => deps.keys.get(id),
      () => deps.keys.list(),
    ),
    lookup(
      summary.byAccount.map((group) => group.id),
      (id) => deps.accounts.get(id),
      () => deps.accounts.list(),
    ),
  ]);
  return {
    byKey: summary.byKey.map((group) => ({ ...group, name: keys.get(group.id) ?? group.name })),
    byAccount: summary.byAccount.map((group) => ({ ...group, name: accounts.get(group.id) ?? group.name })),
  };
}

/** Groups listed per list: the query's `top`, else all (`all`) or the default. */
function topOf(top: number | 'all' | undefined, all: boolean): number | undefined {
  if (top === 'all' || (top === undefined && all)) return Infinity;
  return top;
}

/** Usage, request log and dashboard routes. */
export const usageRoutes: AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/usage/summary',
    id: 'getUsageSummary',
    tag: 'usage',
    summary: 'Requests, tokens and cost over a range: totals, a time series, and by model, key and account',
    query: usageSummaryQuerySchema,
    response: usageSummarySchema,
    handle: ({ query, deps }) => summaryFor(deps, query),
    csv: { filename: 'usage.csv', lines: async ({ query, deps }) => summaryCsv(await summaryFor(deps, query, true)) },
  }),
  defineRoute({
    method: 'get',
    path: '/requests',
    id: 'listRequests',
    tag: 'usage',
    summary: 'The request log, newest first (from the usage records)',
    query: requestLogQuerySchema,
    response: requestLogSchema,
    csv: {
      filename: 'requests.csv',
      lines: async ({ query, deps }) => requestLogCsv(deps.store, requestLogQuery(query), await names(deps)),
    },
    async handle({ query, deps }) {
      const filter = requestLogQuery(query);
      const [records, total] = await Promise.all([
        deps.store.usage.list({ ...filter, limit: query.limit ?? 50 }),
        deps.store.usage.count(filter),
      ]);
      return { items: await named(deps, records), total };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/dashboard',
    id: 'getDashboard',
    tag: 'usage',
    summary:
      "Counts, today's totals (the aggregates' time zone), requests in the last minute, account health and the latest requests",
    response: dashboardSchema,
    async handle({ deps }) {
      const now = deps.clock.now();
      const today = deps.timeBuckets.labels(now).day;
      const [accounts, keys, todayRows, lastMinute, recent] = await Promise.all([
        deps.accounts.list().then((list) => withState(deps, list)),
        deps.keys.list(),
        deps.store.usageAggregates.get('all', [today]),
        deps.store.usage.list({ since: new Date(now - 60_000).toISOString(), limit: LAST_MINUTE_LIMIT }),
        deps.store.usage.list({ limit: 10 }),
      ]);
      const health = accounts.map((account) => ({
        id: account.id,
        name: account.name,
        type: account.type,
        status: healthOf(account),
        state: account.state,
      }));
      return {
        accounts: {
          total: accounts.length,
          enabled: accounts.filter((account) => account.enabled).length,
          coolingDown: health.filter((account) => account.status === 'cooling_down').length,
        },
        keys: { total: keys.length, enabled: keys.filter((key) => key.enabled).length },
        today: toTotals(todayRows.get(today) ?? emptyTotals()),
        lastMinute: {
          requests: lastMinute.reduce((sum, record) => sum + recordTotals(record).requests, 0),
          tokens: lastMinute.reduce((sum, record) => sum + record.usage.inputTokens + record.usage.outputTokens, 0),
        },
        accountHealth: health,
        recent: await named(deps, recent),
      };
    },
  }),
];
