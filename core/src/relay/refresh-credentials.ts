/**
 * Refreshes an account's credentials when its type says they are due, under a lock
 * every gateway instance honours (a lease of one in scope `refresh:<accountId>`), so
 * a token is refreshed once even when many requests and instances notice at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { AccountContext, Logger, PluginKv } from '@switchyard/plugin-api';
import type { HttpClient } from '@switchyard/plugin-api';
import { UpstreamError } from '@switchyard/plugin-api';
import type { AccountStateRepository, LeaseRepository } from '../store/types.js';
import type { RegisteredAccountType } from '../plugins/registry-types.js';
import type { AccountResolver, ResolvedAccount } from './resolved-account.js';
import { systemClock, type Clock } from '../time/clock.js';

/** Longest a refresh call may take; independent of the client that triggered it. */
const REFRESH_TIMEOUT_MS = 30_000;
/** Outlives the refresh, so a second holder never overlaps a slow first one. */
const LOCK_TTL_MS = REFRESH_TIMEOUT_MS + 15_000;
const WAIT_STEP_MS = 200;
/** Waiters wait as long as a refresh may take, then a little. */
const MAX_WAIT_MS = REFRESH_TIMEOUT_MS + 5_000;

export interface RefreshDeps {
  leases: LeaseRepository;
  accountState: AccountStateRepository;
  accounts: AccountResolver;
  http: HttpClient;
  kv: PluginKv;
  log: Logger;
  /** The waiting client's signal: a waiter gives up when its client leaves. */
  signal: AbortSignal;
  holder: string;
  /** Whether credentials are due and a refresh failure still cools down; default the system clock. The wait for another holder's refresh is real time. */
  clock?: Clock;
  /** Called when the account type's refresh itself failed (not a refusal after a recent failure). */
  onRefreshFailed?(error: unknown): void;
}

/** Refuses to refresh again while an earlier refresh failure cools the account down. */
async function refuseAfterRecentFailure(accountId: string, deps: RefreshDeps): Promise<void> {
  const state = (await deps.accountState.getMany([accountId])).get(accountId);
  if (state?.cooldownKind === 'auth_failed' && (state.coolingDownUntil ?? 0) > (deps.clock ?? systemClock).now()) {
    throw new UpstreamError('auth_failed', 'credential refresh failed recently; waiting for the cooldown');
  }
}

/** Returns the account with fresh credentials (the same one when no refresh was due). */
export async function ensureFreshCredentials(
  account: ResolvedAccount,
  accountType: RegisteredAccountType,
  deps: RefreshDeps,
): Promise<ResolvedAccount> {
  const refresher = accountType.definition.refresh;
  if (!refresher || !refresher.isDue(account.credentials, new Date((deps.clock ?? systemClock).now()))) return account;
  const scope = `refresh:${account.record.id}`;
  const deadline = Date.now() + MAX_WAIT_MS;
  while (!(await deps.leases.acquire(scope, deps.holder, 1, LOCK_TTL_MS))) {
    // Someone else refreshes: wait for them, then use what they stored.
    if (Date.now() > deadline || deps.signal.aborted) return account;
    await sleep(WAIT_STEP_MS, undefined, { signal: deps.signal }).catch(() => undefined);
    const current = await deps.accounts.resolve(account.record.id);
    if (current && !refresher.isDue(current.credentials, new Date((deps.clock ?? systemClock).now()))) return current;
  }
  try {
    const current = (await deps.accounts.resolve(account.record.id)) ?? account;
    if (!refresher.isDue(current.credentials, new Date((deps.clock ?? systemClock).now()))) return current;
    await refuseAfterRecentFailure(current.record.id, deps);
    // Not the client's signal: a provider that rotates refresh tokens invalidates the old
    // one as soon as it answers, so an abandoned refresh would lose the new tokens.
    const context: AccountContext<Record<string, unknown>> = {
      account: current.view,
      credentials: current.credentials,
      http: deps.http,
      signal: AbortSignal.timeout(REFRESH_TIMEOUT_MS),
      log: deps.log,
      kv: deps.kv,
    };
    let changes: Awaited<ReturnType<typeof refresher.refresh>>;
    try {
      changes = await refresher.refresh(context);
    } catch (error) {
      deps.onRefreshFailed?.(error);
      throw error;
    }
    await deps.accounts.saveRefreshedCredentials(current.record.id, changes);
    deps.log.info('account credentials refreshed', { account: current.record.id });
    return (await deps.accounts.resolve(current.record.id)) ?? current;
  } finally {
    await deps.leases.release(scope, deps.holder);
  }
}
