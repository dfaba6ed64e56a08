/** A fair waiting line in front of in-memory leases (embedded store). */
import { systemClock, type Clock } from '../../time/clock.js';
import type { LeaseQueueRepository } from '../types.js';
import { assertInteger, assertTtlMs } from '../records.js';
import type { MemoryLeases } from './memory-leases.js';

/**
 * {@link LeaseQueueRepository} in process memory, over the embedded {@link MemoryLeases}:
 * per scope, waiters in arrival order with an expiry refreshed by each poll.
 */
export class MemoryLeaseQueue implements LeaseQueueRepository {
  private readonly lines = new Map<string, Map<string, number>>();

  constructor(
    private readonly leases: MemoryLeases,
    private readonly clock: Clock = systemClock,
  ) {}

  async enter(
    scope: string,
    holder: string,
    limit: number,
    maxWaiting: number,
    ttlMs: number,
  ): Promise<'acquired' | 'queued' | 'full'> {
    assertInteger('lease limit', limit, 0);
    assertInteger('queue size', maxWaiting, 0);
    assertTtlMs(ttlMs);
    const line = this.live(scope, this.clock.now());
    if (line.size === 0 && (await this.leases.acquire(scope, holder, limit, ttlMs))) return 'acquired';
    if (line.size >= maxWaiting) return 'full';
    line.set(holder, this.clock.now() + ttlMs);
    this.lines.set(scope, line);
    return 'queued';
  }

  async poll(scope: string, holder: string, limit: number, ttlMs: number): Promise<'acquired' | 'waiting' | 'lost'> {
    const line = this.live(scope, this.clock.now());
    if (!line.has(holder)) return 'lost';
    const free = limit - (await this.leases.count(scope));
    const rank = [...line.keys()].indexOf(holder);
    if (rank >= 0 && rank < free && (await this.leases.acquire(scope, holder, limit, ttlMs))) {
      line.delete(holder);
      this.forgetEmpty(scope, line);
      return 'acquired';
    }
    if (!line.has(holder)) return 'lost';
    line.set(holder, this.clock.now() + ttlMs);
    return 'waiting';
  }

  async leave(scope: string, holder: string): Promise<void> {
    const line = this.lines.get(scope);
    if (!line) return;
    line.delete(holder);
    this.forgetEmpty(scope, line);
  }

  async length(scope: string): Promise<number> {
    const line = this.live(scope, this.clock.now());
    this.forgetEmpty(scope, line);
    return line.size;
  }

  /** Drops expired waiters in every line; returns how many went. */
  sweep(now = this.clock.now()): number {
    let removed = 0;
    for (const scope of [...this.lines.keys()]) {
      const before = this.lines.get(scope)!.size;
      const line = this.live(scope, now);
      removed += before - line.size;
      this.forgetEmpty(scope, line);
    }
    return removed;
  }

  private live(scope: string, now: number): Map<string, number> {
    const line = this.lines.get(scope) ?? new Map<string, number>();
    for (const [holder, expiresAt] of line) if (expiresAt <= now) line.delete(holder);
    return line;
  }

  private forgetEmpty(scope: string, line: Map<string, number>): void {
    if (line.size === 0) this.lines.delete(scope);
  }
}
