/**
 * Writes a dump of Redis keys (hashes, strings, sets) into one database of a test Redis,
 * after emptying that database: for fixtures shaped like another program's data.
 */
import { Redis } from 'ioredis';

/** One key of a dump. */
export type RedisDumpEntry =
  | { key: string; type: 'hash'; value: Record<string, string> }
  | { key: string; type: 'string'; value: string }
  | { key: string; type: 'set'; value: string[] };

/**
 * Empties the database `url` names (give a test-only database number, e.g. `/11`) and
 * writes `entries` into it.
 */
export async function loadRedisDump(url: string, entries: readonly RedisDumpEntry[]): Promise<void> {
  const db = Number(new URL(url).pathname.slice(1));
  if (!Number.isInteger(db) || db < 1) throw new Error(`loadRedisDump empties its database: give one other than 0 (got ${url})`);
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    // Fails for a database the server does not have (ioredis would only emit an error and stay on 0).
    await redis.select(db);
    await redis.flushdb();
    const pipeline = redis.pipeline();
    for (const entry of entries) {
      if (entry.type === 'hash') pipeline.hset(entry.key, entry.value);
      else if (entry.type === 'string') pipeline.set(entry.key, entry.value);
      else if (entry.value.length > 0) pipeline.sadd(entry.key, ...entry.value);
    }
    await pipeline.exec();
  } finally {
    redis.disconnect();
  }
}
