/** Meters for key limits in the embedded store: windows in memory, totals and marks in SQLite. */
import { systemClock, type Clock } from '../../time/clock.js';
import type { Database, Statement } from 'better-sqlite3';
import type { MeterCharges, MeterRepository, WindowBucket } from '../types.js';
import { assertInteger } from '../records.js';

interface Window {
  buckets: Map<number, number>;
  /** Epoch ms after which the whole window may be forgotten. */
  expiresAt: number;
}

/**
 * {@link MeterRepository} for one process. Sliding windows live in memory (they are
 * short-lived by nature; a restart forgets them). Totals, maxima and marks are rows of
 * the `limit_meters` table, created here when missing, so spend caps and first-use
 * dates survive restarts; totals added with a retention are purged by the sweep.
 */
export class EmbeddedMeters implements MeterRepository {
  private readonly windows = new Map<string, Window>();
  private readonly add: Statement<[string, number, number | null]>;
  private readonly purge: Statement<[number]>;
  private readonly raise: Statement<[string, number]>;
  private readonly mark: Statement<[string, number]>;
  private readonly read: Statement<[string]>;

  constructor(
    db: Database,
    private readonly clock: Clock = systemClock,
  ) {
    db.exec('CREATE TABLE IF NOT EXISTS limit_meters (name TEXT PRIMARY KEY, value INTEGER NOT NULL, expires_at INTEGER)');
    this.add = db.prepare(`INSERT INTO limit_meters (name, value, expires_at) VALUES (?, ?, ?)
      ON CONFLICT (name) DO UPDATE SET value = value + excluded.value, expires_at = excluded.expires_at`);
    this.purge = db.prepare('DELETE FROM limit_meters WHERE expires_at IS NOT NULL AND expires_at <= ?');
    this.raise = db.prepare(`INSERT INTO limit_meters (name, value) VALUES (?, ?)
      ON CONFLICT (name) DO UPDATE SET value = MAX(value, excluded.value)`);
    this.mark = db.prepare('INSERT OR IGNORE INTO limit_meters (name, value) VALUES (?, ?)');
    this.read = db.prepare('SELECT value FROM limit_meters WHERE name = ?');
  }

  async addToWindow(key: string, amount: number, bucketMs: number, periodMs: number): Promise<number> {
    assertInteger('window amount', amount);
    const now = this.clock.now();
    const window = this.live(key, bucketMs, periodMs, now);
    const start = Math.floor(now / bucketMs) * bucketMs;
    window.buckets.set(start, (window.buckets.get(start) ?? 0) + amount);
    window.expiresAt = now + periodMs + bucketMs;
    this.windows.set(key, window);
    let sum = 0;
    for (const value of window.buckets.values()) sum += value;
    return sum;
  }

  async readWindow(key: string, bucketMs: number, periodMs: number): Promise<{ now: number; buckets: WindowBucket[] }> {
    const now = this.clock.now();
    const window = this.live(key, bucketMs, periodMs, now);
    const buckets = [...window.buckets.entries()].sort((a, b) => a[0] - b[0]);
    return { now, buckets };
  }

  async addTotal(key: string, amount: number, retainMs?: number): Promise<number> {
    assertInteger('total amount', amount);
    this.add.run(`t:${key}`, amount, retainMs === undefined ? null : this.clock.now() + retainMs);
    return this.value(`t:${key}`);
  }

  async getTotals(keys: readonly string[]): Promise<number[]> {
    return keys.map((key) => this.value(`t:${key}`));
  }

  async raiseMax(key: string, value: number): Promise<number> {
    assertInteger('maximum', value);
    this.raise.run(`m:${key}`, value);
    return this.value(`m:${key}`);
  }

  async getMax(key: string): Promise<number> {
    return this.value(`m:${key}`);
  }

  async markOnce(key: string, value: number): Promise<number> {
    assertInteger('mark', value);
    this.mark.run(`f:${key}`, value);
    return this.value(`f:${key}`);
  }

  async getMark(key: string): Promise<number | undefined> {
    return (this.read.get(`f:${key}`) as { value: number } | undefined)?.value;
  }

  async charge(charges: MeterCharges): Promise<void> {
    for (const { key, amount, retainMs } of charges.totals ?? []) await this.addTotal(key, amount, retainMs);
    for (const { key, amount, bucketMs, periodMs } of charges.windows ?? [])
      await this.addToWindow(key, amount, bucketMs, periodMs);
    for (const { key, value } of charges.maxima ?? []) await this.raiseMax(key, value);
  }

  /** Forgets windows nobody added to for longer than their period, and expired totals; returns how many. */
  sweep(now = this.clock.now()): number {
    let removed = this.purge.run(now).changes;
    for (const [key, window] of this.windows) {
      if (window.expiresAt <= now) {
        this.windows.delete(key);
        removed++;
      }
    }
    return removed;
  }

  private value(name: string): number {
    return (this.read.get(name) as { value: number } | undefined)?.value ?? 0;
  }

  /** The window with buckets older than the period dropped. */
  private live(key: string, bucketMs: number, periodMs: number, now: number): Window {
    const window = this.windows.get(key) ?? { buckets: new Map<number, number>(), expiresAt: 0 };
    const oldest = Math.floor(now / bucketMs) * bucketMs - periodMs + bucketMs;
    for (const start of window.buckets.keys()) if (start < oldest) window.buckets.delete(start);
    return window;
  }
}
