/** Scrape-time account gauges: accounts by state and live leases per account. */
import type { PluginRegistry } from '../plugins/registry-types.js';
import type { AccountRecord, Store } from '../store/types.js';
import { systemClock, type Clock } from '../time/clock.js';

/** What the gauges read. */
export interface AccountGaugeDeps {
  store: Store;
  registry: PluginRegistry;
  listAccounts(): Promise<AccountRecord[]>;
  /** Tells cooling down from active; default the system clock. */
  clock?: Clock;
}

/** Accounts by state, as `/health` counts them. */
export async function accountStates(deps: AccountGaugeDeps): Promise<Record<string, number>> {
  const records = await deps.listAccounts();
  const states = await deps.store.accountState.getMany(records.map((record) => record.id));
  const now = (deps.clock ?? systemClock).now();
  const counts: Record<string, number> = { active: 0, cooling_down: 0, disabled: 0, unknown_type: 0 };
  for (const record of records) {
    const state = !record.enabled
      ? 'disabled'
      : !deps.registry.accountType(record.type)
        ? 'unknown_type'
        : (states.get(record.id)?.coolingDownUntil ?? 0) > now
          ? 'cooling_down'
          : 'active';
    counts[state] = (counts[state] ?? 0) + 1;
  }
  return counts;
}

/** Live leases per account id (scope `account:<id>`). */
export async function accountLeases(deps: AccountGaugeDeps): Promise<Record<string, number>> {
  const records = await deps.listAccounts();
  const counts = await Promise.all(records.map((record) => deps.store.leases.count(`account:${record.id}`)));
  return Object.fromEntries(records.map((record, i) => [record.id, counts[i] ?? 0]));
}
