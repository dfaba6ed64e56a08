/**
 * Sticky-session bindings (session → account) in the store, so every instance sends a
 * conversation to the same account. A binding carries its expiry, so it is renewed on
 * use only when less than the renewal threshold is left.
 */
import type { StickyRepository } from '../store/types.js';
import { systemClock, type Clock } from '../time/clock.js';

/** A binding as read. */
export interface StickyBinding {
  accountId: string;
  /** Epoch ms; undefined for bindings written without one. */
  expiresAt: number | undefined;
}

/** Reads, writes and drops sticky bindings. */
export class StickySessions {
  constructor(
    private readonly sticky: StickyRepository,
    private readonly ttlMs: () => number | Promise<number>,
    private readonly renewBelowMs: () => number,
    private readonly clock: Clock = systemClock,
  ) {}

  async get(key: string): Promise<StickyBinding | undefined> {
    const value = await this.sticky.get(key);
    if (!value) return undefined;
    const [accountId, expires] = value.split('\t');
    const expiresAt = expires === undefined ? undefined : Number(expires);
    return { accountId: accountId!, expiresAt: Number.isFinite(expiresAt) ? expiresAt : undefined };
  }

  /**
   * Binds `key` to `accountId`: a new or changed binding is written with the full TTL;
   * the same binding is renewed only when less than the threshold is left (a threshold
   * of 0 renews on every use). `known` is the current binding when the caller just read
   * it (null: there is none); undefined reads it.
   */
  async bind(key: string, accountId: string, known?: StickyBinding | null): Promise<void> {
    const ttl = await this.ttlMs();
    if (ttl <= 0) return;
    const current = known === undefined ? await this.get(key) : (known ?? undefined);
    const threshold = this.renewBelowMs();
    const now = this.clock.now();
    if (
      current?.accountId === accountId &&
      current.expiresAt !== undefined &&
      threshold > 0 &&
      current.expiresAt - now > threshold
    )
      return;
    await this.sticky.set(key, `${accountId}\t${now + ttl}`, ttl);
  }

  drop(key: string): Promise<void> {
    return this.sticky.delete(key);
  }
}
