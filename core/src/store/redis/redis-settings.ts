/** Runtime settings in Redis. */
import type { Redis } from 'ioredis';
import type { SettingsRepository } from '../types.js';
import { decodeJson, encodeJson } from '../records.js';
import type { RedisKeyspace } from './redis-keyspace.js';

/** {@link SettingsRepository} over the `{p}settings` hash (name → JSON); setting `undefined` removes a setting. */
export class RedisSettings implements SettingsRepository {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    keyspace: RedisKeyspace,
  ) {
    this.key = keyspace.settings();
  }

  async get<T = unknown>(name: string): Promise<T | undefined> {
    const json = await this.redis.hget(this.key, name);
    return json === null ? undefined : decodeJson<T>(json);
  }

  async set(name: string, value: unknown): Promise<void> {
    if (value === undefined) await this.redis.hdel(this.key, name);
    else await this.redis.hset(this.key, name, encodeJson(value));
  }

  async all(): Promise<Record<string, unknown>> {
    const raw = await this.redis.hgetall(this.key);
    const out: Record<string, unknown> = {};
    for (const name of Object.keys(raw).sort()) out[name] = decodeJson(raw[name]!);
    return out;
  }
}
