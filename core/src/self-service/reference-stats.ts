/**
 * The key holder's statistics in the JSON shapes of the reference relay service (crs),
 * so scripts and dashboards written against it keep working:
 * field names, nesting and number formats as it answers them, built from Switchyard's
 * own records (usage aggregates, the key's limits and their meters).
 *
 * Where Switchyard has no such thing the field keeps the reference's type with its
 * "nothing" value (0, null, [] or {}); docs/migration.md lists those fields.
 */
import type { AccountTypeDefinition, ModelPrice } from '@switchyard/plugin-api';
import type { KeyRecord, Store, UsageTotals } from '../store/types.js';
import type { TimeBuckets } from '../usage/time-buckets.js';
import { emptyTotals, totalTokens } from '../store/usage-totals.js';
import { parseKeyLimits } from '../limits/parse-key-limits.js';
import { readBudgets, type Budget } from '../limits/key-budgets.js';
import type { KeyLimits } from '../limits/key-limits-schema.js';
import { parseDuration } from '../limits/duration.js';
import { familyName, spendMeter, weekPeriod } from '../limits/spend-periods.js';

const DAY_MS = 86_400_000;

/**
 * The id the reference knew the key by: `switchyard import crs` stores its keys as
 * `crs_<reference id>`, so scripts that kept the reference's ids still match; other keys
 * answer their own id.
 */
export function referenceKeyId(key: KeyRecord): string {
  return referenceId(key.id);
}

/** `crs_<id>` (an imported record's id) -> `<id>`; any other id as it is. */
function referenceId(id: string): string {
  return id.startsWith('crs_') ? id.slice('crs_'.length) : id;
}

/** Token counts of one period as the reference's `getUsageStats` gives them. */
export interface ReferenceTokenCounts {
  tokens: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreateTokens: number;
  cacheReadTokens: number;
  allTokens: number;
  requests: number;
}

/** The reference's `getUsageStats` answer: lifetime, today, this month and averages since creation. */
export interface ReferenceUsageStats {
  total: ReferenceTokenCounts;
  daily: ReferenceTokenCounts;
  monthly: ReferenceTokenCounts;
  averages: { rpm: number; tpm: number; dailyRequests: number; dailyTokens: number };
}

/**
 * A cost in dollars as the reference prints it: two decimals from $1, four from
 * $0.001, six below (`$0.000000` for nothing).
 */
