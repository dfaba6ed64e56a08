/**
 * What a check does to its account. A failed check pauses the account (`onFailure:
 * 'pause'`) or cools it down for `cooldownMinutes` (`'cooldown'`, kind `check_failed`);
 * a passing check clears what an earlier check set, and only that: a pause marked
 * `by: 'check'` is resumed and a `check_failed` cooldown is cleared, while an operator's
 * pause or a cooldown that real traffic caused are left alone.
 */
import type { AccountControl } from '../scheduler/account-control.js';
import type { AccountCheckEntry, Store } from '../store/types.js';
import type { Clock } from '../time/clock.js';
import type { EffectiveCheckPolicy } from './check-policy.js';

/** The cooldown kind a failed check sets (shown in the admin and the account's recent errors). */
export const CHECK_COOLDOWN_KIND = 'check_failed';

/** What {@link applyCheckOutcome} needs. */
export interface ApplyCheckOutcomeDeps {
  control: Pick<AccountControl, 'get' | 'pause' | 'resume'>;
  store: Pick<Store, 'accountState'>;
  clock: Pick<Clock, 'now'>;
}

/** Applies the policy to one check's result; returns what it did, if anything. */
export async function applyCheckOutcome(
  deps: ApplyCheckOutcomeDeps,
  accountId: string,
  result: { ok: boolean; message?: string },
  policy: Pick<EffectiveCheckPolicy, 'onFailure' | 'cooldownMinutes'>,
): Promise<AccountCheckEntry['action']> {
  const now = deps.clock.now();
  const control = await deps.control.get(accountId);
  const state = (await deps.store.accountState.getMany([accountId])).get(accountId);
  const coolingDownUntil = state?.coolingDownUntil !== undefined && state.coolingDownUntil > now ? state.coolingDownUntil : 0;
  if (!result.ok) {
    const reason = `check failed: ${result.message ?? 'no message'}`;
    if (policy.onFailure === 'pause') {
      // An account paused already (by an operator, an upstream or an earlier check) stays as it is.
      if (control.paused) return undefined;
      await deps.control.pause(accountId, reason, 'check');
      return 'paused';
    }
    if (policy.onFailure === 'cooldown') {
      const until = now + policy.cooldownMinutes * 60_000;
      // A longer cooldown (a quota window, a ban) is not shortened.
      if (coolingDownUntil >= until) return undefined;
      await deps.store.accountState.setCooldown(accountId, until, CHECK_COOLDOWN_KIND, reason);
      return 'cooled-down';
    }
    return undefined;
  }
  let action: AccountCheckEntry['action'];
  if (control.paused?.by === 'check') {
    await deps.control.resume(accountId);
    action = 'resumed';
  }
  if (coolingDownUntil > 0 && state?.cooldownKind === CHECK_COOLDOWN_KIND) {
    await deps.store.accountState.clearCooldown(accountId);
    action ??= 'cooldown-cleared';
  }
  return action;
}
