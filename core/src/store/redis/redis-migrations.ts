/**
 * The redis store's schema versions and the runner that applies them at startup.
 *
 * To change how data is laid out in Redis, append a migration (`version: 2`, …) to
 * {@link REDIS_MIGRATIONS}; it runs once, under a lock, before the store is used, and
 * must be safe to re-run if the process dies half way (the version is bumped after it).
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { pendingMigrations, type Migration } from '../migrations.js';
import type { RedisKeyspace } from './redis-keyspace.js';
import { RedisScript } from './redis-script.js';
import { RANKED_SCOPE_KINDS } from './redis-usage-aggregates.js';

/** What a redis migration works on. */
export interface RedisMigrationContext {
  readonly redis: Redis;
  readonly keyspace: RedisKeyspace;
}

/** Every schema step of the redis keyspace, oldest first. */
export const REDIS_MIGRATIONS: readonly Migration<RedisMigrationContext>[] = [
  {
    version: 1,
    description: 'initial keyspace (hashes, sorted sets and strings are created on first write)',
    up() {},
  },
  {
    version: 2,
    description: 'usage aggregates (agg:*, agg-index:*) and price book versions (price-book:*), created on first write',
    up() {},
  },
  {
    version: 3,
    description: 'quota cards (cards, cards:by-hash, card-batches, card-redemptions*), created on first write',
    up() {},
  },
  {
    version: 4,
    description: 'admins become users with role admin ({p}admins copied into {p}users, then deleted)',
    async up({ redis, keyspace }) {
      const admins = await redis.hgetall(keyspace.legacyAdmins());
      for (const [username, json] of Object.entries(admins)) {
        const record = { ...(JSON.parse(json) as Record<string, unknown>), role: 'admin', source: 'local', enabled: true };
        // HSETNX: a re-run after a crash half way never overwrites a user already migrated (and maybe changed since).
        await redis.hsetnx(keyspace.users(), username, JSON.stringify(record));
      }
      await redis.del(keyspace.legacyAdmins());
    },
  },
  {
    version: 5,
    description: 'account check history (account-checks:<id> lists), created on first write',
    up() {},
  },
  {
    version: 6,
    description:
      "the request log's filters scan the usage records in place (no new keys; version kept in step with the embedded store)",
    up() {},
  },
  {
    version: 7,
    description:
      'usage summary rankings: agg-rank:<period>:<key|account|model>:<cost|requests> sorted sets, built from the existing aggregate rows',
    up: buildUsageRankings,
  },
];

/**
 * Builds the per-period cost rankings the aggregates script maintains from now on, for
 * the periods written before it did: each `agg-index:<period>` set's key, account and
 * model scopes, with their rows' cost and requests, expiring with the index. Rebuilt from the rows
 * (DEL, then ZADD), so a re-run after a crash half way gives the same sets.
 */
async function buildUsageRankings({ redis, keyspace }: RedisMigrationContext): Promise<void> {
  const indexPrefix = `${keyspace.prefix}agg-index:`;
  let cursor = '0';
  do {
    const [next, indexes] = await redis.scan(cursor, 'MATCH', `${indexPrefix}*`, 'COUNT', 1000);
    cursor = next;
    for (const index of indexes) {
      const period = index.slice(indexPrefix.length);
      if (period === 'all') continue;
      const [scopes, ttl] = await Promise.all([redis.smembers(index), redis.pttl(index)]);
      const ranked = scopes.filter((scope) => RANKED_SCOPE_KINDS.some((kind) => scope.startsWith(`${kind}:`)));
      const rows = ranked.length
        ? await redis
            .pipeline(ranked.map((scope) => ['hmget', `${keyspace.prefix}agg:${period}:${scope}`, 'costMicros', 'requests']))
            .exec()
        : [];
      const write = redis.multi();
      const rankKeys = RANKED_SCOPE_KINDS.flatMap((kind) =>
        ['cost', 'requests'].map((measure) => `${keyspace.prefix}agg-rank:${period}:${kind}:${measure}`),
      );
      for (const key of rankKeys) write.del(key);
      ranked.forEach((scope, i) => {
        const rank = `${keyspace.prefix}agg-rank:${period}:${scope.slice(0, scope.indexOf(':'))}`;
        const [cost, requests] = (rows?.[i]?.[1] ?? []) as (string | null)[];
        write.zincrby(`${rank}:cost`, Number(cost ?? 0), scope);
        write.zincrby(`${rank}:requests`, Number(requests ?? 0), scope);
      });
      if (ttl > 0) for (const key of rankKeys) write.pexpire(key, ttl);
      await write.exec();
    }
  } while (cursor !== '0');
}

const LOCK_TTL_MS = 60_000;
const LOCK_WAIT_MS = 30_000;

const RELEASE_LOCK = new RedisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/** The schema version stored under `{p}meta:schema_version` (0 when the prefix is new). */
export async function readRedisSchemaVersion(redis: Redis, keyspace: RedisKeyspace): Promise<number> {
  const raw = await redis.get(keyspace.schemaVersion());
  return raw === null ? 0 : Number(raw);
}

/**
 * Runs pending migrations (holding `{p}meta:migration-lock` so that instances starting
 * together migrate once) and returns the resulting version.
 *
 * @throws StoreSchemaError when the data was written by a newer Switchyard.
 */
export async function migrateRedis(
  context: RedisMigrationContext,
  label: string,
  migrations: readonly Migration<RedisMigrationContext>[] = REDIS_MIGRATIONS,
): Promise<number> {
  const { redis, keyspace } = context;
  const current = await readRedisSchemaVersion(redis, keyspace);
  if (pendingMigrations(label, current, migrations).length === 0) return current;

  const token = randomUUID();
  const deadline = Date.now() + LOCK_WAIT_MS;
  while ((await redis.set(keyspace.migrationLock(), token, 'PX', LOCK_TTL_MS, 'NX')) !== 'OK') {
    if (Date.now() > deadline) {
      throw new Error(
        `${label}: another instance has held the migration lock ${keyspace.migrationLock()} for over ${LOCK_WAIT_MS} ms`,
      );
    }
    await sleep(200);
  }
  try {
    // Re-read under the lock: another instance may have migrated meanwhile.
    for (const migration of pendingMigrations(label, await readRedisSchemaVersion(redis, keyspace), migrations)) {
      await migration.up(context);
      await redis.set(keyspace.schemaVersion(), String(migration.version));
    }
  } finally {
    await RELEASE_LOCK.run(redis, [keyspace.migrationLock()], [token]);
  }
  return readRedisSchemaVersion(redis, keyspace);
}
