/**
 * An account's check policy in effect: its own (`scheduling.accounts.<id>.check` in the
 * config, or what the admin set) over the defaults (the admin's runtime settings over the
 * config's `checks`), and whether a check is due.
 */
import type { AccountCheckPolicy, CheckFailureAction } from '../config/schema.js';
import type { CheckDefaults } from '../scheduler/runtime-settings.js';
import type { AccountCheckEntry } from '../store/types.js';

/** The policy one account's checks follow. */
export interface EffectiveCheckPolicy {
  /** Minutes between scheduled checks; 0: none. */
  intervalMinutes: number;
  onFailure: CheckFailureAction;
  cooldownMinutes: number;
  /** True when the account sets its own interval (false: the default's). */
  ownInterval: boolean;
}

/** Merges an account's own policy over the defaults. */
export function effectiveCheckPolicy(defaults: CheckDefaults, own: AccountCheckPolicy | undefined): EffectiveCheckPolicy {
  return {
    intervalMinutes: own?.intervalMinutes ?? defaults.intervalMinutes,
    onFailure: own?.onFailure ?? defaults.onFailure,
    cooldownMinutes: own?.cooldownMinutes ?? defaults.cooldownMinutes,
    ownInterval: own?.intervalMinutes !== undefined,
  };
}

/**
 * True when an account with `policy` is due a scheduled check at `now`: its interval is
 * on and it was never checked, or its latest check (scheduled or manual) started at least
 * one interval ago.
 */
export function isCheckDue(
  policy: Pick<EffectiveCheckPolicy, 'intervalMinutes'>,
  latest: AccountCheckEntry | undefined,
  now: number,
) {
  if (policy.intervalMinutes <= 0) return false;
  return latest === undefined || now - latest.at >= policy.intervalMinutes * 60_000;
}

/** When the next scheduled check is due (epoch ms), or undefined when checks are off. */
export function nextCheckAt(
  policy: Pick<EffectiveCheckPolicy, 'intervalMinutes'>,
  latest: AccountCheckEntry | undefined,
  now: number,
) {
  if (policy.intervalMinutes <= 0) return undefined;
  return latest === undefined ? now : Math.max(now, latest.at + policy.intervalMinutes * 60_000);
}
