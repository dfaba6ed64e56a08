/**
 * The notifications service (the container's `notifications`): the event bus the rest
 * of the gateway reports to, and the one place that decides whether, and to whom, an
 * event is sent. Each event carries an id that is the same on every instance for the
 * same occurrence; the first instance to claim the id (an atomic counter in the store:
 * Redis across instances, in process for the embedded store) delivers it, so it is sent
 * once however many instances saw it.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AccountView, LogFields, Logger, UpstreamError } from '@switchyard/plugin-api';
import type { KeyRecord, Store } from '../store/types.js';
import type { KeyLimits } from '../limits/key-limits-schema.js';
import { redact } from '../logging/create-logger.js';
import type { Clock, ClockTimer } from '../time/clock.js';
import type { AccountEvents } from './account-events.js';
import { AccountHealth, type AccountHealthState, type AccountRef } from './account-health.js';
import type { NotificationTarget, NotificationsConfig } from './notification-config-schema.js';
import { NotificationDispatcher } from './notification-dispatcher.js';
import { eventSelected, type NotificationEvent, type NotificationEventName } from './notification-event.js';
import { TargetDirectory } from './target-directory.js';
import { checkKeyQuota } from './key-quota-watch.js';
import { checkKeyExpiry } from './key-expiry-watch.js';

/** What the service needs. */
export interface NotificationsDeps {
  config: NotificationsConfig;
  store: Pick<Store, 'settings' | 'counters' | 'meters' | 'keys'>;
  clock: Clock;
  log: Logger;
  /** The admin's targets, decrypted; absent: only the config file's. */
  storedTargets?: () => Promise<NotificationTarget[]>;
}

/** Options of {@link Notifications.emit}. */
export interface EmitOptions {
  /** The occurrence's id, the same on every instance; default a random one (sent by whoever emits it). */
  id?: string;
  /** How long the claim of the id is remembered; default one day. */
  claimTtlMs?: number;
}

/** Fields of an error log line copied into `gateway.error` (after redaction). */
const ERROR_FIELDS = ['requestId', 'plugin', 'task', 'hook', 'sink', 'account', 'accountId', 'keyId', 'route'];

/** The account state an upstream error kind puts the account in (none: not worth a message). */
function stateOf(kind: UpstreamError['kind']): AccountHealthState | undefined {
  if (kind === 'rate_limited' || kind === 'quota_exhausted') return 'rate_limited';
  if (kind === 'auth_failed' || kind === 'forbidden') return 'auth_failed';
  return undefined;
}

function ref(account: Pick<AccountView, 'id'> & Partial<AccountView>): AccountRef {
  return { id: account.id, ...(account.name ? { name: account.name } : {}), ...(account.type ? { type: account.type } : {}) };
}

export class Notifications implements AccountEvents {
  readonly targets: TargetDirectory;
  private readonly dispatcher: NotificationDispatcher;
  private readonly health: AccountHealth;
  private readonly working = new Set<Promise<unknown>>();
  private readonly lastErrors = new Map<string, number>();
  private expiryTimer: ClockTimer | undefined;

  constructor(private readonly deps: NotificationsDeps) {
    this.targets = new TargetDirectory({
      configured: deps.config.targets,
      ...(deps.storedTargets ? { stored: deps.storedTargets } : {}),
      clock: deps.clock,
    });
    this.dispatcher = new NotificationDispatcher({ clock: deps.clock, log: deps.log, retry: deps.config.retry });
    this.health = new AccountHealth({
      store: deps.store,
      clock: deps.clock,
      log: deps.log,
      announce: (event, id, data) => this.emit(event, data, { id, claimTtlMs: 30 * 86_400_000 }),
    });
  }

  /** Sends `event` to the targets that selected it (once across instances per id); returns at once. */
  emit(event: NotificationEventName, data: Record<string, unknown>, options: EmitOptions = {}): void {
    if (!this.deps.config.enabled) return;
    this.track(this.publish(event, data, options));
  }

  accountFailed(account: AccountView, error: UpstreamError): void {
    const state = stateOf(error.kind);
    if (!state || !this.listening()) return;
    this.track(
      this.health.observe(ref(account), state, {
        kind: error.kind,
        ...(error.status ? { status: error.status } : {}),
        message: error.message,
        ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
      }),
    );
  }

  accountServed(account: AccountView): void {
    if (!this.listening()) return;
    this.track(this.health.observe(ref(account), 'ok'));
  }

  accountPaused(account: Pick<AccountView, 'id'> & Partial<AccountView>, detail: { by: string; reason?: string }): void {
    if (!this.listening()) return;
    this.track(this.health.observe(ref(account), 'paused', { ...detail }));
  }

  tokenRefreshFailed(account: AccountView, error: unknown): void {
    if (!this.listening()) return;
    const message = error instanceof Error ? error.message : String(error);
    this.track(this.health.observe(ref(account), 'token_refresh_failed', { message }));
  }

  /**
   * A scheduled check of the account failed (`account.check_failed`, once per change like
   * the other account events; a later success of the account announces its recovery).
   */
  accountCheckFailed(account: AccountRef, detail: { message: string } & Record<string, unknown>): void {
    if (!this.listening()) return;
    this.track(this.health.observe(account, 'check_failed', detail));
  }

