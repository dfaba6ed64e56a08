/** Retention of the request log (usage records) in Redis. */
import type { Redis } from 'ioredis';
import type { UsageRetentionRepository } from '../types.js';
import type { RedisKeyspace } from './redis-keyspace.js';
import { RedisScript } from './redis-script.js';

/** Records removed per script call, and calls per purge at most (bounded loop). */
const CHUNK = 500;
const MAX_CALLS = 400;

// KEYS: usage zset, records hash. ARGV: by-key prefix, cutoff (exclusive), chunk size.
// Removes up to `chunk` records older than the cutoff from all three structures.
const PURGE = new RedisScript(`
local old = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
if #old == 0 then return 0 end
for _, id in ipairs(old) do
  local json = redis.call('HGET', KEYS[2], id)
  if json then
    local ok, record = pcall(cjson.decode, json)
    if ok and type(record) == 'table' and type(record.keyId) == 'string' then
      redis.call('ZREM', ARGV[1] .. record.keyId, id)
    end
  end
end
redis.call('HDEL', KEYS[2], unpack(old))
redis.call('ZREM', KEYS[1], unpack(old))
return #old
`);

/**
 * {@link UsageRetentionRepository} for the redis store: deletes records older than the
 * cutoff from `{p}usage`, `{p}usage:records` and the per-key indexes, in chunks. (The
 * store also caps the log at its `usageMaxRecords` on every append.)
 */
export class RedisUsageRetention implements UsageRetentionRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keyspace: RedisKeyspace,
  ) {}

  async purgeBefore(beforeMs: number): Promise<number> {
    let total = 0;
    for (let i = 0; i < MAX_CALLS; i++) {
      const removed = Number(
        await PURGE.run(this.redis, [this.keyspace.usage(), this.keyspace.usageRecords()], [this.keyspace.usageByKeyPrefix(), beforeMs, CHUNK]),
      );
      total += removed;
      if (removed < CHUNK) break;
    }
    return total;
  }
}
