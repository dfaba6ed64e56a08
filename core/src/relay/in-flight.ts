/**
 * The gateway's one count of what is in flight, read by the metrics (active requests),
 * `/health` (active streams) and graceful shutdown (wait for every answer, then for every
 * answer's usage record):
 *
 * - requests: each response from the moment the app takes it until it finished or its
 *   client left (Koa middleware, mounted first);
 * - answers: the relay's answers handed off to be pumped to the client, until their body is
 *   delivered (or abandoned) and their usage recorded, which can outlast the response.
 */
import type { Context, Next } from 'koa';

/** Paths whose requests are not counted as active (scrapes and probes); shutdown still waits for them. */
const QUIET_PATHS = new Set(['/metrics', '/health']);

export class InFlight {
  private open = 0;
  private active = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly answers = new Set<Promise<void>>();

  /** Koa middleware counting each response until its socket write finishes or the client leaves. */
  readonly middleware = async (ctx: Context, next: Next): Promise<void> => {
    const counted = !QUIET_PATHS.has(ctx.path);
    this.open += 1;
    if (counted) this.active += 1;
    // A response emits 'close' once it finished or its connection went away, whichever is first.
    ctx.res.once('close', () => {
      this.open -= 1;
      if (counted) this.active -= 1;
      if (this.open === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    });
    await next();
  };

  /** Requests being answered, scrapes and probes left out (the `active requests` gauge). */
  get requests(): number {
    return Math.max(this.active, this.answers.size);
  }

  /** Answers still being delivered or recorded (`/health`'s `activeStreams`). */
  get streams(): number {
    return this.answers.size;
  }

  /** Counts `answer` (a relayed body being pumped, then its usage recorded) until it settles. */
  hold(answer: Promise<void>): void {
    this.answers.add(answer);
    void answer.finally(() => this.answers.delete(answer));
  }

  /** Resolves once no response is being written. */
  idle(): Promise<void> {
    return this.open === 0 ? Promise.resolve() : new Promise((wake) => this.idleWaiters.push(wake));
  }

  /** Resolves when every held answer settled (including those held while waiting). */
  async drained(): Promise<void> {
    while (this.answers.size) await Promise.allSettled([...this.answers]);
  }
}
