/**
 * Turns what accounts do into one notification per change of state, however often the
 * same thing happens and on however many instances: the last notified state of each
 * account is shared through the store (`notifications.account.<id>` with a generation),
 * and a change from generation N is claimed with an atomic counter, so when several
 * requests or instances see the same 429 only the first announces it, and a flapping
 * account sends one message per change (rate-limited, then recovered, ...), not per
 * request. Changes of one account are handled in order within an instance.
 */
import type { Logger } from '@switchyard/plugin-api';
import type { Store } from '../store/types.js';
import type { Clock } from '../time/clock.js';
import type { NotificationEventName } from './notification-event.js';

/** The states an account is notified about. */
export type AccountHealthState = 'ok' | 'rate_limited' | 'auth_failed' | 'token_refresh_failed' | 'paused' | 'check_failed';

/** The event announcing each state. */
const EVENT_OF: Record<AccountHealthState, NotificationEventName> = {
  ok: 'account.recovered',
  rate_limited: 'account.rate_limited',
  auth_failed: 'account.auth_failed',
  token_refresh_failed: 'account.token_refresh_failed',
  paused: 'account.paused',
  check_failed: 'account.check_failed',
};

/** The stored last-notified state of an account. */
interface StoredHealth {
  state: AccountHealthState;
  gen: number;
  /** ISO 8601: when it entered the state. */
  since?: string;
}

/** The account an observation is about. */
export interface AccountRef {
  id: string;
  name?: string;
  type?: string;
}

/** What the tracker needs. */
export interface AccountHealthDeps {
  store: Pick<Store, 'settings' | 'counters'>;
  clock: Clock;
  log: Logger;
  /** Announces a change (the event id is the same on every instance). */
  announce(event: NotificationEventName, id: string, data: Record<string, unknown>): void;
  /** How long an instance trusts its own reading of an `ok` account before re-reading the store; default 5 s. */
  cacheMs?: number;
}

const SETTING = (id: string) => `notifications.account.${id}`;
const CLAIM_TTL_MS = 30 * 86_400_000;

/** Whether moving from `current` to `next` is no news. */
function same(current: AccountHealthState, next: AccountHealthState): boolean {
  if (current === next) return true;
  // A failed refresh fails the request as auth_failed: the same trouble.
  if (current === 'token_refresh_failed' && next === 'auth_failed') return true;
  return false;
}

export class AccountHealth {
  private readonly known = new Map<string, { value: StoredHealth; readAt: number }>();
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly deps: AccountHealthDeps) {}

  /** The account is in `state` (`ok`: it served); announces it when that is a change. */
  observe(account: AccountRef, state: AccountHealthState, detail: Record<string, unknown> = {}): Promise<void> {
    if (state === 'ok') {
      const known = this.known.get(account.id);
      const fresh = known && this.deps.clock.now() - known.readAt < (this.deps.cacheMs ?? 5000);
      if (fresh && known.value.state === 'ok') return Promise.resolve();
    }
    const previous = this.chains.get(account.id) ?? Promise.resolve();
    const next = previous
      .then(() => this.change(account, state, detail))
      .catch((error: unknown) => this.deps.log.warn('account notification state not updated', { account: account.id, error }));
    this.chains.set(account.id, next);
    void next.finally(() => {
      if (this.chains.get(account.id) === next) this.chains.delete(account.id);
    });
    return next;
  }

  private async change(account: AccountRef, state: AccountHealthState, detail: Record<string, unknown>): Promise<void> {
    const { store, clock } = this.deps;
    const current = (await store.settings.get<StoredHealth>(SETTING(account.id))) ?? { state: 'ok', gen: 0 };
    this.known.set(account.id, { value: current, readAt: clock.now() });
    if (same(current.state, state)) return;
    // The first to move the account on from this generation announces it.
    if ((await store.counters.incr(`notify:account:${account.id}:${current.gen}`, 1, CLAIM_TTL_MS)) !== 1) {
      this.known.delete(account.id);
      return;
    }
    const at = new Date(clock.now()).toISOString();
    const value: StoredHealth = { state, gen: current.gen + 1, since: at };
    await store.settings.set(SETTING(account.id), value);
    this.known.set(account.id, { value, readAt: clock.now() });
    const data: Record<string, unknown> = {
      account: account.id,
      ...(account.name ? { name: account.name } : {}),
      ...(account.type ? { type: account.type } : {}),
      ...detail,
    };
    if (state === 'ok') {
      data.previous = current.state;
      if (current.since) data.since = current.since;
    }
    this.deps.announce(EVENT_OF[state], `account:${account.id}:${value.gen}`, data);
  }
}
