/**
 * The runtime settings the operator saves in the admin (`gateway.settings` in the shared
 * settings store) as the scheduler and relay read them: sticky TTL, cooldowns per error kind,
 * attempts per request and the defaults of scheduled account checks,
 * over the config file's values. Read at most every `refreshMs` (30 s by default), so a
 * change made on any instance takes effect everywhere within that time without a
 * restart; {@link RuntimeSettings.invalidate} applies it at once on this instance.
 */
import type { UpstreamErrorKind } from '@switchyard/plugin-api';
import type { Store } from '../store/types.js';
import type { CheckFailureAction, GatewayConfig } from '../config/schema.js';
import { systemClock, type Clock } from '../time/clock.js';

/** Waiting places per concurrency slot in the operator's default key queue. */
export const DEFAULT_QUEUE_PER_SLOT = 5;

/** Settings entry holding the runtime settings. */
export const RUNTIME_SETTINGS = 'gateway.settings';

/** The runtime settings as stored (every field optional; absent ones fall back to the config). */
export interface StoredRuntimeSettings {
  stickyTtlMs?: number;
  maxAttempts?: number;
  cooldownMs?: Record<string, number>;
  queue?: { enabled?: boolean; maxWaitMs?: number };
  requestLogRetentionDays?: number;
  /** Defaults of the scheduled account checks. */
  checks?: { intervalMinutes?: number; onFailure?: CheckFailureAction; cooldownMinutes?: number };
}

/** The check defaults in effect: stored values over the config's `checks`. */
export interface CheckDefaults {
  intervalMinutes: number;
  onFailure: CheckFailureAction;
  cooldownMinutes: number;
}

/** What the scheduler uses. */
export interface SchedulingSettings {
  stickyTtlMs: number;
  cooldownMs: Record<string, number>;
}

/** Reads {@link StoredRuntimeSettings} with a short cache. */
export class RuntimeSettings {
  private cached: { until: number; value: Promise<StoredRuntimeSettings> } | undefined;

  constructor(
    private readonly deps: {
      store: Pick<Store, 'settings'>;
      config: Pick<GatewayConfig, 'scheduling'> & Partial<Pick<GatewayConfig, 'checks'>>;
      /** How long a read is kept; default 30 s. */
      refreshMs?: number;
      /** Ages the cached read; default the system clock. */
      clock?: Clock;
    },
  ) {}

  /** The stored settings (an empty object when none or unreadable). */
  stored(): Promise<StoredRuntimeSettings> {
    const now = (this.deps.clock ?? systemClock).now();
    if (this.cached && this.cached.until > now) return this.cached.value;
    const value = this.deps.store.settings.get<StoredRuntimeSettings>(RUNTIME_SETTINGS).then(
      (stored) => (stored && typeof stored === 'object' ? stored : {}),
      () => ({}),
    );
    this.cached = { until: now + (this.deps.refreshMs ?? 30_000), value };
    return value;
  }

  /** Sticky TTL and cooldowns: stored values over the config's. */
  async scheduling(): Promise<SchedulingSettings> {
    const stored = await this.stored();
    const { scheduling } = this.deps.config;
    return {
      stickyTtlMs: validMs(stored.stickyTtlMs) ?? scheduling.stickyTtlMs,
      cooldownMs: { ...scheduling.cooldownMs, ...validCooldowns(stored.cooldownMs) },
    };
  }

  /** Most accounts one request tries: the stored value over the config's. */
  async maxAttempts(): Promise<number> {
    const stored = (await this.stored()).maxAttempts;
    return typeof stored === 'number' && Number.isInteger(stored) && stored >= 1
      ? stored
      : this.deps.config.scheduling.maxAttempts;
  }

  /**
   * The queue for keys with a concurrency limit but no queue of their own: when the
   * operator turned queueing on, such a key's requests wait up to `maxWaitMs` in a line
   * of up to {@link DEFAULT_QUEUE_PER_SLOT} per slot; undefined when it is off (default).
   */
  async defaultQueue(concurrency: number): Promise<{ size: number; timeoutMs: number } | undefined> {
    const queue = (await this.stored()).queue;
    if (!queue?.enabled) return undefined;
    return { size: concurrency * DEFAULT_QUEUE_PER_SLOT, timeoutMs: validMs(queue.maxWaitMs) ?? 30_000 };
  }

  /** The check defaults: the admin's over the config file's (absent there: off, `none`, 30 minutes). */
  async checkDefaults(): Promise<CheckDefaults> {
    const stored = (await this.stored()).checks ?? {};
    const configured = this.deps.config.checks;
    const minutes = (value: unknown, min: number): number | undefined =>
      typeof value === 'number' && Number.isInteger(value) && value >= min ? value : undefined;
    return {
      intervalMinutes: minutes(stored.intervalMinutes, 0) ?? configured?.intervalMinutes ?? 0,
      onFailure:
        stored.onFailure && ['none', 'pause', 'cooldown'].includes(stored.onFailure)
          ? stored.onFailure
          : (configured?.onFailure ?? 'none'),
      cooldownMinutes: minutes(stored.cooldownMinutes, 1) ?? configured?.cooldownMinutes ?? 30,
    };
  }

  /** The cooldown of one error kind. */
  async cooldownMs(kind: UpstreamErrorKind): Promise<number> {
    return (await this.scheduling()).cooldownMs[kind] ?? 0;
  }

  /** Forgets the cached read (call after saving the settings). */
  invalidate(): void {
    this.cached = undefined;
  }
}

function validMs(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function validCooldowns(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (!value || typeof value !== 'object') return out;
  for (const [kind, ms] of Object.entries(value)) {
    const valid = validMs(ms);
    if (valid !== undefined) out[kind] = valid;
  }
  return out;
}
