/** The account check history in Redis. */
import type { Redis } from 'ioredis';
import { MAX_ACCOUNT_CHECKS, type AccountCheckEntry, type AccountCheckRepository } from '../types.js';
import { checkListLimit, decodeJson, encodeJson } from '../records.js';
import type { RedisKeyspace } from './redis-keyspace.js';

/**
 * {@link AccountCheckRepository} in Redis: `{p}account-checks:<id>` is a list of JSON
 * entries, newest first, pushed and trimmed to {@link MAX_ACCOUNT_CHECKS} in one
 * transaction. Durable (no TTL): bounded by the trim, deleted with the account.
 */
export class RedisAccountChecks implements AccountCheckRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keyspace: RedisKeyspace,
  ) {}

  async append(accountId: string, entry: AccountCheckEntry): Promise<void> {
    const key = this.keyspace.accountChecks(accountId);
    const replies = await this.redis
      .multi()
      .lpush(key, encodeJson(entry))
      .ltrim(key, 0, MAX_ACCOUNT_CHECKS - 1)
      .exec();
    for (const [error] of replies ?? []) if (error) throw error;
  }

  async list(accountId: string, limit = MAX_ACCOUNT_CHECKS): Promise<AccountCheckEntry[]> {
    const entries = await this.redis.lrange(this.keyspace.accountChecks(accountId), 0, checkListLimit(limit) - 1);
    return entries.map((json) => decodeJson<AccountCheckEntry>(json));
  }

  async latest(ids: readonly string[]): Promise<Map<string, AccountCheckEntry>> {
    const out = new Map<string, AccountCheckEntry>();
    if (ids.length === 0) return out;
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.lindex(this.keyspace.accountChecks(id), 0);
    const replies = (await pipeline.exec()) ?? [];
    ids.forEach((id, i) => {
      const [error, json] = replies[i] ?? [];
      if (error) throw error;
      if (typeof json === 'string') out.set(id, decodeJson<AccountCheckEntry>(json));
    });
    return out;
  }

  async delete(accountId: string): Promise<void> {
    await this.redis.del(this.keyspace.accountChecks(accountId));
  }
}
