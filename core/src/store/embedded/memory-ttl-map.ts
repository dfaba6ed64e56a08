/** A string-keyed map whose entries expire, for the embedded store's ephemeral state. */
import { systemClock, type Clock } from '../../time/clock.js';

interface Entry<V> {
  value: V;
  /** Epoch ms; the entry is gone once `now >= expiresAt`. */
  expiresAt: number;
}

/**
 * Entries expire at an absolute time: reads treat expired entries as absent (and drop
 * them), and {@link MemoryTtlMap.sweep} removes the ones nobody reads again, so the map
 * stays bounded by what is live.
 */
export class MemoryTtlMap<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(private readonly clock: Clock = systemClock) {}

  /** The live value and its expiry, or undefined. */
  entry(key: string, now = this.clock.now()): Readonly<Entry<V>> | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  get(key: string, now = this.clock.now()): V | undefined {
    return this.entry(key, now)?.value;
  }

  set(key: string, value: V, expiresAt: number): void {
    this.entries.set(key, { value, expiresAt });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Removes every expired entry; returns how many went. */
  sweep(now = this.clock.now()): number {
    let removed = 0;
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) {
        this.entries.delete(key);
        removed++;
      }
    }
    return removed;
  }

  /** Entries held, live or not yet swept. */
  get size(): number {
    return this.entries.size;
  }
}
