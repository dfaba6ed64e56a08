/**
 * The writes the gateway starts without awaiting them (sticky bindings, accounts' and
 * keys' last use), tracked so a caller can wait for them: `Gateway.settled()` in tests,
 * instead of sleeping.
 */

/** Fire-and-forget writes in progress. */
export class PendingWrites {
  private readonly running = new Set<Promise<unknown>>();

  /** Tracks `write` until it settles; returns it. Never changes its outcome. */
  track<T>(write: Promise<T>): Promise<T> {
    const tracked = write.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(tracked);
    void tracked.then(() => this.running.delete(tracked));
    return write;
  }

  /** How many tracked writes are still running. */
  get size(): number {
    return this.running.size;
  }

  /** Resolves once every tracked write (including those started meanwhile) has settled. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }
}
