/**
 * Account checks: runs an account type's probe for one account, records the result in the
 * account's check history (the last 100), applies the account's failure policy (pause or
 * cool down; a passing check clears what a check set) and tells listeners. Shared by the
 * scheduled runner and the admin's "check now".
 */
import type { Logger, ProbeResult } from '@switchyard/plugin-api';
import type { AccountCheckPolicy } from '../config/schema.js';
import type { AccountService } from '../accounts/account-service.js';
import { probeAccount, type ProbeAccountDeps } from '../accounts/probe-account.js';
import type { AccountControl } from '../scheduler/account-control.js';
import type { RuntimeSettings } from '../scheduler/runtime-settings.js';
import type { AccountCheckEntry, Store } from '../store/types.js';
import type { Clock } from '../time/clock.js';
import { applyCheckOutcome } from './apply-check-outcome.js';
import { effectiveCheckPolicy, type EffectiveCheckPolicy } from './check-policy.js';

/**
 * One finished check, as listeners get it. Emitted only by the instance that ran the
 * check, so across a Redis deployment each check is told once.
 */
export interface AccountCheckEvent {
  readonly accountId: string;
  readonly accountName: string;
  readonly accountType: string;
  /** The check as recorded (`entry.ok === false && entry.trigger === 'schedule'`: a scheduled check failed). */
  readonly entry: AccountCheckEntry;
  /** The account's check before this one, if any (compare `ok` to tell only of changes). */
  readonly previous?: AccountCheckEntry;
}

/** Called after every check; what it throws or rejects with is logged, never fails the check. */
export type AccountCheckListener = (event: AccountCheckEvent) => void | Promise<void>;

/** A check's result, or why there was none. */
export type CheckRunOutcome =
  | { status: 'checked'; entry: AccountCheckEntry }
  | { status: 'no-account' }
  | { status: 'no-account-type'; type: string }
  | { status: 'no-probe'; type: string };

/** What {@link AccountChecks} needs. */
export interface AccountChecksDeps extends Omit<ProbeAccountDeps, 'accounts'> {
  accounts: Pick<AccountService, 'resolve' | 'get'>;
  store: Pick<Store, 'accountChecks' | 'accountState'>;
  control: Pick<AccountControl, 'get' | 'all' | 'pause' | 'resume' | 'set'>;
  settings: Pick<RuntimeSettings, 'checkDefaults'>;
  clock: Pick<Clock, 'now'>;
  log: Logger;
  /** Longest a probe may take; default 30 s. */
  probeTimeoutMs?: number;
}

/** Runs, records and reports account checks. */
export class AccountChecks {
  private readonly listeners = new Set<AccountCheckListener>();

  constructor(private readonly deps: AccountChecksDeps) {}

  /**
   * Registers a listener for every finished check (scheduled or manual); returns a
   * function that removes it. The place to hang notifications such as "a scheduled
   * check failed".
   */
  onCheck(listener: AccountCheckListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The policy in effect for one account. */
  async policy(accountId: string): Promise<EffectiveCheckPolicy> {
    return effectiveCheckPolicy(await this.deps.settings.checkDefaults(), (await this.deps.control.get(accountId)).check);
  }

  /** The policies in effect for the given accounts. */
  async policies(ids: readonly string[]): Promise<Map<string, EffectiveCheckPolicy>> {
    const [defaults, controls] = await Promise.all([this.deps.settings.checkDefaults(), this.deps.control.all()]);
    return new Map(ids.map((id) => [id, effectiveCheckPolicy(defaults, controls.get(id)?.check)]));
  }

  /** Sets the account's own policy fields (`null` falls back to the default); shared by every instance. */
  async setPolicy(accountId: string, patch: { [K in keyof AccountCheckPolicy]?: AccountCheckPolicy[K] | null }): Promise<void> {
    const own: AccountCheckPolicy = { ...(await this.deps.control.get(accountId)).check };
    for (const [name, value] of Object.entries(patch) as [keyof AccountCheckPolicy, unknown][]) {
      if (value === null) delete own[name];
      else if (value !== undefined) (own as Record<string, unknown>)[name] = value;
    }
    await this.deps.control.set(accountId, { check: Object.keys(own).length ? own : undefined });
  }

  /** The account's checks, newest first. */
  history(accountId: string, limit?: number): Promise<AccountCheckEntry[]> {
    return this.deps.store.accountChecks.list(accountId, limit);
  }

  /** The newest check of each account that has one. */
  latest(ids: readonly string[]): Promise<Map<string, AccountCheckEntry>> {
    return this.deps.store.accountChecks.latest(ids);
  }

  /** Checks one account now: probe, policy, history, listeners. */
  async run(accountId: string, trigger: AccountCheckEntry['trigger']): Promise<CheckRunOutcome> {
    const { deps } = this;
    const account = await deps.accounts.get(accountId);
    if (!account) return { status: 'no-account' };
    const at = deps.clock.now();
    let result: ProbeResult;
    try {
      const outcome = await probeAccount(deps, accountId, deps.probeTimeoutMs);
      if (outcome.status !== 'probed') return outcome;
      result = outcome.result;
    } catch (error) {
      // E.g. credentials that no longer decrypt: the check ran and failed.
      deps.log.warn('account check could not run', { accountId, error });
      result = { ok: false, message: `the check could not run (${error instanceof Error ? error.name : 'error'})` };
    }
    const entry: AccountCheckEntry = { at, ok: result.ok, latencyMs: Math.max(0, deps.clock.now() - at), trigger };
    if (result.message !== undefined) entry.message = result.message.slice(0, 500);
    if (result.details !== undefined) entry.details = result.details;
    try {
      const action = await applyCheckOutcome(deps, accountId, result, await this.policy(accountId));
      if (action) entry.action = action;
    } catch (error) {
      deps.log.error('applying the account check policy failed', { accountId, error });
    }
    const previous = (await deps.store.accountChecks.latest([accountId])).get(accountId);
    await deps.store.accountChecks.append(accountId, entry);
    if (!entry.ok) deps.log.warn('account check failed', { accountId, trigger, message: entry.message, action: entry.action });
    this.emit({
      accountId,
      accountName: account.name,
      accountType: account.type,
      entry,
      ...(previous ? { previous } : {}),
    });
    return { status: 'checked', entry };
  }

  private emit(event: AccountCheckEvent): void {
    for (const listener of this.listeners) {
      try {
        void Promise.resolve(listener(event)).catch((error: unknown) =>
          this.deps.log.error('account check listener failed', { accountId: event.accountId, error }),
        );
      } catch (error) {
        this.deps.log.error('account check listener failed', { accountId: event.accountId, error });
      }
    }
  }
}
