/**
 * Turns the account service's summaries and the store's live state into what the admin
 * API answers with.
 */
import type { AccountSummary } from '../accounts/account-types.js';
import type { AccountErrorEntry, AccountState } from '../store/types.js';
import type { AdminDeps } from './admin-deps.js';
import { checkStatuses } from './account-check-views.js';
import { schedulingOf } from './account-scheduling.js';

/** Live state with epoch times as ISO strings; an elapsed cooldown is dropped. */
export function stateView(state: AccountState | undefined, now = Date.now(), errors: readonly AccountErrorEntry[] = []) {
  const view: {
    coolingDownUntil?: string;
    cooldownKind?: string;
    lastUsedAt?: string;
    lastError?: { at: string; kind: string; message: string };
    recentErrors?: { at: string; kind: string; message: string }[];
  } = {};
  if (errors.length) view.recentErrors = errors.map((entry) => ({ ...entry, at: new Date(entry.at).toISOString() }));
  if (!state) return view;
  if (state.coolingDownUntil !== undefined && state.coolingDownUntil > now) {
    view.coolingDownUntil = new Date(state.coolingDownUntil).toISOString();
    if (state.cooldownKind !== undefined) view.cooldownKind = state.cooldownKind;
  }
  if (state.lastUsedAt !== undefined) view.lastUsedAt = new Date(state.lastUsedAt).toISOString();
  if (state.lastError) view.lastError = { ...state.lastError, at: new Date(state.lastError.at).toISOString() };
  return view;
}

/**
 * Summaries of the given accounts with their live state, their scheduling controls, their
 * checks' policy and latest result and, when paused through the scheduler's account control (shared by every
 * instance), since when, why and by whom.
 */
export async function withState(
  deps: Pick<AdminDeps, 'store' | 'scheduler' | 'clock' | 'accountChecks' | 'registry' | 'config'>,
  summaries: AccountSummary[],
) {
  const ids = summaries.map((summary) => summary.id);
  const [states, errors, controls, checks, scheduling] = await Promise.all([
    deps.store.accountState.getMany(ids),
    deps.store.accountState.recentErrors(ids),
    deps.scheduler.control.all(),
    checkStatuses(deps, summaries),
    schedulingOf(deps, ids),
  ]);
  return summaries.map((summary) => {
    const paused = controls.get(summary.id)?.paused;
    return {
      ...summary,
      ...(paused ? { paused } : {}),
      state: stateView(states.get(summary.id), deps.clock.now(), errors.get(summary.id)),
      check: checks.get(summary.id)!,
      scheduling: scheduling.get(summary.id)!,
    };
  });
}
