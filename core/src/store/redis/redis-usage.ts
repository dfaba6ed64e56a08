/** Usage records in Redis, bounded to the newest N. */
import type { Redis } from 'ioredis';
import type { UsageRecord } from '@switchyard/plugin-api';
import type { UsageQuery, UsageRepository } from '../types.js';
import { DEFAULT_USAGE_LIMIT, decodeJson, encodeJson, queryTimeMs, usageTimeMs } from '../records.js';
import type { RedisKeyspace } from './redis-keyspace.js';
import { RedisScript } from './redis-script.js';
import { needsScan, scanUsage } from './redis-usage-scan.js';

/** How many usage records the redis store keeps by default (the oldest are trimmed). */
export const DEFAULT_REDIS_USAGE_MAX_RECORDS = 100_000;

/**
 * Lua: removes usage records (their ids) from the time index, the records hash and the
 * per-key indexes. Shared by trimming on append and by retention.
 */
export const LUA_DROP_RECORDS = `
local function drop_records(zset, records, by_key_prefix, ids)
  if #ids == 0 then return end
  for _, id in ipairs(ids) do
    local json = redis.call('HGET', records, id)
    if json then
      local ok, record = pcall(cjson.decode, json)
      if ok and type(record) == 'table' and type(record.keyId) == 'string' then
        redis.call('ZREM', by_key_prefix .. record.keyId, id)
      end
    end
  end
  redis.call('HDEL', records, unpack(ids))
  redis.call('ZREM', zset, unpack(ids))
end
`;

/** Records sent to Redis per append script call. */
const APPEND_BATCH = 500;

// KEYS: usage zset, records hash. ARGV: by-key prefix, max records, then (id, atMs, keyId, json)*.
// Adds new ids (existing ids are left alone), then trims the oldest beyond the bound
// from the zset, the records hash and the per-key zsets.
const APPEND = new RedisScript(`${LUA_DROP_RECORDS}
local added = 0
for i = 3, #ARGV, 4 do
  local id = ARGV[i]
  if redis.call('HSETNX', KEYS[2], id, ARGV[i + 3]) == 1 then
    redis.call('ZADD', KEYS[1], ARGV[i + 1], id)
    redis.call('ZADD', ARGV[1] .. ARGV[i + 2], ARGV[i + 1], id)
    added = added + 1
  end
end
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[2])
while excess > 0 do
  local n = math.min(excess, 500)
  drop_records(KEYS[1], KEYS[2], ARGV[1], redis.call('ZRANGE', KEYS[1], 0, n - 1))
  excess = excess - n
end
return added
`);

// KEYS: index zset, records hash. ARGV: min score, max score, limit. Newest first.
const LIST = new RedisScript(`
local ids = redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[2], ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for i = 1, #ids, 500 do
  local chunk = {}
  for j = i, math.min(i + 499, #ids) do chunk[#chunk + 1] = ids[j] end
  local values = redis.call('HMGET', KEYS[2], unpack(chunk))
  for j = 1, #chunk do
    if values[j] then out[#out + 1] = values[j] end
  end
end
return out
`);

// KEYS: records hash. ARGV: ids. The ids that are stored.
const STORED = new RedisScript(`
local out = {}
for i = 1, #ARGV do
  if redis.call('HEXISTS', KEYS[1], ARGV[i]) == 1 then out[#out + 1] = ARGV[i] end
end
return out
`);

/**
 * {@link UsageRepository} in Redis: `{p}usage` is a sorted set of record ids scored by
 * time (epoch ms), `{p}usage:records` holds the JSON, and `{p}usage:by-key:<keyId>`
 * indexes each key's records. Storage is bounded: each append trims the oldest records
 * beyond `maxRecords` (default {@link DEFAULT_REDIS_USAGE_MAX_RECORDS}) from all three,
 * in the same script. Long-term totals belong in the usage module's rollups, not here.
 * Appending a record whose id is already stored is a no-op.
 */
export class RedisUsage implements UsageRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keyspace: RedisKeyspace,
    private readonly maxRecords: number = DEFAULT_REDIS_USAGE_MAX_RECORDS,
  ) {}

  async append(records: readonly UsageRecord[]): Promise<void> {
    const rows = records.map((r) => [r.id, usageTimeMs(r), r.keyId, encodeJson(r)] as const);
    for (let i = 0; i < rows.length; i += APPEND_BATCH) {
      const args: (string | number)[] = [this.keyspace.usageByKeyPrefix(), this.maxRecords];
      for (const row of rows.slice(i, i + APPEND_BATCH)) args.push(...row);
      await APPEND.run(this.redis, [this.keyspace.usage(), this.keyspace.usageRecords()], args);
    }
  }

  async storedIds(ids: readonly string[]): Promise<Set<string>> {
    const stored = new Set<string>();
    for (let i = 0; i < ids.length; i += APPEND_BATCH) {
      const found = (await STORED.run(this.redis, [this.keyspace.usageRecords()], ids.slice(i, i + APPEND_BATCH))) as string[];
      for (const id of found) stored.add(id);
    }
    return stored;
  }

  async list(query: UsageQuery = {}): Promise<UsageRecord[]> {
    const limit = Math.floor(query.limit ?? DEFAULT_USAGE_LIMIT);
    if (limit <= 0) return [];
    const { min, max } = scoreRange(query);
    if (needsScan(query)) {
      const { records } = await scanUsage(
        this.redis,
        [this.index(query), this.keyspace.usageRecords()],
        { min, max },
        query,
        limit,
      );
      return records.map((json) => decodeJson<UsageRecord>(json));
    }
    const rows = (await LIST.run(this.redis, [this.index(query), this.keyspace.usageRecords()], [min, max, limit])) as string[];
    return rows.map((json) => decodeJson<UsageRecord>(json));
  }

  async count(query: Omit<UsageQuery, 'limit'> = {}): Promise<number> {
    const { min, max } = scoreRange(query);
    if (needsScan(query))
      return (await scanUsage(this.redis, [this.index(query), this.keyspace.usageRecords()], { min, max }, query, undefined))
        .matched;
    return this.redis.zcount(this.index(query), min, max);
  }

  private index(query: Omit<UsageQuery, 'limit'>): string {
    return query.keyId === undefined ? this.keyspace.usage() : this.keyspace.usageByKey(query.keyId);
  }
}

/** Sorted-set score bounds of a query: `since` inclusive, `until` exclusive. */
function scoreRange(query: Omit<UsageQuery, 'limit'>): { min: string; max: string } {
  const since = queryTimeMs('since', query.since);
  const until = queryTimeMs('until', query.until);
  return { min: since === undefined ? '-inf' : String(since), max: until === undefined ? '+inf' : `(${until}` };
}
