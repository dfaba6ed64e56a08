/** Factory of the redis store: every repository in one Redis, shared by any number of instances. */
import type { Redis } from 'ioredis';
import type { Logger } from '@switchyard/plugin-api';
import type { Store } from '../types.js';
import { RedisAccountState } from './redis-account-state.js';
import { RedisAccounts } from './redis-accounts.js';
import { RedisCards } from './redis-cards.js';
import { RedisUsers } from './redis-users.js';
import { connectRedis, redactRedisUrl } from './redis-connect.js';
import { RedisCounters } from './redis-counters.js';
import { RedisGroups } from './redis-groups.js';
import { RedisKeys } from './redis-keys.js';
import { DEFAULT_REDIS_PREFIX, RedisKeyspace } from './redis-keyspace.js';
import { RedisLeases } from './redis-leases.js';
import { migrateRedis, readRedisSchemaVersion } from './redis-migrations.js';
import { RedisPluginKv } from './redis-plugin-kv.js';
import { RedisSettings } from './redis-settings.js';
import { RedisSticky } from './redis-sticky.js';
import { DEFAULT_REDIS_USAGE_MAX_RECORDS, RedisUsage } from './redis-usage.js';
import { RedisUsageAggregates } from './redis-usage-aggregates.js';
import { RedisUsageRetention } from './redis-usage-retention.js';
import { RedisPriceBooks } from './redis-price-books.js';
import { RedisMeters } from './redis-meters.js';
import { RedisLeaseQueue } from './redis-lease-queue.js';
import { RedisAccountChecks } from './redis-account-checks.js';
import { systemClock, type Clock } from '../../time/clock.js';

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://`). */
  readonly url: string;
  /** Prefix of every key; default `switchyard:`. */
  readonly prefix?: string;
  /** Usage records kept (oldest trimmed); default 100 000. */
  readonly usageMaxRecords?: number;
  /** How long the first connection may take; default 5000 ms. */
  readonly connectTimeoutMs?: number;
  /**
   * Longest a command may wait for its reply before the connection counts as hung: its
   * commands then fail (the requests get 503) and the client reconnects; default 3000 ms.
   */
  readonly replyTimeoutMs?: number;
  /** Where the warning about a hung connection goes. */
  readonly log?: Logger;
  /**
   * What cooldown and error timestamps are compared with (default the system clock).
   * TTLs, leases and sliding windows stay on the Redis server's clock.
   */
  readonly clock?: Clock;
}

/**
 * Connects to Redis, migrates the keyspace under `prefix` and returns the store. Fails
 * with an error naming the URL (without its password) when Redis is unreachable.
 *
 * @example
 * ```ts
 * const store = await createRedisStore({ url: 'redis://127.0.0.1:6379', prefix: 'sy:' });
 * await store.leases.acquire('account:a1', 'req-1', 4, 60_000);
 * await store.close();
 * ```
 * @throws StoreSchemaError when the data under the prefix was written by a newer Switchyard.
 */
export async function createRedisStore(options: RedisStoreOptions): Promise<Store> {
  const usageMaxRecords = options.usageMaxRecords ?? DEFAULT_REDIS_USAGE_MAX_RECORDS;
  if (!Number.isSafeInteger(usageMaxRecords) || usageMaxRecords < 1) {
    throw new RangeError(`redis store: usageMaxRecords must be a positive integer, got ${usageMaxRecords}`);
  }
  const redis = await connectRedis(options.url, {
    ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
    ...(options.replyTimeoutMs === undefined ? {} : { replyTimeoutMs: options.replyTimeoutMs }),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  const keyspace = new RedisKeyspace(options.prefix ?? DEFAULT_REDIS_PREFIX);
  try {
    await migrateRedis({ redis, keyspace }, `redis store (${redactRedisUrl(options.url)}, prefix "${keyspace.prefix}")`);
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  return new RedisStore(redis, keyspace, usageMaxRecords, options.clock ?? systemClock);
}

class RedisStore implements Store {
  readonly kind = 'redis' as const;
  readonly keys: RedisKeys;
  readonly accounts: RedisAccounts;
  readonly groups: RedisGroups;
  readonly users: RedisUsers;
  readonly usage: RedisUsage;
  readonly leases: RedisLeases;
  readonly counters: RedisCounters;
  readonly sticky: RedisSticky;
  readonly accountState: RedisAccountState;
  readonly settings: RedisSettings;
  readonly pluginKv: RedisPluginKv;
  readonly usageAggregates: RedisUsageAggregates;
  readonly usageRetention: RedisUsageRetention;
  readonly priceBooks: RedisPriceBooks;
  readonly meters: RedisMeters;
  readonly leaseQueues: RedisLeaseQueue;
  readonly cards: RedisCards;
  readonly accountChecks: RedisAccountChecks;
  private closed = false;

  constructor(
    private readonly redis: Redis,
    private readonly keyspace: RedisKeyspace,
    usageMaxRecords: number,
    clock: Clock,
  ) {
    this.keys = new RedisKeys(redis, keyspace);
    this.accounts = new RedisAccounts(redis, keyspace);
    this.groups = new RedisGroups(redis, keyspace);
    this.users = new RedisUsers(redis, keyspace);
    this.usage = new RedisUsage(redis, keyspace, usageMaxRecords);
    this.leases = new RedisLeases(redis, keyspace);
    this.counters = new RedisCounters(redis, keyspace);
    this.sticky = new RedisSticky(redis, keyspace);
    this.accountState = new RedisAccountState(redis, keyspace, clock);
    this.settings = new RedisSettings(redis, keyspace);
    this.pluginKv = new RedisPluginKv(redis, keyspace);
    this.usageAggregates = new RedisUsageAggregates(redis, keyspace, clock);
    this.usageRetention = new RedisUsageRetention(redis, keyspace);
    this.priceBooks = new RedisPriceBooks(redis, keyspace);
    this.meters = new RedisMeters(redis, keyspace);
    this.leaseQueues = new RedisLeaseQueue(redis, keyspace);
    this.cards = new RedisCards(redis, keyspace);
    this.accountChecks = new RedisAccountChecks(redis, keyspace);
  }

  async schemaVersion(): Promise<number> {
    return readRedisSchemaVersion(this.redis, this.keyspace);
  }

  async ping(): Promise<void> {
    const reply = await this.redis.ping();
    if (reply !== 'PONG') throw new Error(`redis store: unexpected PING reply ${reply}`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }
}
