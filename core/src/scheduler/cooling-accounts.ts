/**
 * The accounts' live state as planning reads it, without re-reading the accounts known to
 * be cooling down on every request (issue 22: hundreds of rate-limited accounts would cost
 * a read each, per request).
 */
import type { AccountState, AccountStateRepository } from '../store/types.js';

/** How long an account seen cooling down is taken to be still cooling down without reading its state again, ms. */
export const COOLING_RECHECK_MS = 200;

type States = Map<string, AccountState>;

/**
 * An account seen cooling down until T is not read again for {@link COOLING_RECHECK_MS}
 * (or until T). When that time lapses, it is read again once: concurrent plans wait on
 * the read already in flight instead of each reading every lapsed account in that read's
 * round trip. A cooldown cleared early (an admin's reset, a passing check) is seen within
 * that time, as a pause or resume is through the controls' cache; {@link forget} sees it at once.
 */
export class CoolingAccounts {
  /** Accounts last seen cooling down, and when. */
  private readonly cooling = new Map<string, { state: AccountState; checkedAt: number }>();
  /** Reads of lapsed cooling accounts in flight, by account id. */
  private readonly rechecks = new Map<string, Promise<States>>();

  constructor(private readonly accountState: Pick<AccountStateRepository, 'getMany'>) {}

  /** The state of each of `ids` that has any (as `getMany`), reading only what is not known at `now`. */
  async statesOf(ids: readonly string[], now: number): Promise<States> {
    const read: string[] = [];
    const recheck: string[] = [];
    const shared = new Set<Promise<States>>();
    const known: States = new Map();
    for (const id of ids) {
      const cooling = this.cooling.get(id);
      if (!cooling) read.push(id);
      else if (cooling.state.coolingDownUntil! > now && cooling.checkedAt + COOLING_RECHECK_MS > now)
        known.set(id, cooling.state);
      else if (this.rechecks.has(id)) shared.add(this.rechecks.get(id)!);
      else recheck.push(id);
    }
    if (read.length === 0 && recheck.length === 0 && shared.size === 0) return known;
    const own = read.length || recheck.length ? this.read([...read, ...recheck], now) : undefined;
    if (own && recheck.length) {
      for (const id of recheck) this.rechecks.set(id, own);
      const done = () => {
        for (const id of recheck) if (this.rechecks.get(id) === own) this.rechecks.delete(id);
      };
      own.then(done, done);
    }
    const batches = await Promise.all(own ? [own, ...shared] : [...shared]);
    if (batches.length === 1 && shared.size === 0 && known.size === 0) return batches[0]!;
    // A shared read holds other plans' accounts too: keep the asked ones.
    const wanted = new Set(ids);
    const states: States = new Map();
    for (const batch of batches) for (const [id, state] of batch) if (wanted.has(id)) states.set(id, state);
    for (const [id, state] of known) states.set(id, state);
    return states;
  }

  /** Forgets that the account was seen cooling down (its cooldown was cleared here). */
  forget(id: string): void {
    this.cooling.delete(id);
    this.rechecks.delete(id);
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
