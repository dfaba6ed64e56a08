/**
 * The targets in force: the config file's, then those saved in the admin (shared through
 * the store, so every instance sends to the same ones). The stored list is re-read every
 * 30 s, and at once on the instance that changed it.
 */
import type { Clock } from '../time/clock.js';
import type { NotificationTarget } from './notification-config-schema.js';

/** What the directory needs. */
export interface TargetDirectoryDeps {
  configured: readonly NotificationTarget[];
  /** The admin's targets, decrypted; absent: none. */
  stored?: () => Promise<NotificationTarget[]>;
  clock: Clock;
  /** How long a reading of the stored targets is used; default 30 s. */
  cacheMs?: number;
}

export class TargetDirectory {
  private cached: { until: number; value: Promise<NotificationTarget[]> } | undefined;
  private last: readonly NotificationTarget[];

  constructor(private readonly deps: TargetDirectoryDeps) {
    this.last = deps.configured;
  }

  /** Every target (config first; a stored target with a config target's id is ignored). */
  all(): Promise<NotificationTarget[]> {
    const now = this.deps.clock.now();
    if (this.cached && this.cached.until > now) return this.cached.value;
    const value = this.read();
    this.cached = { until: now + (this.deps.cacheMs ?? 30_000), value };
    value.then(
      (targets) => (this.last = targets),
      () => (this.cached = undefined),
    );
    return value;
  }

  /** The targets as last read (config ones until the store answered), without waiting. */
  known(): readonly NotificationTarget[] {
    return this.last;
  }

  /** Forgets the cached reading (after the admin saved a change). */
  invalidate(): void {
    this.cached = undefined;
  }

  private async read(): Promise<NotificationTarget[]> {
    const configured = [...this.deps.configured];
    if (!this.deps.stored) return configured;
    const ids = new Set(configured.map((target) => target.id));
    return [...configured, ...(await this.deps.stored()).filter((target) => !ids.has(target.id))];
  }
}
