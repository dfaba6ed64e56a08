/** Connecting to Redis with a bounded wait and an error message that is safe to log. */
import { Redis } from 'ioredis';

/** Options of {@link connectRedis}. */
export interface RedisConnectOptions {
  /** How long the first connection may take; default 5000 ms. */
  readonly connectTimeoutMs?: number;
}

/**
 * Opens a connection and waits until it is ready. The first attempt is not retried, so
 * an unreachable server fails fast with an error naming the URL (password removed);
 * once connected, the client reconnects with backoff and fails commands after a couple
 * of retries instead of queueing them forever.
 *
 * @example
 * ```ts
 * const redis = await connectRedis('redis://127.0.0.1:6379');
 * ```
 */
export async function connectRedis(url: string, options: RedisConnectOptions = {}): Promise<Redis> {
  let ready = false;
  let lastError: Error | undefined;
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    maxRetriesPerRequest: 2,
    retryStrategy: (attempt) => (ready ? Math.min(attempt * 200, 2000) : null),
  });
  // Without a listener ioredis prints every connection error; callers see them through
  // failing commands and `ping()` instead.
  redis.on('error', (err: Error) => {
    lastError = err;
  });
  try {
    await redis.connect();
    ready = true;
    return redis;
  } catch (err) {
    redis.disconnect();
    const reason = lastError?.message ?? (err instanceof Error ? err.message : String(err));
    throw new Error(`Cannot connect to Redis at ${redactRedisUrl(url)}: ${reason}`, { cause: lastError ?? err });
  }
}

/** The URL with its password removed, for messages and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '';
    return parsed.toString().replace(/\/\/:@/, '//');
  } catch {
    return '(unparseable redis URL)';
  }
}
