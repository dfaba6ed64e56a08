/**
 * What the scheduler and the relay tell the notifications about accounts (implemented
 * by {@link Notifications}; optional everywhere, so the core runs without it).
 */
import type { AccountView, UpstreamError } from '@switchyard/plugin-api';

/** Observations of accounts, each returning at once (the work happens in the background). */
export interface AccountEvents {
  /** An attempt on the account failed with `error` (after it was classified). */
  accountFailed(account: AccountView, error: UpstreamError): void;
  /** The account answered a request. */
  accountServed(account: AccountView): void;
  /** The account was paused (by an admin, or by upstream's answer). */
  accountPaused(account: Pick<AccountView, 'id'> & Partial<AccountView>, detail: { by: string; reason?: string }): void;
  /** Refreshing the account's credentials failed. */
  tokenRefreshFailed(account: AccountView, error: unknown): void;
}
