/** Usage aggregates in Redis: one hash per (period, scope), expiring by itself. */
import type { Redis } from 'ioredis';
import { systemClock, type Clock } from '../../time/clock.js';
import type { ScopeRank, UsageAggregateDelta, UsageAggregateRepository, UsageTotals } from '../types.js';
import { emptyTotals, USAGE_TOTAL_FIELDS } from '../usage-totals.js';
import type { RedisKeyspace } from './redis-keyspace.js';
import { RedisScript } from './redis-script.js';

/** Deltas sent per script call. */
const ADD_BATCH = 200;

/** Position (1-based, as in Lua) of `costMicros` among a delta's values. */
const COST_FIELD = USAGE_TOTAL_FIELDS.indexOf('costMicros') + 1;
const REQUESTS_FIELD = USAGE_TOTAL_FIELDS.indexOf('requests') + 1;
/**
 * Scope kinds ranked per period (`{p}agg-rank:<period>:<kind>:cost` and `…:requests`
 * sorted sets, member: the scope), for the usage summary's top lists.
 */
export const RANKED_SCOPE_KINDS = ['key', 'account', 'model'] as const;

// ARGV: prefix, then per delta: period, scope, ttlMs (0 = none), then one value per field
// (field names are in the script, in USAGE_TOTAL_FIELDS order). HINCRBY per non-zero
// value; the row and the period's scope index get the row's expiry. Key, account and
// model rows of hours, days and months also add their cost and requests to the period's
// sorted sets of that kind, so ranking them is two ZUNIONs, not one read per scope.
// (Inside the script: the write path's round trips do not change.)
const ADD = new RedisScript(`
local fields = { ${USAGE_TOTAL_FIELDS.map((f) => `'${f}'`).join(', ')} }
local prefix = ARGV[1]
local step = 3 + #fields
for i = 2, #ARGV, step do
  local period, scope, ttl = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
  local key = prefix .. 'agg:' .. period .. ':' .. scope
  local index = prefix .. 'agg-index:' .. period
  for f = 1, #fields do
    local value = tonumber(ARGV[i + 2 + f])
    if value ~= 0 then redis.call('HINCRBY', key, fields[f], value) end
  end
  redis.call('HSETNX', key, 'requests', 0)
  redis.call('SADD', index, scope)
  local kind = string.match(scope, '^(%a+):')
  local ranked = period ~= 'all' and (kind == 'key' or kind == 'account' or kind == 'model')
  local rank = prefix .. 'agg-rank:' .. period .. ':' .. (kind or '')
  if ranked then
    redis.call('ZINCRBY', rank .. ':cost', tonumber(ARGV[i + 2 + ${COST_FIELD}]), scope)
    redis.call('ZINCRBY', rank .. ':requests', tonumber(ARGV[i + 2 + ${REQUESTS_FIELD}]), scope)
  end
  if ttl > 0 then
    redis.call('PEXPIRE', key, ttl)
    redis.call('PEXPIRE', index, ttl)
    if ranked then
      redis.call('PEXPIRE', rank .. ':cost', ttl)
      redis.call('PEXPIRE', rank .. ':requests', ttl)
    end
  end
end
return 1
`);

/**
 * {@link UsageAggregateRepository} in Redis: `{p}agg:<period>:<scope>` hashes of
 * counters (HINCRBY, one script call per batch of {@link ADD_BATCH} rows) and
 * `{p}agg-index:<period>` sets of the scopes with data (so nothing is ever SCANned).
 * Hourly, daily and monthly rows carry a TTL; only lifetime (`all`) rows live forever,
 * one per scope, so storage stays bounded.
 */