  /** A scheduled check of the account passed: announces a recovery when it was failing. */
  accountCheckPassed(account: AccountRef): void {
    if (!this.listening()) return;
    this.track(this.health.observe(account, 'ok'));
  }

  /** The key's usage was just charged: warns when its spend crossed a cost cap's threshold. */
  keyCharged(key: KeyRecord, limits: KeyLimits): void {
    if (!limits.costUsd || !this.listening()) return;
    this.track(
      checkKeyQuota(
        {
          meters: this.deps.store.meters,
          now: () => this.deps.clock.now(),
          warningPercent: this.deps.config.quotaWarningPercent,
          emit: (event, data, options) => this.emit(event, data, options),
        },
        key,
        limits,
      ),
    );
  }

  /** An error the gateway logged: `gateway.error`, at most once per message and window across instances. */
  gatewayError(message: string, fields: LogFields): void {
    if (!this.listening()) return;
    const window = this.deps.config.gatewayErrorWindowMs;
    const slot = Math.floor(this.deps.clock.now() / window);
    if (this.lastErrors.get(message) === slot) return;
    this.lastErrors.set(message, slot);
    if (this.lastErrors.size > 500) this.lastErrors.delete(this.lastErrors.keys().next().value!);
    const safe = redact(fields) as Record<string, unknown>;
    const data: Record<string, unknown> = { message };
    for (const name of ERROR_FIELDS)
      if (typeof safe[name] === 'string' || typeof safe[name] === 'number') data[name] = safe[name];
    const error = safe.error as { message?: unknown } | string | undefined;
    if (typeof error === 'string') data.error = error;
    else if (typeof error?.message === 'string') data.error = error.message;
    const digest = createHash('sha256').update(message).digest('hex').slice(0, 16);
    this.emit('gateway.error', data, { id: `gateway.error:${digest}:${slot}`, claimTtlMs: 2 * window });
  }

  /** Starts the key expiry check (now, then every `keyExpiryCheckIntervalMs`). */
  start(): void {
    const run = () => {
      if (!this.listening()) return;
      this.track(
        checkKeyExpiry({
          listKeys: () => this.deps.store.keys.list(),
          now: () => this.deps.clock.now(),
          days: this.deps.config.keyExpiryDays,
          emit: (event, data, options) => this.emit(event, data, options),
        }),
      );
    };
    this.expiryTimer = this.deps.clock.setInterval(run, this.deps.config.keyExpiryCheckIntervalMs);
    // The stored targets are read first, so the first run knows them.
    this.track(this.targets.all().then(run));
  }

  /**
   * Sends a `test` event to one target now, one try, whatever its event selection (the
   * admin's "send test"). Resolves with what happened; never throws for a failed send.
   */
  async sendTest(targetId: string, by: string): Promise<{ ok: true } | { ok: false; error: string } | undefined> {
    this.targets.invalidate();
    const target = (await this.targets.all()).find((entry) => entry.id === targetId);
    if (!target) return undefined;
    const event = this.event('test', { target: target.id, by, message: 'Switchyard can reach this target.' });
    try {
      await this.dispatcher.sendOnce(target, event);
      this.deps.log.info('test notification sent', { target: target.id, by });
      return { ok: true };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.deps.log.warn('test notification failed', { target: target.id, by, reason: message });
      return { ok: false, error: message };
    }
  }

  /** Resolves when every event emitted so far was handed to its targets and no send is in progress (tests). */
  async settled(): Promise<void> {
    while (this.working.size > 0) await Promise.allSettled([...this.working]);
    await this.dispatcher.idle();
  }

  /** Stops the expiry check and the scheduled retries. */
  close(): void {
    this.expiryTimer?.clear();
    this.dispatcher.close();
  }

  /** Whether any target may receive something (no work at all otherwise). */
  private listening(): boolean {
    if (!this.deps.config.enabled) return false;
    void this.targets.all().catch(() => undefined);
    return this.targets.known().some((target) => target.enabled);
  }

  private event(name: NotificationEventName, data: Record<string, unknown>, id?: string): NotificationEvent {
    return { id: id ?? randomUUID(), event: name, at: new Date(this.deps.clock.now()).toISOString(), data };
  }

  private async publish(name: NotificationEventName, data: Record<string, unknown>, options: EmitOptions): Promise<void> {
    const targets = (await this.targets.all()).filter((target) => target.enabled && eventSelected(target.events, name));
    if (targets.length === 0) return;
    const event = this.event(name, data, options.id);
    if (options.id !== undefined) {
      const claimed = await this.deps.store.counters.incr(`notify:event:${options.id}`, 1, options.claimTtlMs ?? 86_400_000);
      if (claimed !== 1) return;
    }
    this.dispatcher.deliver(targets, event);
  }

  private track(work: Promise<unknown>): void {
    const tracked = work
      .catch((error: unknown) => this.deps.log.warn('notification not sent', { error }))
      .finally(() => this.working.delete(tracked));
    this.working.add(tracked);
  }
}
