/** Sticky-session bindings held in process memory (embedded store). */
import { systemClock, type Clock } from '../../time/clock.js';
import type { StickyRepository } from '../types.js';
import { assertTtlMs } from '../records.js';
import { MemoryTtlMap } from './memory-ttl-map.js';

/** {@link StickyRepository} in memory; each `set` restarts the binding's TTL. */
export class MemorySticky implements StickyRepository {
  private readonly bindings: MemoryTtlMap<string>;

  constructor(private readonly clock: Clock = systemClock) {
    this.bindings = new MemoryTtlMap<string>(clock);
  }

  async get(key: string): Promise<string | undefined> {
    return this.bindings.get(key);
  }

  async set(key: string, accountId: string, ttlMs: number): Promise<void> {
    assertTtlMs(ttlMs);
    this.bindings.set(key, accountId, this.clock.now() + ttlMs);
  }

  async delete(key: string): Promise<void> {
    this.bindings.delete(key);
  }

  /** Drops expired bindings; returns how many went. */
  sweep(now = this.clock.now()): number {
    return this.bindings.sweep(now);
  }
}