export class RedisUsageAggregates implements UsageAggregateRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keyspace: RedisKeyspace,
    private readonly clock: Clock = systemClock,
  ) {}

  async add(deltas: readonly UsageAggregateDelta[]): Promise<void> {
    const now = this.clock.now();
    for (let i = 0; i < deltas.length; i += ADD_BATCH) {
      const args: (string | number)[] = [this.keyspace.prefix];
      for (const delta of deltas.slice(i, i + ADD_BATCH)) {
        const ttl = delta.expiresAtMs === undefined ? 0 : Math.max(1000, delta.expiresAtMs - now);
        args.push(delta.period, delta.scope, ttl, ...USAGE_TOTAL_FIELDS.map((field) => Math.round(delta.totals[field])));
      }
      await ADD.run(this.redis, [], args);
    }
  }

  async get(scope: string, periods: readonly string[]): Promise<Map<string, UsageTotals>> {
    const out = new Map<string, UsageTotals>();
    if (!periods.length) return out;
    const pipeline = this.redis.pipeline();
    for (const period of periods) pipeline.hmget(this.key(period, scope), ...USAGE_TOTAL_FIELDS);
    const replies = (await pipeline.exec()) ?? [];
    periods.forEach((period, i) => {
      const [error, values] = replies[i] ?? [];
      if (error) throw error;
      const list = values as (string | null)[];
      if (list.every((value) => value === null)) return;
      const totals = {} as UsageTotals;
      USAGE_TOTAL_FIELDS.forEach((field, f) => (totals[field] = Number(list[f] ?? 0)));
      out.set(period, totals);
    });
    return out;
  }

  async scopes(period: string, prefix = ''): Promise<string[]> {
    const members = await this.redis.smembers(`${this.keyspace.prefix}agg-index:${period}`);
    return members.filter((scope) => scope.startsWith(prefix)).sort();
  }

  async scopeRanks(prefix: string, periods: readonly string[]): Promise<Map<string, ScopeRank>> {
    const out = new Map<string, ScopeRank>();
    if (!periods.length) return out;
    const kind = RANKED_SCOPE_KINDS.find((candidate) => prefix.startsWith(`${candidate}:`));
    if (kind && !periods.includes('all')) {
      // Each measure is one union of the periods' sorted sets, summed by Redis.
      const union = (measure: string) => {
        const keys = periods.map((period) => `${this.rankKey(period, kind)}:${measure}`);
        return this.redis.zunion(keys.length, ...keys, 'WITHSCORES');
      };
      const [costs, requests] = await Promise.all([union('cost'), union('requests')]);
      for (let i = 0; i < costs.length; i += 2)
        if (costs[i]!.startsWith(prefix)) out.set(costs[i]!, { costMicros: Number(costs[i + 1]), requests: 0 });
      for (let i = 0; i < requests.length; i += 2) {
        const rank = out.get(requests[i]!);
        if (rank) rank.requests = Number(requests[i + 1]);
      }
      return out;
    }
    // Other prefixes (a key's models): the scopes of the periods' months, then their rows.
    const months = [...new Set(periods.map((period) => (period === 'all' ? period : `m:${period.slice(2, 9)}`)))];
    const scopes = new Set<string>();
    for (const month of months) for (const scope of await this.scopes(month, prefix)) scopes.add(scope);
    for (const [scope, totals] of await this.sumScopes([...scopes], periods))
      out.set(scope, { costMicros: totals.costMicros, requests: totals.requests });
    return out;
  }

  async sumScopes(scopes: readonly string[], periods: readonly string[]): Promise<Map<string, UsageTotals>> {
    const out = new Map<string, UsageTotals>();
    if (!scopes.length || !periods.length) return out;
    const pipeline = this.redis.pipeline();
    for (const scope of scopes) for (const period of periods) pipeline.hmget(this.key(period, scope), ...USAGE_TOTAL_FIELDS);
    const replies = (await pipeline.exec()) ?? [];
    scopes.forEach((scope, s) => {
      let totals: UsageTotals | undefined;
      for (let p = 0; p < periods.length; p++) {
        const [error, values] = replies[s * periods.length + p] ?? [];
        if (error) throw error;
        const list = values as (string | null)[];
        if (list.every((value) => value === null)) continue;
        totals ??= emptyTotals();
        USAGE_TOTAL_FIELDS.forEach((field, f) => (totals![field] += Number(list[f] ?? 0)));
      }
      if (totals) out.set(scope, totals);
    });
    return out;
  }

  async purgeExpired(): Promise<number> {
    // Every row but the lifetime ones has a TTL: Redis expires them itself.
    return 0;
  }

  private rankKey(period: string, kind: string): string {
    return `${this.keyspace.prefix}agg-rank:${period}:${kind}`;
  }

  private key(period: string, scope: string): string {
    return `${this.keyspace.prefix}agg:${period}:${scope}`;
  }
}
