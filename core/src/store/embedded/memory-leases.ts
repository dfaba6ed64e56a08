/** Concurrency leases held in process memory (embedded store). */
import { systemClock, type Clock } from '../../time/clock.js';
import type { LeaseRepository } from '../types.js';
import { assertInteger, assertTtlMs } from '../records.js';

/**
 * {@link LeaseRepository} in memory: per scope, holder → expiry (epoch ms). Expired
 * leases are dropped on every operation on their scope and by {@link MemoryLeases.sweep}.
 * Acquiring a lease the holder already has refreshes it and succeeds, whatever the limit.
 */
export class MemoryLeases implements LeaseRepository {
  private readonly scopes = new Map<string, Map<string, number>>();

  constructor(readonly clock: Clock = systemClock) {}

  async acquire(scope: string, holder: string, limit: number, ttlMs: number): Promise<boolean> {
    assertInteger('lease limit', limit, 0);
    assertTtlMs(ttlMs);
    const now = this.clock.now();
    const leases = this.live(scope, now) ?? new Map<string, number>();
    if (!leases.has(holder) && leases.size >= limit) return false;
    leases.set(holder, now + ttlMs);
    this.scopes.set(scope, leases);
    return true;
  }

  async renew(scope: string, holder: string, ttlMs: number): Promise<boolean> {
    assertTtlMs(ttlMs);
    const now = this.clock.now();
    const leases = this.live(scope, now);
    if (leases === undefined || !leases.has(holder)) return false;
    leases.set(holder, now + ttlMs);
    return true;
  }

  async release(scope: string, holder: string): Promise<void> {
    const leases = this.scopes.get(scope);
    if (leases === undefined) return;
    leases.delete(holder);
    if (leases.size === 0) this.scopes.delete(scope);
  }

  async count(scope: string): Promise<number> {
    return this.live(scope, this.clock.now())?.size ?? 0;
  }

  /** Drops expired leases in every scope; returns how many went. */
  sweep(now = this.clock.now()): number {
    let removed = 0;
    for (const scope of [...this.scopes.keys()]) {
      const before = this.scopes.get(scope)!.size;
      removed += before - (this.live(scope, now)?.size ?? 0);
    }
    return removed;
  }

  /** The scope's leases with expired ones removed; undefined (and forgotten) when none is left. */
  private live(scope: string, now: number): Map<string, number> | undefined {
    const leases = this.scopes.get(scope);
    if (leases === undefined) return undefined;
    for (const [holder, expiresAt] of leases) if (expiresAt <= now) leases.delete(holder);
    if (leases.size === 0) {
      this.scopes.delete(scope);
      return undefined;
    }
    return leases;
  }
}
