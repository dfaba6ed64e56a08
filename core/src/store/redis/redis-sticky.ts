/** Sticky-session bindings in Redis. */
import type { Redis } from 'ioredis';
import type { StickyRepository } from '../types.js';
import { assertTtlMs } from '../records.js';
import type { RedisKeyspace } from './redis-keyspace.js';

/** {@link StickyRepository} over `{p}sticky:<key>` strings set with PX; each `set` restarts the TTL. */
export class RedisSticky implements StickyRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keyspace: RedisKeyspace,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.keyspace.sticky(key))) ?? undefined;
  }

  async set(key: string, accountId: string, ttlMs: number): Promise<void> {
    assertTtlMs(ttlMs);
    await this.redis.set(this.keyspace.sticky(key), accountId, 'PX', ttlMs);
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.keyspace.sticky(key));
  }
}
