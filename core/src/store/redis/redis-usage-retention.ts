/** Retention of the request log (usage records) in Redis. */
import type { Redis } from 'ioredis';
import type { UsageRetentionRepository } from '../types.js';
import type { RedisKeyspace } from './redis-keyspace.js';
import { RedisScript } from './redis-script.js';
import { LUA_DROP_RECORDS } from './redis-usage.js';

/** Records removed per script call, and calls per purge at most (bounded loop). */
const CHUNK = 500;
const MAX_CALLS = 400;

// KEYS: usage zset, records hash. ARGV: by-key prefix, cutoff (exclusive), chunk size.
// Removes up to `chunk` records older than the cutoff from all three structures.
const PURGE = new RedisScript(`${LUA_DROP_RECORDS}
local old = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
drop_records(KEYS[1], KEYS[2], ARGV[1], old)
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
        await PURGE.run(
          this.redis,
          [this.keyspace.usage(), this.keyspace.usageRecords()],
          [this.keyspace.usageByKeyPrefix(), beforeMs, CHUNK],
        ),
      );
      total += removed;
      if (removed < CHUNK) break;
    }
    return total;
  }
}
