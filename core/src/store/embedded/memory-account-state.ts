/** Live account state (cooldowns, last use, last error) held in process memory. */
import { systemClock, type Clock } from '../../time/clock.js';
import {
  MAX_RECENT_ACCOUNT_ERRORS,
  accountLeaseScope,
  type AccountErrorEntry,
  type AccountState,
  type AccountStateRepository,
  type LeaseRepository,
} from '../types.js';
import { ACCOUNT_STATE_RETENTION_MS, MAX_ERROR_MESSAGE_LENGTH } from '../records.js';

interface Slot {
  cooldown?: { until: number; kind: string };
  lastUsedAt?: number;
  lastError?: { at: number; kind: string; message: string };
  /** Newest first, bounded. */
  errors?: AccountErrorEntry[];
  /** Epoch ms after which the whole slot is forgotten (refreshed on every write). */
  retainUntil: number;
}

/**
 * {@link AccountStateRepository} in memory. A cooldown reads as absent once its
 * `untilMs` has passed; the rest of an account's state is forgotten
 * {@link ACCOUNT_STATE_RETENTION_MS} after its last write. `getMany` only has entries for
 * accounts with some state; `markUsed` never moves `lastUsedAt` backwards.
 */
export class MemoryAccountState implements AccountStateRepository {
  private readonly slots = new Map<string, Slot>();
  /** Bumped by every cooldown set or cleared (see cooldownsVersion). */
  private cooldownChanges = 0;

  /** `leases`: the store's, where {@link takeSlot} takes the account's slots. */
  constructor(
    private readonly leases: LeaseRepository,
    private readonly clock: Clock = systemClock,
  ) {}

  async getMany(ids: readonly string[]): Promise<Map<string, AccountState>> {
    const now = this.clock.now();
    const out = new Map<string, AccountState>();
    for (const id of ids) {
      const slot = this.live(id, now);
      if (slot === undefined) continue;
      const state: AccountState = {};
      if (slot.cooldown !== undefined) {
        state.coolingDownUntil = slot.cooldown.until;
        state.cooldownKind = slot.cooldown.kind;
      }
      if (slot.lastUsedAt !== undefined) state.lastUsedAt = slot.lastUsedAt;
      if (slot.lastError !== undefined) state.lastError = { ...slot.lastError };
      if (Object.keys(state).length > 0) out.set(id, state);
    }
    return out;
  }

  async setCooldown(id: string, untilMs: number, kind: string, message: string): Promise<void> {
    const now = this.clock.now();
    const slot = this.touch(id, now);
    slot.lastError = { at: now, kind, message: message.slice(0, MAX_ERROR_MESSAGE_LENGTH) };
    slot.errors = [{ ...slot.lastError }, ...(slot.errors ?? [])].slice(0, MAX_RECENT_ACCOUNT_ERRORS);
    if (untilMs > now) slot.cooldown = { until: untilMs, kind };
    else delete slot.cooldown;
    this.cooldownChanges++;
  }

  async clearCooldown(id: string): Promise<void> {
    const slot = this.live(id, this.clock.now());
    if (slot !== undefined) delete slot.cooldown;
    this.cooldownChanges++;
  }

  async cooldownsVersion(): Promise<string> {
    return String(this.cooldownChanges);
  }

  async markUsed(id: string, atMs: number): Promise<void> {
    const slot = this.touch(id, this.clock.now());
    if (slot.lastUsedAt === undefined || atMs > slot.lastUsedAt) slot.lastUsedAt = atMs;
  }

  async takeSlot(id: string, holder: string, limit: number, ttlMs: number, atMs: number): Promise<boolean> {
    if (!(await this.leases.acquire(accountLeaseScope(id), holder, limit, ttlMs))) return false;
    await this.markUsed(id, atMs);
    return true;
  }

  async recentErrors(ids: readonly string[]): Promise<Map<string, AccountErrorEntry[]>> {
    const now = this.clock.now();
    const out = new Map<string, AccountErrorEntry[]>();
    for (const id of ids) {
      const errors = this.live(id, now)?.errors;
      if (errors?.length)
        out.set(
          id,
          errors.map((entry) => ({ ...entry })),
        );
    }
    return out;
  }

  /** Forgets state past its retention and cooldowns past their end; returns accounts forgotten. */
  sweep(now = this.clock.now()): number {
    let removed = 0;
    for (const id of [...this.slots.keys()]) if (this.live(id, now) === undefined) removed++;
    return removed;
  }

  private touch(id: string, now: number): Slot {
    const slot = this.live(id, now) ?? { retainUntil: 0 };
    slot.retainUntil = now + ACCOUNT_STATE_RETENTION_MS;
    this.slots.set(id, slot);
    return slot;
  }

  private live(id: string, now: number): Slot | undefined {
    const slot = this.slots.get(id);
    if (slot === undefined) return undefined;
    if (slot.retainUntil <= now) {
      this.slots.delete(id);
      return undefined;
    }
    if (slot.cooldown !== undefined && slot.cooldown.until <= now) delete slot.cooldown;
    return slot;
  }
}
