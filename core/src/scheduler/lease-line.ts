/**
 * Waiting in a fair line for a lease (see `LeaseQueueRepository`): joins the line,
 * polls for its turn, wakes early when a slot of the same scope frees in this process,
 * and leaves the line at once when the waiter gives up or its client disconnects.
 */
import type { Logger } from '@switchyard/plugin-api';
import type { LeaseQueueRepository, LeaseRepository } from '../store/types.js';
import { holdLease, type Lease } from './lease.js';

/** How a wait ended. */
export type LineOutcome = { kind: 'acquired'; lease: Lease } | { kind: 'full' } | { kind: 'timeout' } | { kind: 'aborted' };

/** What one wait is about. */
export interface LineRequest {
  scope: string;
  holder: string;
  limit: number;
  maxWaiting: number;
  timeoutMs: number;
  signal: AbortSignal;
  log: Logger;
}

/** Fair lines over the store's lease queues, with in-process wake-ups. */
export class LeaseLine {
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(
    private readonly store: { leases: LeaseRepository; leaseQueues: LeaseQueueRepository },
    private readonly leaseTtlMs: () => number,
    private readonly pollMs: () => number,
  ) {}

  /** Keeps an acquired lease alive; releasing it wakes this process's waiters of the scope. */
  hold(scope: string, holder: string, log: Logger): Lease {
    return holdLease(this.store.leases, scope, holder, this.leaseTtlMs(), log, () => this.wake(scope));
  }

  /** Takes a slot at once, or waits in line for one (first come, first served). */
  async acquire(request: LineRequest): Promise<LineOutcome> {
    const { leaseQueues } = this.store;
    const { scope, holder, limit, maxWaiting, signal } = request;
    const ticketTtl = Math.max(this.leaseTtlMs(), this.pollMs() * 4);
    const entered = await leaseQueues.enter(scope, holder, limit, maxWaiting, ticketTtl);
    if (entered === 'acquired') return { kind: 'acquired', lease: this.hold(scope, holder, request.log) };
    if (entered === 'full') return { kind: 'full' };
    const deadline = Date.now() + request.timeoutMs;
    let outcome: 'acquired' | 'timeout' | 'aborted' = 'aborted';
    while (!signal.aborted) {
      const left = deadline - Date.now();
      if (left <= 0) {
        outcome = 'timeout';
        break;
      }
      await this.pause(scope, Math.min(this.pollMs(), left), signal);
      if (signal.aborted) break;
      let state = await leaseQueues.poll(scope, holder, limit, ticketTtl);
      // Our place expired (e.g. a stalled event loop): join again at the back.
      if (state === 'lost')
        state = (await leaseQueues.enter(scope, holder, limit, maxWaiting, ticketTtl)) === 'acquired' ? 'acquired' : 'waiting';
      if (state === 'acquired') {
        outcome = 'acquired';
        break;
      }
    }
    if (outcome === 'acquired') return { kind: 'acquired', lease: this.hold(scope, holder, request.log) };
    await leaseQueues
      .leave(scope, holder)
      .catch((error: unknown) => request.log.warn('leaving a queue failed', { scope, error }));
    return { kind: outcome };
  }

  /** Sleeps `ms`, or less when a local slot of `scope` frees or the waiter gives up. */
  private pause(scope: string, ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiters.get(scope) ?? new Set<() => void>();
      this.waiters.set(scope, set);
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        set.delete(done);
        if (set.size === 0 && this.waiters.get(scope) === set) this.waiters.delete(scope);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      set.add(done);
    });
  }

  private wake(scope: string): void {
    for (const wake of [...(this.waiters.get(scope) ?? [])]) wake();
  }
}
