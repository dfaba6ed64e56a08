/**
 * The writes the gateway starts without awaiting them (sticky bindings, accounts' and
 * keys' last use), tracked so a caller can wait for them: `Gateway.settled()` in tests,
 * instead of sleeping.
 *
 * Every relayed request starts a few of these, so tracking one costs a counter and one
 * reaction on the write, nothing more.
 */

/** Fire-and-forget writes in progress. */
export class PendingWrites {
  private running = 0;
  private waiters: (() => void)[] = [];
  private readonly settle = (): void => {
    this.running -= 1;
    if (this.running === 0 && this.waiters.length > 0) for (const wake of this.waiters.splice(0)) wake();
  };

  /** Tracks `write` until it settles; returns it. Never changes its outcome. */
  track<T>(write: Promise<T>): Promise<T> {
    this.running += 1;
    write.then(this.settle, this.settle);
    return write;
  }

  /** How many tracked writes are still running. */
  get size(): number {
    return this.running;
  }

  /** Resolves once every tracked write (including those started meanwhile) has settled. */
  settled(): Promise<void> {
    return this.running === 0 ? Promise.resolve() : new Promise((wake) => this.waiters.push(wake));
  }
}
