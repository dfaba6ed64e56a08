/** Usage aggregates in Redis: one hash per (period, scope), expiring by itself. */
import type { Redis } from 'ioredis';
import { systemClock, type Clock } from '../../time/clock.js';
import type { UsageAggregateDelta, UsageAggregateRepository, UsageTotals } from '../types.js';
import { USAGE_TOTAL_FIELDS } from '../usage-totals.js';
import type { RedisKeyspace } from './redis-keyspace.js';
import { RedisScript } from './redis-script.js';

/** Deltas sent per script call. */
const ADD_BATCH = 200;

// ARGV: prefix, then per delta: period, scope, ttlMs (0 = none), then one value per field
// (field names are in the script, in USAGE_TOTAL_FIELDS order). HINCRBY per non-zero
// value; the row and the period's scope index get the row's expiry.
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
  if ttl > 0 then
    redis.call('PEXPIRE', key, ttl)
    redis.call('PEXPIRE', index, ttl)
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

  async purgeExpired(): Promise<number> {
    // Every row but the lifetime ones has a TTL: Redis expires them itself.
    return 0;
  }

  private key(period: string, scope: string): string {
    return `${this.keyspace.prefix}agg:${period}:${scope}`;
  }
}
