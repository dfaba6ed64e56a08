/** Connecting to Redis with a bounded wait and an error message that is safe to log. */
import { Redis, type Command } from 'ioredis';
import type { Logger } from '@switchyard/plugin-api';
import { StoreUnavailableError } from '../store-unavailable-error.js';
import { RedisReplyWatch } from './redis-reply-watch.js';

/** Options of {@link connectRedis}. */
export interface RedisConnectOptions {
  /** How long the first connection may take; default 5000 ms. */
  readonly connectTimeoutMs?: number;
  /**
   * Longest a command may wait for its reply before the connection counts as hung and is
   * replaced; default 3000 ms (see {@link RedisReplyWatch}).
   */
  readonly replyTimeoutMs?: number;
  /** How often the reply watch looks; default a third of `replyTimeoutMs`, at most 1000 ms. */
  readonly replyWatchIntervalMs?: number;
  /** Where the warning about a hung connection goes (none when absent). */
  readonly log?: Logger;
}

/**
 * Opens a connection and waits until it is ready. The first attempt is not retried, so
 * an unreachable server fails fast with an error naming the URL (password removed);
 * once connected, the client reconnects with backoff, and a command sent while it is
 * not connected fails at once with a {@link StoreUnavailableError} (see
 * {@link FailFastRedis}); one in flight when the connection dropped fails after a couple
 * of reconnect attempts. A connection that stays open but stops answering is noticed by a
 * {@link RedisReplyWatch} and replaced: the commands waiting on it fail at once with a
 * {@link StoreUnavailableError}, a warning is logged once per outage, and the client
 * reconnects as after a drop.
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
    // Commands issued in the same tick (the reads of a request's budgets, its usage
    // meters) go to the server in one write: one round trip instead of one each.
    enableAutoPipelining: true,
    retryStrategy: (attempt) => (ready ? Math.min(attempt * 200, 2000) : null),
  });
  // Without a listener ioredis prints every connection error; callers see them through
  // failing commands and `ping()` instead.
  redis.on('error', (err: Error) => {
    lastError = err;
  });
  // Before connecting, so that a bad option throws before there is a connection to close.
  const watch = watchReplies(redis, options);
  try {
    await redis.connect();
    ready = true;
    redis.failFast = true;
    watch.start();
    return redis;
  } catch (err) {
    redis.disconnect();
    const reason = lastError?.message ?? (err instanceof Error ? err.message : String(err));
    // The cause is the connection's own error when there is one (ECONNREFUSED, a TLS or
    // auth failure); connect() itself only rejects with "Connection is closed.".
    // eslint-disable-next-line preserve-caught-error
    throw new Error(`Cannot connect to Redis at ${redactRedisUrl(url)}: ${reason}`, { cause: lastError ?? err });
  }
}

/**
 * The reply watch of a client, to start once it is connected: a hung connection is
 * abandoned (its commands fail, the client reconnects), with one warning until the server
 * answers again. The watch stops when the client ends (`quit()`) or is disconnected.
 */
function watchReplies(redis: FailFastRedis, options: RedisConnectOptions): RedisReplyWatch {
  let warned = false;
  const watch = new RedisReplyWatch(redis, {
    ...(options.replyTimeoutMs === undefined ? {} : { replyTimeoutMs: options.replyTimeoutMs }),
    ...(options.replyWatchIntervalMs === undefined ? {} : { intervalMs: options.replyWatchIntervalMs }),
    onHung: (waitedMs) => {
      if (!warned) {
        warned = true;
        options.log?.warn('redis store stopped answering: reconnecting; requests get 503 store_unavailable meanwhile', {
          waitedMs,
          replyTimeoutMs: watch.replyTimeoutMs,
        });
      }
      redis.abandonConnection(`redis did not answer within ${watch.replyTimeoutMs} ms`);
    },
  });
  redis.on('ready', () => {
    if (!warned) return;
    warned = false;
    options.log?.info('redis store answers again');
  });
  redis.replyWatch = watch;
  redis.once('end', () => watch.stop());
  return watch;
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
  /** Set from {@link abandonConnection} until its socket has closed. */
  private abandoning = false;
  /** Stopped when the client ends, or is disconnected for good (which, while it waits to reconnect, never emits 'end'). */
  replyWatch: RedisReplyWatch | undefined;

  override disconnect(reconnect = false): void {
    if (!reconnect) this.replyWatch?.stop();
    super.disconnect(reconnect);
  }

  override sendCommand(command: Command, stream?: Parameters<Redis['sendCommand']>[1]): unknown {
    // 'connect': the handshake of a reconnection (ready check) is under way; it is short
    // (and bounded by the reply watch).
    if (this.failFast && ((this.status !== 'ready' && this.status !== 'connect') || this.abandoning)) {
      const reason =
        this.status === 'end'
          ? 'redis store is closed'
          : this.abandoning
            ? 'redis stopped answering'
            : `redis is unreachable (${this.status})`;
      command.reject(new StoreUnavailableError(reason));
      return command.promise;
    }
    return super.sendCommand(command, stream);
  }

  /**
   * Gives up the current connection because the server stopped answering: every command
   * waiting on it (or queued for it) fails at once with a {@link StoreUnavailableError},
   * and the socket is destroyed, so the client reconnects with its usual backoff. Without
   * this, ioredis would keep the commands to resend them on the next connection (which
   * may never come), and closing the socket politely would wait for the silent server.
   */
  abandonConnection(reason: string): void {
    const stream = this.stream as typeof this.stream | undefined;
    if (this.abandoning || !stream || stream.destroyed) return;
    this.abandoning = true;
    // Until the socket's close moves the client to 'reconnecting', refuse commands here:
    // written to the destroyed socket they would wait in the offline queue.
    stream.once('close', () => {
      this.abandoning = false;
    });
    (this as unknown as { flushQueue(error: Error): void }).flushQueue(new StoreUnavailableError(reason));
    stream.destroy();
  }
}
