/**
 * Usage and the request log, read from the stored usage records (`store.usage`), and
 * the dashboard's numbers. Summaries aggregate in process (see usage-summary.ts).
 */
import type { UsageRecord } from '../plugin-api/index.js';
import { AdminApiError } from './admin-api-error.js';
import { defineRoute, type AdminRoute } from './admin-route.js';
import type { AdminDeps } from './admin-deps.js';
import { withState } from './account-views.js';
import { addRecord, emptyTotals, pickBucket, summarize, SUMMARY_RECORD_LIMIT, type UsageBucket } from './usage-summary.js';
import { dashboardSchema, requestLogQuerySchema, requestLogSchema, usageSummaryQuerySchema, usageSummarySchema } from './usage-schemas.js';

const DAY_MS = 86_400_000;

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

/** The usage summary of a range (default: the last 24 hours). */
export async function summaryFor(
  deps: Pick<AdminDeps, 'store' | 'keys' | 'accounts'>,
  query: { since?: string | undefined; until?: string | undefined; bucket?: UsageBucket | undefined; keyId?: string | undefined },
) {
  const untilMs = query.until ? Date.parse(query.until) : Date.now();
  const sinceMs = query.since ? Date.parse(query.since) : untilMs - DAY_MS;
  if (sinceMs >= untilMs) throw new AdminApiError('invalid_request', 'since must be before until.', ['since: must be before until']);
  const filter = { since: new Date(sinceMs).toISOString(), until: new Date(untilMs).toISOString(), ...(query.keyId ? { keyId: query.keyId } : {}) };
  const records = await deps.store.usage.list({ ...filter, limit: SUMMARY_RECORD_LIMIT });
  const bucket = query.bucket ?? pickBucket(sinceMs, untilMs);
  return summarize(records, { sinceMs, untilMs, bucket, truncated: records.length >= SUMMARY_RECORD_LIMIT }, await names(deps));
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
    summary: "Counts, today's totals, requests in the last minute, account health and the latest requests",
    response: dashboardSchema,
    async handle({ deps }) {
      const now = Date.now();
      const midnight = new Date(now);
      midnight.setUTCHours(0, 0, 0, 0);
      const [accounts, keys, today, recent] = await Promise.all([
        deps.accounts.list().then((list) => withState(deps, list)),
        deps.keys.list(),
        deps.store.usage.list({ since: midnight.toISOString(), limit: SUMMARY_RECORD_LIMIT }),
        deps.store.usage.list({ limit: 10 }),
      ]);
      const todayTotals = emptyTotals();
      for (const record of today) addRecord(todayTotals, record);
      const lastMinute = today.filter((record) => Date.parse(record.at) > now - 60_000);
      const health = accounts.map((account) => ({
        id: account.id,
        name: account.name,
        type: account.type,
        status: !account.credentialsReadable
          ? ('unreadable' as const)
          : !account.enabled
            ? ('disabled' as const)
            : account.state.coolingDownUntil
              ? ('cooling_down' as const)
              : ('ok' as const),
        state: account.state,
      }));
      return {
        accounts: {
          total: accounts.length,
          enabled: accounts.filter((account) => account.enabled).length,
          coolingDown: health.filter((account) => account.status === 'cooling_down').length,
        },
        keys: { total: keys.length, enabled: keys.filter((key) => key.enabled).length },
        today: todayTotals,
        lastMinute: {
          requests: lastMinute.length,
          tokens: lastMinute.reduce((sum, record) => sum + record.usage.inputTokens + record.usage.outputTokens, 0),
        },
        accountHealth: health,
        recent: await named(deps, recent),
      };
    },
  }),
];

