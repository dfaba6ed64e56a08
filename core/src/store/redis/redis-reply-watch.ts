/**
 * Noticing a Redis connection that stays open but stops answering (a hung server, or a
 * host gone without closing TCP: the kernel keeps such a socket for many minutes), at no
 * cost per command: one timer per client looks, every `intervalMs`, at the oldest command
 * still waiting for its reply, and sends a PING when none is waiting.
 */

/** Longest a command may wait for its reply before the connection counts as hung. */
export const DEFAULT_REDIS_REPLY_TIMEOUT_MS = 3000;

const TIMER_SLACK_MS = 5;

/** The parts of an ioredis client the watch reads. */
export interface WatchedRedis {
  readonly status: string;
  /** Commands written to the socket and waiting for their reply, oldest first. */
  readonly commandQueue: { peekFront(): { readonly command: unknown } | undefined };
  ping(): Promise<unknown>;
}

/** Options of {@link RedisReplyWatch}. */
export interface RedisReplyWatchOptions {
  /** Longest a command may wait for its reply; default {@link DEFAULT_REDIS_REPLY_TIMEOUT_MS}. */
  readonly replyTimeoutMs?: number;
  /** How often the watch looks; default a third of `replyTimeoutMs`, at most 1000 ms. */
  readonly intervalMs?: number;
  /** Called (once per hung connection) with how long the oldest command has waited. */
  readonly onHung: (waitedMs: number) => void;
}

/**
 * Calls `onHung` once the oldest command waiting on the connection (a PING sent while
 * idle, a command of the handshake of a reconnection, or any other) has had no reply for
 * `replyTimeoutMs`, as seen by the watch: a command sent to a hung server fails after
 * `replyTimeoutMs` to `replyTimeoutMs + 2 × intervalMs`. Only the identity of the oldest
 * waiting command is tracked, so a busy healthy connection, whose oldest command changes
 * all the time, never counts as hung however many commands it carries; a blocked event
 * loop (a look due long ago) restarts the count rather than counting as a hung server.
 */
export class RedisReplyWatch {
  readonly replyTimeoutMs: number;
  readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private oldest: unknown;
  private oldestSeenAt = 0;
  private lookedAt = 0;

  constructor(
    private readonly redis: WatchedRedis,
    private readonly options: RedisReplyWatchOptions,
  ) {
    this.replyTimeoutMs = options.replyTimeoutMs ?? DEFAULT_REDIS_REPLY_TIMEOUT_MS;
    this.intervalMs = options.intervalMs ?? Math.min(1000, Math.max(10, Math.round(this.replyTimeoutMs / 3)));
    if (!(this.replyTimeoutMs > 0) || !(this.intervalMs > 0)) {
      throw new RangeError(
        `redis reply watch: replyTimeoutMs and intervalMs must be positive, got ${this.replyTimeoutMs} and ${this.intervalMs}`,
      );
    }
  }

  /** Starts looking (a no-op when started); the timer never keeps the process alive. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.look(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.oldest = undefined;
  }

  private look(): void {
    const { status } = this.redis;
    // 'connect': the handshake of a (re)connection, whose commands can hang as well.
    if (status !== 'ready' && status !== 'connect') {
      this.oldest = undefined;
      this.lookedAt = 0;
      return;
    }
    const now = Date.now();
    // A look much later than due means the event loop was blocked: replies may sit unread
    // in the socket, so the wait so far does not count.
    const late = now - this.lookedAt > 2 * this.intervalMs;
    this.lookedAt = now;
    let oldest = this.redis.commandQueue.peekFront()?.command;
    if (oldest === undefined && status === 'ready') {
      // Idle: a PING finds out whether the server still answers before a request does.
      this.redis.ping().catch(() => undefined);
      oldest = this.redis.commandQueue.peekFront()?.command;
    }
    if (oldest !== this.oldest || late) {
      this.oldest = oldest;
      this.oldestSeenAt = now;
      return;
    }
    // The slack: an interval timer may run a millisecond early by `Date.now()`, which would
    // otherwise cost a whole extra interval.
    if (oldest === undefined || now - this.oldestSeenAt < this.replyTimeoutMs - TIMER_SLACK_MS) return;
    this.oldest = undefined;
    this.options.onHung(now - this.oldestSeenAt);
  }
}
