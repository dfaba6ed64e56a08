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
import { pickBucket, summarizeUsage, toTotals, type UsageBucket } from './usage-summary.js';
import { recordTotals } from '../usage/aggregate-deltas.js';
import { emptyTotals } from '../store/usage-totals.js';
import {
  dashboardSchema,
  requestLogQuerySchema,
  requestLogSchema,
  usageSummaryQuerySchema,
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

/** Log entries with key and account names added. */
async function named(deps: Pick<AdminDeps, 'keys' | 'accounts'>, records: UsageRecord[]) {
  const lookup = await names(deps);
  return records.map((record) => ({
    ...record,
    keyName: lookup.key(record.keyId),
    accountName: record.accountId === undefined ? undefined : lookup.account(record.accountId),
  }));
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
  query: { since?: string | undefined; until?: string | undefined; bucket?: UsageBucket | undefined; keyId?: string | undefined },
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
  return summarizeUsage(sources, { sinceMs, untilMs, bucket, keyId: query.keyId }, await names(deps));
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
  }),
  defineRoute({
    method: 'get',
    path: '/requests',
    id: 'listRequests',
    tag: 'usage',
    summary: 'The request log, newest first (from the usage records)',
    query: requestLogQuerySchema,
    response: requestLogSchema,
    async handle({ query, deps }) {
      const filter = {
        ...(query.before ? { until: query.before } : {}),
        ...(query.since ? { since: query.since } : {}),
        ...(query.keyId ? { keyId: query.keyId } : {}),
      };
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
