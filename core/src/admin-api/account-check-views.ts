/** Turns account checks and their policies into what the admin API answers with. */
import type { AccountCheckEntry } from '../store/types.js';
import { nextCheckAt, type EffectiveCheckPolicy } from '../checks/check-policy.js';
import type { AdminDeps } from './admin-deps.js';

/** A check with its time as an ISO string. */
export function checkView(entry: AccountCheckEntry) {
  return { ...entry, at: new Date(entry.at).toISOString(), latencyMs: Math.round(entry.latencyMs) };
}

/**
 * The policy in effect, whether the type can be checked, when the next scheduled check
 * is due (none for a disabled account: the schedule skips it) and the latest check.
 */
export function checkStatusView(
  policy: EffectiveCheckPolicy,
  latest: AccountCheckEntry | undefined,
  account: { canCheck: boolean; enabled: boolean },
  now: number,
) {
  const { canCheck } = account;
  const next = canCheck && account.enabled ? nextCheckAt(policy, latest, now) : undefined;
  return {
    ...policy,
    canCheck,
    ...(next !== undefined ? { nextAt: new Date(next).toISOString() } : {}),
    ...(latest ? { latest: checkView(latest) } : {}),
  };
}

/** The check status of each of the given accounts. */
export async function checkStatuses(
  deps: Pick<AdminDeps, 'accountChecks' | 'registry' | 'clock'>,
  accounts: readonly { id: string; type: string; enabled: boolean }[],
) {
  const ids = accounts.map((account) => account.id);
  const [policies, latest] = await Promise.all([deps.accountChecks.policies(ids), deps.accountChecks.latest(ids)]);
  const now = deps.clock.now();
  return new Map(
    accounts.map((account) => [
      account.id,
      checkStatusView(
        policies.get(account.id)!,
        latest.get(account.id),
        { canCheck: deps.registry.accountType(account.type)?.definition.probe !== undefined, enabled: account.enabled },
        now,
      ),
    ]),
  );
}
