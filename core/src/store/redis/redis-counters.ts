/** Expiring integer counters in Redis. */
import type { Redis } from 'ioredis';
import type { CounterRepository } from '../types.js';
import { assertInteger, assertTtlMs } from '../records.js';
import type { RedisKeyspace } from './redis-keyspace.js';
import { RedisScript } from './redis-script.js';

// KEYS: counter. ARGV: by, ttlMs. The expiry is set when the key has none (i.e. is new).
const INCR = new RedisScript(`
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value
`);

/** {@link CounterRepository} over `{p}counter:<key>` strings; a counter expires `ttlMs` after its creation. */
export class RedisCounters implements CounterRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keyspace: RedisKeyspace,
  ) {}

  async incr(key: string, by: number, ttlMs: number): Promise<number> {
    assertInteger('counter increment', by);
    assertTtlMs(ttlMs);
    return Number(await INCR.run(this.redis, [this.keyspace.counter(key)], [by, ttlMs]));
  }

  async get(key: string): Promise<number> {
    const value = await this.redis.get(this.keyspace.counter(key));
    return value === null ? 0 : Number(value);
  }
}
