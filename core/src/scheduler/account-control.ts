/**
 * Operator controls of accounts that the scheduler honours, shared through the store:
 * paused (left out until resumed), dedicated (only keys bound to the account or one of
 * its groups use it), selection weight and per-account cooldowns. Defaults come from
 * the config's `scheduling.accounts`; what the admin sets at run time wins.
 */
import type { UpstreamErrorKind } from '@switchyard/plugin-api';
import type { Store } from '../store/types.js';
import type { AccountCheckPolicy, GatewayConfig } from '../config/schema.js';
import { systemClock, type Clock } from '../time/clock.js';

/** The setting the run-time controls are stored under (account id → controls). */
export const ACCOUNT_CONTROL_SETTING = 'scheduling.accountControl';

/** One account's controls. */
export interface AccountControlEntry {
  /** Set while paused; `by: 'check'` when a failed scheduled check paused it (a passing check resumes it). */
  paused?: { at: string; reason?: string; by?: 'check' };
  dedicated?: boolean;
  weight?: number;
  cooldownMs?: Partial<Record<UpstreamErrorKind, number>>;
  /** Serial pacing of new user turns (see docs/limits.md). */
  pacing?: { minGapMs: number; timeoutMs: number };
  /** The account's scheduled checks (absent fields: the defaults). */
  check?: AccountCheckPolicy;
}

/** What {@link AccountControl} needs. */
export interface AccountControlDeps {
  store: Pick<Store, 'settings' | 'accountState'>;
  config: Pick<GatewayConfig, 'scheduling'>;
  /** How long a read is cached; default 200 ms (writes through this instance clear it). */
  cacheMs?: number;
  /** Ages the cached read and dates pauses; default the system clock. */
  clock?: Clock;
}

/** Reads and changes account controls. */
export class AccountControl {
  private cached: { until: number; value: Promise<Map<string, AccountControlEntry>> } | undefined;

  constructor(private readonly deps: AccountControlDeps) {}

  /** Effective controls of every account that has any (config defaults merged with stored ones). */
  all(): Promise<Map<string, AccountControlEntry>> {
    const now = (this.deps.clock ?? systemClock).now();
    if (this.cached && this.cached.until > now) return this.cached.value;
    const value = this.read();
    this.cached = { until: now + (this.deps.cacheMs ?? 200), value };
    value.catch(() => (this.cached = undefined));
    return value;
  }

  async get(id: string): Promise<AccountControlEntry> {
    return (await this.all()).get(id) ?? {};
  }

  /** Leaves the account out of scheduling until {@link resume}; `by: 'check'` marks a pause a failed check made. */
  pause(id: string, reason?: string, by?: 'check'): Promise<void> {
    return this.change(id, (entry) => ({
      ...entry,
      paused: {
        at: new Date((this.deps.clock ?? systemClock).now()).toISOString(),
        ...(reason ? { reason } : {}),
        ...(by ? { by } : {}),
      },
    }));
  }

  resume(id: string): Promise<void> {
    return this.change(id, ({ paused: _paused, ...entry }) => entry);
  }

  /** Clears the account's cooldown (and a pause) so it is scheduled again at once. */
  async reset(id: string): Promise<void> {
    await this.resume(id);
    await this.deps.store.accountState.clearCooldown(id);
    for (const listener of this.cooldownCleared) listener(id);
  }

  /** Told after {@link reset} cleared an account's cooldown (the scheduler forgets it saw the account cooling down). */
  readonly cooldownCleared = new Set<(id: string) => void>();

  /** The controls set at run time (without the config's defaults), by account id. */
  async stored(): Promise<Map<string, AccountControlEntry>> {
    const stored = (await this.deps.store.settings.get<Record<string, AccountControlEntry>>(ACCOUNT_CONTROL_SETTING)) ?? {};
    return new Map(Object.entries(stored));
  }

  /** Sets (or with undefined, clears) the run-time controls other than pause. */
  set(id: string, patch: Pick<AccountControlEntry, 'dedicated' | 'weight' | 'cooldownMs' | 'pacing' | 'check'>): Promise<void> {
    return this.change(id, (entry) => {
      const next: AccountControlEntry = { ...entry };
      for (const [name, value] of Object.entries(patch) as [keyof AccountControlEntry, unknown][]) {
        if (value === undefined) delete next[name];
        else (next as Record<string, unknown>)[name] = value;
      }
      return next;
    });
  }

  private async change(id: string, update: (entry: AccountControlEntry) => AccountControlEntry): Promise<void> {
    const stored = (await this.deps.store.settings.get<Record<string, AccountControlEntry>>(ACCOUNT_CONTROL_SETTING)) ?? {};
    const next = update(stored[id] ?? {});
    if (Object.keys(next).length === 0) delete stored[id];
    else stored[id] = next;
    await this.deps.store.settings.set(ACCOUNT_CONTROL_SETTING, stored);
    this.cached = undefined;
  }

  private async read(): Promise<Map<string, AccountControlEntry>> {
    const stored = (await this.deps.store.settings.get<Record<string, AccountControlEntry>>(ACCOUNT_CONTROL_SETTING)) ?? {};
    const out = new Map<string, AccountControlEntry>();
    const configured = this.deps.config.scheduling.accounts;
    for (const id of new Set([...Object.keys(configured), ...Object.keys(stored)])) {
      const base = configured[id] ?? {};
      const own = stored[id] ?? {};
      out.set(id, {
        ...(base as AccountControlEntry),
        ...own,
        cooldownMs: { ...base.cooldownMs, ...own.cooldownMs },
        ...(base.check || own.check ? { check: { ...base.check, ...own.check } } : {}),
      });
    }
    return out;
  }
}
