/** Expiring integer counters held in process memory (embedded store). */
import { systemClock, type Clock } from '../../time/clock.js';
import type { CounterRepository } from '../types.js';
import { assertInteger, assertTtlMs } from '../records.js';
import { MemoryTtlMap } from './memory-ttl-map.js';

/** {@link CounterRepository} in memory; a counter expires `ttlMs` after its first increment. */
export class MemoryCounters implements CounterRepository {
  private readonly counters: MemoryTtlMap<number>;

  constructor(private readonly clock: Clock = systemClock) {
    this.counters = new MemoryTtlMap<number>(clock);
  }

  async incr(key: string, by: number, ttlMs: number): Promise<number> {
    assertInteger('counter increment', by);
    assertTtlMs(ttlMs);
    const now = this.clock.now();
    const entry = this.counters.entry(key, now);
    const value = (entry?.value ?? 0) + by;
    this.counters.set(key, value, entry?.expiresAt ?? now + ttlMs);
    return value;
  }

  async get(key: string): Promise<number> {
    return this.counters.get(key) ?? 0;
  }

  /** Drops expired counters; returns how many went. */
  sweep(now = this.clock.now()): number {
    return this.counters.sweep(now);
  }
}
