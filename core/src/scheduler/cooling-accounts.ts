/**
 * The accounts' live state as planning reads it, without re-reading the accounts known to
 * be cooling down on every request (issue 22: hundreds of rate-limited accounts would cost
 * a read each, per request).
 */
import type { AccountState, AccountStateRepository } from '../store/types.js';

/** How long an account seen cooling down is taken to be still cooling down without checking again, ms. */
export const COOLING_RECHECK_MS = 200;

type States = Map<string, AccountState>;

/**
 * An account seen cooling down until T is taken to be cooling down for
 * {@link COOLING_RECHECK_MS} (or until T) without a read. When that time lapses, one check
 * serves every plan at that moment (they wait on the check in flight): it reads the
 * store's cooldowns version, and only if a cooldown was set or cleared since the last
 * check (here or on another instance) re-reads the lapsed accounts; otherwise they are
 * taken to cool down for another {@link COOLING_RECHECK_MS}. So the cost does not grow with
 * the number of cooling accounts, and a cooldown cleared early (an admin's reset, a passing
 * check) is seen within that time, as a pause or resume is through the controls' cache;
 * {@link forget} sees one cleared here at once.
 */
export class CoolingAccounts {
  /** Accounts last seen cooling down, and when that was last checked. */
  private readonly cooling = new Map<string, { state: AccountState; checkedAt: number }>();
  /** The cooldowns version of the last check that re-read the lapsed accounts. */
  private seenVersion: string | undefined;
  /** The check of lapsed accounts in flight. */
  private lapseCheck: Promise<void> | undefined;

  constructor(private readonly accountState: Pick<AccountStateRepository, 'getMany' | 'cooldownsVersion'>) {}

  /** The state of each of `ids` that has any (as `getMany`), reading only what is not known at `now`. */
  async statesOf(ids: readonly string[], now: number): Promise<States> {
    const known: States = new Map();
    let lapsed = false;
    for (const id of ids) {
      const cooling = this.cooling.get(id);
      if (cooling && cooling.state.coolingDownUntil! > now && cooling.checkedAt + COOLING_RECHECK_MS <= now) lapsed = true;
    }
    if (lapsed) await this.checkLapsed(now);
    const read: string[] = [];
    for (const id of ids) {
      const cooling = this.cooling.get(id);
      if (cooling && cooling.state.coolingDownUntil! > now && cooling.checkedAt + COOLING_RECHECK_MS > now)
        known.set(id, cooling.state);
      else read.push(id);
    }
    if (read.length === 0) return known;
    const states = await this.read(read, now);
    for (const [id, state] of known) states.set(id, state);
    return states;
  }

  /** Forgets that the account was seen cooling down (its cooldown was cleared here). */
  forget(id: string): void {
    this.cooling.delete(id);
  }

  /** One check of every lapsed account, shared by the plans that find them lapsed meanwhile. */
  private checkLapsed(now: number): Promise<void> {
    if (!this.lapseCheck) {
      const check = this.recheck(now);
      this.lapseCheck = check;
      const done = () => {
        if (this.lapseCheck === check) this.lapseCheck = undefined;
      };
      check.then(done, done);
    }
    return this.lapseCheck;
  }

  private async recheck(now: number): Promise<void> {
    // Read before the accounts: a change after it is seen by the next check.
    const version = await this.accountState.cooldownsVersion();
    const lapsed: string[] = [];
    for (const [id, cooling] of this.cooling)
      if (cooling.state.coolingDownUntil! > now && cooling.checkedAt + COOLING_RECHECK_MS <= now) lapsed.push(id);
    if (version === this.seenVersion) {
      for (const id of lapsed) this.cooling.get(id)!.checkedAt = now;
      return;
    }
    if (lapsed.length > 0) await this.read(lapsed, now);
    this.seenVersion = version;
  }

  /** Reads `ids` and notes which are cooling down as of `now` (when the read began). */
  private async read(ids: readonly string[], now: number): Promise<States> {
    const states = await this.accountState.getMany(ids);
    for (const id of ids) {
      const state = states.get(id);
      if (state?.coolingDownUntil && state.coolingDownUntil > now) this.cooling.set(id, { state, checkedAt: now });
      else this.cooling.delete(id);
    }
    return states;
  }
}