export function formatReferenceCost(usd: number): string {
  if (usd >= 1) return `$${usd.toFixed(2)}`;
  if (usd >= 0.001) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(6)}`;
}

function tokenCounts(totals: UsageTotals | undefined): ReferenceTokenCounts {
  const t = totals ?? emptyTotals();
  const all = totalTokens(t);
  return {
    tokens: all,
    inputTokens: t.inputTokens,
    outputTokens: t.outputTokens,
    cacheCreateTokens: t.cacheWrite5mTokens + t.cacheWrite1hTokens,
    cacheReadTokens: t.cacheReadTokens,
    allTokens: all,
    requests: t.requests,
  };
}

const twoDecimals = (n: number) => Math.round(n * 100) / 100;

/** The key's usage aggregates for today, this month and its lifetime (the aggregates' time zone). */
export async function readKeyTotals(
  store: Store,
  buckets: TimeBuckets,
  key: KeyRecord,
  now: number,
): Promise<{ today: UsageTotals; month: UsageTotals; lifetime: UsageTotals }> {
  const labels = buckets.labels(now);
  const rows = await store.usageAggregates.get(`key:${key.id}`, [labels.day, labels.month, 'all']);
  return {
    today: rows.get(labels.day) ?? emptyTotals(),
    month: rows.get(labels.month) ?? emptyTotals(),
    lifetime: rows.get('all') ?? emptyTotals(),
  };
}

/** The reference's usage statistics of `key` (averages per minute and per day since the key was created). */
export function referenceUsageStats(
  key: KeyRecord,
  totals: { today: UsageTotals; month: UsageTotals; lifetime: UsageTotals },
  now: number,
): ReferenceUsageStats {
  const created = Date.parse(key.createdAt);
  const days = Math.max(1, Math.ceil((now - (Number.isFinite(created) ? created : now)) / DAY_MS));
  const minutes = days * 24 * 60;
  const requests = totals.lifetime.requests;
  const tokens = totalTokens(totals.lifetime);
  return {
    total: tokenCounts(totals.lifetime),
    daily: tokenCounts(totals.today),
    monthly: tokenCounts(totals.month),
    averages: {
      rpm: twoDecimals(requests / minutes),
      tpm: twoDecimals(tokens / minutes),
      dailyRequests: twoDecimals(requests / days),
      dailyTokens: twoDecimals(tokens / days),
    },
  };
}

/** The key's limits, or no limits when they do not parse (refused at request time anyway). */
export function limitsOf(key: KeyRecord): KeyLimits {
  try {
    return parseKeyLimits(key);
  } catch {
    return {};
  }
}

/**
 * The reference's single rate-limit window: Switchyard's first window (`limits.windows[0]`)
 * as `rateLimitWindow` (minutes), `rateLimitRequests`, `tokenLimit` and `rateLimitCost`.
 */
export function referenceWindow(limits: KeyLimits): {
  minutes: number;
  requests: number;
  tokens: number;
  costUsd: number;
} {
  const first = limits.windows?.[0];
  if (!first) return { minutes: 0, requests: 0, tokens: 0, costUsd: 0 };
  return {
    minutes: Math.max(1, Math.round(parseDuration(first.period)! / 60_000)),
    requests: first.requests ?? 0,
    tokens: first.tokens ?? 0,
    costUsd: first.costUsd ?? 0,
  };
}

const usedOf = (budgets: readonly Budget[], path: string) => budgets.find((b) => b.path === path)?.used ?? 0;

/**
 * The `data` of the reference's `POST /apiStats/api/user-stats`: identity, lifetime usage
 * and cost, limits with their current use, bound accounts and restrictions.
 */
export async function referenceUserStats(
  store: Store,
  accountTypes: readonly { definition: AccountTypeDefinition }[],
  key: KeyRecord,
  totals: { today: UsageTotals; month: UsageTotals; lifetime: UsageTotals },
  now: number,
): Promise<Record<string, unknown>> {
  const limits = limitsOf(key);
  let budgets: Budget[] = [];
  try {
    budgets = await readBudgets(store.meters, key.id, limits, undefined, undefined, now);
  } catch {
    // Shown as configured, without their use.
  }
  const window = referenceWindow(limits);
  const totalCost = totals.lifetime.ratedCostMicros / 1e6;
  const weeklyCap = limits.costUsd?.weeklyByModel?.[0];
  // The reference's weekly Opus cost: Switchyard's first weekly cap for a family of models.
  let weeklyCapUsed = 0;
  if (weeklyCap) {
    const week = weekPeriod(now, limits.costUsd?.weeklyReset, limits.costUsd?.resetUtcOffsetMinutes ?? 0);
    [weeklyCapUsed] = (await store.meters.getTotals([spendMeter.modelWeek(key.id, familyName(weeklyCap), week)])) as [number];
  }
  const activation = limits.expiresAfterFirstUse;
  const activationMs = activation ? parseDuration(activation) : undefined;
  // A key that expires after its first use is "activated" by that use (the first-use mark).
  const firstUse = activation ? await store.meters.getMark(spendMeter.firstUse(key.id)) : undefined;
  const denied = limits.models?.deny ?? [];
  // The reference's client ids use underscores (`some_cli`); Switchyard's, hyphens.
  const clients = (limits.clients ?? []).map((client) => client.replace(/-/g, '_'));
  return {
    id: referenceKeyId(key),
    name: key.name,
    description: key.description ?? '',
    isActive: true,
    createdAt: key.createdAt,
    expiresAt:
      key.expiresAt ??
      limits.expiresAt ??
      (firstUse !== undefined && activationMs ? new Date(firstUse + activationMs).toISOString() : ''),
    expirationMode: activation ? 'activation' : 'fixed',
    isActivated: activation ? firstUse !== undefined : true,
    activationDays: activationMs ? Math.max(1, Math.round(activationMs / DAY_MS)) : 0,
    activatedAt: firstUse === undefined ? null : new Date(firstUse).toISOString(),
    // The reference's newer form: a list of services, empty for all.
    permissions: limits.permissions ?? [],
    usage: {
      total: { ...tokenCounts(totals.lifetime), cost: totalCost, formattedCost: formatReferenceCost(totalCost) },
    },
    limits: {
      tokenLimit: window.tokens,
      concurrencyLimit: limits.concurrency ?? 0,
      rateLimitWindow: window.minutes,
      rateLimitRequests: window.requests,
      rateLimitCost: window.costUsd,
      dailyCostLimit: limits.costUsd?.daily ?? 0,
      totalCostLimit: limits.costUsd?.total ?? 0,
      weeklyOpusCostLimit: weeklyCap?.usd ?? 0,
      weeklyResetDay: limits.costUsd?.weeklyReset?.day ?? 1,
      weeklyResetHour: limits.costUsd?.weeklyReset?.hour ?? 0,
      currentWindowRequests: usedOf(budgets, 'windows[0].requests'),
      currentWindowTokens: usedOf(budgets, 'windows[0].tokens'),
      currentWindowCost: usedOf(budgets, 'windows[0].costUsd') / 1e6,
      currentDailyCost: totals.today.ratedCostMicros / 1e6,
      currentTotalCost: totalCost,
      weeklyOpusCost: weeklyCapUsed / 1e6,
      // Switchyard's windows slide (no fixed start), so there is no window start or end to tell.
      windowStartTime: null,
      windowEndTime: null,
      windowRemainingSeconds: null,
    },
    accounts: await boundAccounts(store, key, limits, accountTypes),
    restrictions: {
      enableModelRestriction: denied.length > 0,
      restrictedModels: denied,
      enableClientRestriction: clients.length > 0,
      allowedClients: clients,
    },
    serviceRates: {},
  };
}

/**
 * The reference's `accounts` object: one `<kind>AccountId` field per key-binding field the
 * loaded account types declare for the `crs` source (the core names none itself), null
 * unless the key is bound to an account of that kind, then the id the reference knew it
 * by; `details: null`.
 */
async function boundAccounts(
  store: Store,
  key: KeyRecord,
  limits: KeyLimits,
  accountTypes: readonly { definition: AccountTypeDefinition }[],
): Promise<Record<string, string | null>> {
  const fieldsOf = (definition: AccountTypeDefinition) =>
    (definition.imports ?? []).filter((entry) => entry.source === 'crs').flatMap((entry) => entry.keyBindings ?? []);
  const out: Record<string, string | null> = {};
  for (const { definition } of accountTypes) for (const { field } of fieldsOf(definition)) out[field] = null;
  const bound = limits.binding?.account;
  if (bound !== undefined) {
    const account = await store.accounts.get(bound);
    const type = account && accountTypes.find(({ definition }) => definition.id === account.type);
    const binding = type ? fieldsOf(type.definition)[0] : undefined;
    if (account && binding) out[binding.field] = `${binding.prefix ?? ''}${referenceId(account.id)}`;
  }
  return { ...out, details: null };
}

/** One entry of the reference's `POST /apiStats/api/user-model-stats` list. */
export function referenceModelStats(model: string, totals: UsageTotals, price: ModelPrice | undefined): Record<string, unknown> {
  const counts = tokenCounts(totals);
  const real = totals.costMicros / 1e6;
  const rated = totals.ratedCostMicros / 1e6;
  // Per-kind costs at the list price (the recorded total is exact; these split it as the reference does).
  const perMillion = (tokens: number, rate: number | undefined) => (tokens * (rate ?? 0)) / 1e6;
  const input = perMillion(totals.inputTokens, price?.input);
  const output = perMillion(totals.outputTokens, price?.output);
  const cacheWrite =
    perMillion(totals.cacheWrite5mTokens, price?.cacheWrite5m ?? price?.input) +
    perMillion(totals.cacheWrite1hTokens, price?.cacheWrite1h ?? price?.input);
  const cacheRead = perMillion(totals.cacheReadTokens, price?.cacheRead ?? price?.input);
  return {
    model,
    requests: counts.requests,
    inputTokens: counts.inputTokens,
    outputTokens: counts.outputTokens,
    cacheCreateTokens: counts.cacheCreateTokens,
    cacheReadTokens: counts.cacheReadTokens,
    allTokens: counts.allTokens,
    costs: { input, output, cacheWrite, cacheRead, total: real, real, rated },
    formatted: {
      input: formatReferenceCost(input),
      output: formatReferenceCost(output),
      cacheWrite: formatReferenceCost(cacheWrite),
      cacheRead: formatReferenceCost(cacheRead),
      total: `$${real.toFixed(6)}`,
    },
    ...(price
      ? {
          pricing: {
            input: price.input,
            output: price.output,
            cacheWrite: price.cacheWrite5m ?? price.input,
            cacheRead: price.cacheRead ?? price.input,
          },
        }
      : {}),
    isLegacy: false,
  };
}
