/**
 * Refreshes an account's credentials when its type says they are due, under a lock
 * every gateway instance honours (a lease of one in scope `refresh:<accountId>`), so
 * a token is refreshed once even when many requests and instances notice at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { AccountContext, Logger, PluginKv } from '../plugin-api/index.js';
import type { HttpClient } from '../plugin-api/index.js';
import type { LeaseRepository } from '../store/types.js';
import type { RegisteredAccountType } from '../plugins/registry-types.js';
import type { AccountResolver, ResolvedAccount } from './resolved-account.js';

const LOCK_TTL_MS = 60_000;
const WAIT_STEP_MS = 200;
const MAX_WAIT_MS = 15_000;

export interface RefreshDeps {
  leases: LeaseRepository;
  accounts: AccountResolver;
  http: HttpClient;
  kv: PluginKv;
  log: Logger;
  signal: AbortSignal;
  holder: string;
}

/** Returns the account with fresh credentials (the same one when no refresh was due). */
export async function ensureFreshCredentials(
  account: ResolvedAccount,
  accountType: RegisteredAccountType,
  deps: RefreshDeps,
): Promise<ResolvedAccount> {
  const refresher = accountType.definition.refresh;
  if (!refresher || !refresher.isDue(account.credentials, new Date())) return account;
  const scope = `refresh:${account.record.id}`;
  const deadline = Date.now() + MAX_WAIT_MS;
  while (!(await deps.leases.acquire(scope, deps.holder, 1, LOCK_TTL_MS))) {
    // Someone else refreshes: wait for them, then use what they stored.
    if (Date.now() > deadline || deps.signal.aborted) return account;
    await sleep(WAIT_STEP_MS, undefined, { signal: deps.signal }).catch(() => undefined);
    const current = await deps.accounts.resolve(account.record.id);
    if (current && !refresher.isDue(current.credentials, new Date())) return current;
  }
  try {
    const current = (await deps.accounts.resolve(account.record.id)) ?? account;
    if (!refresher.isDue(current.credentials, new Date())) return current;
    const context: AccountContext<Record<string, unknown>> = {
      account: current.view,
      credentials: current.credentials,
      http: deps.http,
      signal: deps.signal,
      log: deps.log,
      kv: deps.kv,
    };
    const changes = await refresher.refresh(context);
    await deps.accounts.saveRefreshedCredentials(current.record.id, changes);
    deps.log.info('account credentials refreshed', { account: current.record.id });
    return (await deps.accounts.resolve(current.record.id)) ?? current;
  } finally {
    await deps.leases.release(scope, deps.holder);
  }
}
