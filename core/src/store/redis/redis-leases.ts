/** Concurrency leases in Redis: one sorted set per scope, holder → expiry (server clock). */
import type { Redis } from 'ioredis';
import type { LeaseRepository } from '../types.js';
import { assertInteger, assertTtlMs } from '../records.js';
import type { RedisKeyspace } from './redis-keyspace.js';
import { LUA_NOW_MS, RedisScript } from './redis-script.js';

// Shared Lua: drop expired members, and keep the zset's own TTL at its latest expiry so
// an abandoned scope disappears entirely. acquire(): 1 = acquired (or refreshed), 0 = full;
// the holder's own lease is looked up only when the scope is full, and an empty scope
// (Redis deletes an emptied set) takes the new lease's TTL without reading the latest:
// five commands instead of seven on the usual path (issue 22).
export const LUA_LEASE_HELPERS = `${LUA_NOW_MS}
local function ms(n) return string.format('%.0f', n) end
local function purge(key, now) redis.call('ZREMRANGEBYSCORE', key, '-inf', ms(now)) end
local function expire_at_latest(key, now)
  local top = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  if top[2] then redis.call('PEXPIRE', key, ms(math.max(1, tonumber(top[2]) - now))) end
end
local function acquire(key, holder, limit, ttl, now)
  purge(key, now)
  local held = redis.call('ZCARD', key)
  if held >= tonumber(limit) and not redis.call('ZSCORE', key, holder) then return 0 end
  redis.call('ZADD', key, ms(now + tonumber(ttl)), holder)
  if held == 0 then redis.call('PEXPIRE', key, ttl) else expire_at_latest(key, now) end
  return 1
end
`;

// KEYS: scope zset. ARGV: holder, limit, ttlMs. 1 = acquired (or refreshed), 0 = full.
const ACQUIRE = new RedisScript(`${LUA_LEASE_HELPERS}
return acquire(KEYS[1], ARGV[1], ARGV[2], ARGV[3], now_ms())
`);

// KEYS: scope zset. ARGV: holder, ttlMs. 1 = renewed, 0 = not held (expired or never taken).
const RENEW = new RedisScript(`${LUA_LEASE_HELPERS}
local now = now_ms()
purge(KEYS[1], now)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], 'XX', ms(now + tonumber(ARGV[2])), ARGV[1])
expire_at_latest(KEYS[1], now)
return 1
`);

// KEYS: scope zset. Live leases.
const COUNT = new RedisScript(`${LUA_LEASE_HELPERS}
purge(KEYS[1], now_ms())
return redis.call('ZCARD', KEYS[1])
`);

/**
 * {@link LeaseRepository} over `{p}lease:<scope>` sorted sets (member = holder,
 * score = expiry in Redis server epoch ms). Every operation is one Lua script using the
 * server clock, so instances with skewed clocks agree; the set carries a TTL equal to
 * its latest lease, so a crashed holder's slot (and an idle scope) vanish on their own.
 * Acquiring a lease the holder already has refreshes it and succeeds, whatever the limit.
 */
export class RedisLeases implements LeaseRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keyspace: RedisKeyspace,
  ) {}

  async acquire(scope: string, holder: string, limit: number, ttlMs: number): Promise<boolean> {
    assertInteger('lease limit', limit, 0);
    assertTtlMs(ttlMs);
    return (await ACQUIRE.run(this.redis, [this.keyspace.lease(scope)], [holder, limit, ttlMs])) === 1;
  }

  async renew(scope: string, holder: string, ttlMs: number): Promise<boolean> {
    assertTtlMs(ttlMs);
    return (await RENEW.run(this.redis, [this.keyspace.lease(scope)], [holder, ttlMs])) === 1;
  }

  async release(scope: string, holder: string): Promise<void> {
    await this.redis.zrem(this.keyspace.lease(scope), holder);
  }

  async count(scope: string): Promise<number> {
    return Number(await COUNT.run(this.redis, [this.keyspace.lease(scope)]));
  }
}
