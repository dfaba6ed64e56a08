/**
 * Counts responses still being written, so graceful shutdown can wait until every
 * in-flight answer (streams included) has been handed to the socket.
 */
import type { Context, Next } from 'koa';

export class ResponseTracker {
  private open = 0;
  private waiters: (() => void)[] = [];

  /** Koa middleware counting each response until its socket write finishes or the client leaves. */
  readonly middleware = async (ctx: Context, next: Next): Promise<void> => {
    this.open += 1;
    const settle = () => {
      this.open -= 1;
      if (this.open === 0) for (const wake of this.waiters.splice(0)) wake();
    };
    // A response emits 'close' once it finished or its connection went away, whichever is first.
    ctx.res.once('close', settle);
    await next();
  };

  get count(): number {
    return this.open;
  }

  /** Resolves once no response is being written. */
  idle(): Promise<void> {
    return this.open === 0 ? Promise.resolve() : new Promise((wake) => this.waiters.push(wake));
  }
}
