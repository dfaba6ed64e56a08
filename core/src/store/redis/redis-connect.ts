/** Connecting to Redis with a bounded wait and an error message that is safe to log. */
import { Redis, type Command } from 'ioredis';
import { StoreUnavailableError } from '../store-unavailable-error.js';

/** Options of {@link connectRedis}. */
export interface RedisConnectOptions {
  /** How long the first connection may take; default 5000 ms. */
  readonly connectTimeoutMs?: number;
}

/**
 * Opens a connection and waits until it is ready. The first attempt is not retried, so
 * an unreachable server fails fast with an error naming the URL (password removed);
 * once connected, the client reconnects with backoff, and a command sent while it is
 * not connected fails at once with a {@link StoreUnavailableError} (see
 * {@link FailFastRedis}); one in flight when the connection dropped fails after a couple
 * of reconnect attempts.
 *
 * @example
 * ```ts
 * const redis = await connectRedis('redis://127.0.0.1:6379');
 * ```
 */
export async function connectRedis(url: string, options: RedisConnectOptions = {}): Promise<Redis> {
  let ready = false;
  let lastError: Error | undefined;
  const redis = new FailFastRedis(url, {
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
    redis.failFast = true;
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

/**
 * A client that does not queue commands while it is disconnected: once it has been
 * ready, a command sent while it reconnects (or after it ended) is refused at once with
 * a {@link StoreUnavailableError}, so a request during a Redis outage is answered in
 * milliseconds instead of waiting out reconnect attempts in the offline queue. Costs one
 * comparison per command while connected.
 */
class FailFastRedis extends Redis {
  /** Set once the first connection is ready (before, `connect()` needs the queue). */
  failFast = false;

  override sendCommand(command: Command, stream?: Parameters<Redis['sendCommand']>[1]): unknown {
    // 'connect': the handshake of a reconnection (ready check) is under way; it is short.
    if (this.failFast && this.status !== 'ready' && this.status !== 'connect') {
      command.reject(new StoreUnavailableError(this.status === 'end' ? 'redis store is closed' : `redis is unreachable (${this.status})`));
      return command.promise;
    }
    return super.sendCommand(command, stream);
  }
}
