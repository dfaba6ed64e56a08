/** Plugin key/value storage in Redis. */
import type { Redis } from 'ioredis';
import type { PluginKvRepository } from '../types.js';
import { assertTtlMs, decodeJson, encodeJson } from '../records.js';
import type { RedisKeyspace } from './redis-keyspace.js';

/**
 * {@link PluginKvRepository} over string keys `{p}kv:<namespace>:<key>` holding JSON;
 * a TTL becomes the key's PX expiry, and a write without one makes the entry permanent.
 */
export class RedisPluginKv implements PluginKvRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keyspace: RedisKeyspace,
  ) {}

  async get<T = unknown>(namespace: string, key: string): Promise<T | undefined> {
    const json = await this.redis.get(this.keyspace.pluginKv(namespace, key));
    return json === null ? undefined : decodeJson<T>(json);
  }

  async set(namespace: string, key: string, value: unknown, ttlMs?: number): Promise<void> {
    const redisKey = this.keyspace.pluginKv(namespace, key);
    if (value === undefined) {
      await this.redis.del(redisKey);
      return;
    }
    if (ttlMs === undefined) {
      await this.redis.set(redisKey, encodeJson(value));
    } else {
      assertTtlMs(ttlMs);
      await this.redis.set(redisKey, encodeJson(value), 'PX', ttlMs);
    }
  }

  async delete(namespace: string, key: string): Promise<void> {
    await this.redis.del(this.keyspace.pluginKv(namespace, key));
  }
}
