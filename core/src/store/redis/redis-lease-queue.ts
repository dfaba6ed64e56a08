/** A fair waiting line in front of Redis leases, shared by every instance. */
import type { Redis } from 'ioredis';
import type { LeaseQueueRepository } from '../types.js';
import { assertInteger, assertTtlMs } from '../records.js';
import type { RedisKeyspace } from './redis-keyspace.js';
import { LUA_NOW_MS, RedisScript } from './redis-script.js';

// KEYS: lease zset, line zset (holder → arrival number), expiry zset (holder → expiry), arrival counter.
const LUA_QUEUE = `${LUA_NOW_MS}
local function ms(n) return string.format('%.0f', n) end
local function expire_at_latest(key, now)
  local top = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  if top[2] then redis.call('PEXPIRE', key, ms(math.max(1, tonumber(top[2]) - now))) end
end
local function purge(now)
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ms(now))
  local gone = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ms(now))
  for _, holder in ipairs(gone) do redis.call('ZREM', KEYS[2], holder) end
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ms(now))
end
local function keep_line(ttl)
  redis.call('PEXPIRE', KEYS[2], ttl * 2)
  redis.call('PEXPIRE', KEYS[3], ttl * 2)
  redis.call('PEXPIRE', KEYS[4], ttl * 2)
end
local function take(holder, now, ttl)
  redis.call('ZADD', KEYS[1], ms(now + ttl), holder)
  expire_at_latest(KEYS[1], now)
end
`;

// ARGV: holder, limit, maxWaiting, ttlMs. 1 acquired, 2 queued, 0 full.
const ENTER = new RedisScript(`${LUA_QUEUE}
local now = now_ms()
local holder, limit, max, ttl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
purge(now)
if redis.call('ZSCORE', KEYS[1], holder) then take(holder, now, ttl) return 1 end
local waiting = redis.call('ZCARD', KEYS[2])
if waiting == 0 and redis.call('ZCARD', KEYS[1]) < limit then take(holder, now, ttl) return 1 end
if waiting >= max then return 0 end
redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[4]), holder)
redis.call('ZADD', KEYS[3], ms(now + ttl), holder)
keep_line(ttl)
return 2
`);

// ARGV: holder, limit, ttlMs. 1 acquired, 2 waiting, 0 lost.
const POLL = new RedisScript(`${LUA_QUEUE}
local now = now_ms()
local holder, limit, ttl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
purge(now)
local rank = redis.call('ZRANK', KEYS[2], holder)
if not rank then
  if redis.call('ZSCORE', KEYS[1], holder) then return 1 end
  return 0
end
if rank < limit - redis.call('ZCARD', KEYS[1]) then
  redis.call('ZREM', KEYS[2], holder)
  redis.call('ZREM', KEYS[3], holder)
  take(holder, now, ttl)
  return 1
end
redis.call('ZADD', KEYS[3], ms(now + ttl), holder)
keep_line(ttl)
return 2
`);

// Live waiters.
const LENGTH = new RedisScript(`${LUA_QUEUE}
purge(now_ms())
return redis.call('ZCARD', KEYS[2])
`);

/**
 * {@link LeaseQueueRepository} over `{p}queue:<scope>` (holder → arrival number),
 * `{p}queue-exp:<scope>` (holder → expiry, server clock) and `{p}queue-seq:<scope>`,
 * granting leases in the same `{p}lease:<scope>` sorted set as the lease repository.
 * Every operation is one Lua script, so the line is fair across instances.
 */
export class RedisLeaseQueue implements LeaseQueueRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keyspace: RedisKeyspace,
  ) {}

  private keys(scope: string): string[] {
    const p = this.keyspace.prefix;
    return [this.keyspace.lease(scope), `${p}queue:${scope}`, `${p}queue-exp:${scope}`, `${p}queue-seq:${scope}`];
  }

  async enter(
    scope: string,
    holder: string,
    limit: number,
    maxWaiting: number,
    ttlMs: number,
  ): Promise<'acquired' | 'queued' | 'full'> {
    assertInteger('lease limit', limit, 0);
    assertInteger('queue size', maxWaiting, 0);
    assertTtlMs(ttlMs);
    const reply = Number(await ENTER.run(this.redis, this.keys(scope), [holder, limit, maxWaiting, ttlMs]));
    return reply === 1 ? 'acquired' : reply === 2 ? 'queued' : 'full';
  }

  async poll(scope: string, holder: string, limit: number, ttlMs: number): Promise<'acquired' | 'waiting' | 'lost'> {
    assertTtlMs(ttlMs);
    const reply = Number(await POLL.run(this.redis, this.keys(scope), [holder, limit, ttlMs]));
    return reply === 1 ? 'acquired' : reply === 2 ? 'waiting' : 'lost';
  }

  async leave(scope: string, holder: string): Promise<void> {
    const [, line, expiry] = this.keys(scope);
    await this.redis.multi().zrem(line!, holder).zrem(expiry!, holder).exec();
  }

  async length(scope: string): Promise<number> {
    return Number(await LENGTH.run(this.redis, this.keys(scope)));
  }
}
