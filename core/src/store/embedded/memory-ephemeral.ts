/**
 * The embedded store's ephemeral state (leases, counters, sticky sessions, account
 * state): in process memory, TTLs enforced on read, plus a periodic sweep so memory
 * holds only what is live.
 */
import { systemClock, type Clock } from '../../time/clock.js';
import { MemoryAccountState } from './memory-account-state.js';
import { MemoryCounters } from './memory-counters.js';
import { MemoryLeases } from './memory-leases.js';
import { MemorySticky } from './memory-sticky.js';

/** Default interval of the sweep that drops expired ephemeral entries. */
export const DEFAULT_SWEEP_INTERVAL_MS = 30_000;

/** The in-process ephemeral repositories, swept together. */
export class MemoryEphemeral {
  readonly leases: MemoryLeases;
  readonly counters: MemoryCounters;
  readonly sticky: MemorySticky;
  readonly accountState: MemoryAccountState;
  private timer: NodeJS.Timeout | undefined;

  /** `clock` governs every TTL (see time/clock.ts); the sweep itself runs on a real timer. */
  constructor(private readonly clock: Clock = systemClock) {
    this.leases = new MemoryLeases(clock);
    this.counters = new MemoryCounters(clock);
    this.sticky = new MemorySticky(clock);
    this.accountState = new MemoryAccountState(this.leases, clock);
  }

  /**
   * Starts sweeping every `intervalMs`, also running `extra` (e.g. purging expired
   * plugin KV rows). The timer is unref'd: it never keeps the process alive.
   */
  startSweeping(intervalMs = DEFAULT_SWEEP_INTERVAL_MS, extra?: (now: number) => void): void {
    this.stopSweeping();
    this.timer = setInterval(() => {
      const now = this.clock.now();
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
  sweep(now = this.clock.now()): number {
    return this.leases.sweep(now) + this.counters.sweep(now) + this.sticky.sweep(now) + this.accountState.sweep(now);
  }
}
