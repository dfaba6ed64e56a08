/**
 * The embedded store's ephemeral state (leases, counters, sticky sessions, account
 * state): in process memory, TTLs enforced on read, plus a periodic sweep so memory
 * holds only what is live.
 */
import { MemoryAccountState } from './memory-account-state.js';
import { MemoryCounters } from './memory-counters.js';
import { MemoryLeases } from './memory-leases.js';
import { MemorySticky } from './memory-sticky.js';

/** Default interval of the sweep that drops expired ephemeral entries. */
export const DEFAULT_SWEEP_INTERVAL_MS = 30_000;

/** The in-process ephemeral repositories, swept together. */
export class MemoryEphemeral {
  readonly leases = new MemoryLeases();
  readonly counters = new MemoryCounters();
  readonly sticky = new MemorySticky();
  readonly accountState = new MemoryAccountState();
  private timer: NodeJS.Timeout | undefined;

  /**
   * Starts sweeping every `intervalMs`, also running `extra` (e.g. purging expired
   * plugin KV rows). The timer is unref'd: it never keeps the process alive.
   */
  startSweeping(intervalMs = DEFAULT_SWEEP_INTERVAL_MS, extra?: (now: number) => void): void {
    this.stopSweeping();
    this.timer = setInterval(() => {
      const now = Date.now();
      this.sweep(now);
      extra?.(now);
    }, intervalMs);
    this.timer.unref();
  }

  stopSweeping(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Drops everything expired now; returns how many entries went. */
  sweep(now = Date.now()): number {
    return this.leases.sweep(now) + this.counters.sweep(now) + this.sticky.sweep(now) + this.accountState.sweep(now);
  }
}
