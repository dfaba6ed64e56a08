/**
 * Delivers an event to the targets that selected it: each target on its own, tried up to
 * `retry.attempts` times with a doubling backoff (on the gateway's clock, so tests move
 * time instead of sleeping), then dropped with a log line. A failure that cannot get
 * better (a refused token, a 4xx) is dropped at once. Nothing here throws to the caller.
 */
import type { Logger } from '@switchyard/plugin-api';
import type { Clock, ClockTimer } from '../time/clock.js';
import { DeliveryError } from './delivery-error.js';
import type { NotificationTarget, NotificationsConfig } from './notification-config-schema.js';
import { eventSelected, type NotificationEvent } from './notification-event.js';
import { createSender } from './targets/create-sender.js';
import type { NotificationSender } from './targets/notification-sender.js';

/** What the dispatcher needs. */
export interface NotificationDispatcherDeps {
  clock: Clock;
  log: Logger;
  retry: NotificationsConfig['retry'];
}

export class NotificationDispatcher {
  private readonly senders = new Map<string, { fingerprint: string; sender: NotificationSender }>();
  private readonly retries = new Set<ClockTimer>();
  private readonly sending = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly deps: NotificationDispatcherDeps) {}

  /** Starts delivering `event` to every enabled target that selected it; returns at once. */
  deliver(targets: readonly NotificationTarget[], event: NotificationEvent): void {
    for (const target of targets) {
      if (!target.enabled || !eventSelected(target.events, event.event)) continue;
      this.attempt(target, event, 1);
    }
  }

  /** One try, now, with its error thrown (the admin's "send test"). */
  async sendOnce(target: NotificationTarget, event: NotificationEvent): Promise<void> {
    await this.senderFor(target).send(event);
  }

  /** Resolves when no send is in progress (scheduled retries not counted). */
  async idle(): Promise<void> {
    while (this.sending.size > 0) await Promise.allSettled([...this.sending]);
  }

  /** Cancels the scheduled retries; sends in progress finish. */
  close(): void {
    this.closed = true;
    for (const timer of this.retries) timer.clear();
    this.retries.clear();
  }

  private attempt(target: NotificationTarget, event: NotificationEvent, attempt: number): void {
    if (this.closed) return;
    const fields = { target: target.id, type: target.type, event: event.event, eventId: event.id, attempt };
    const sending = this.senderFor(target)
      .send(event)
      .then(
        () => this.deps.log.info('notification sent', fields),
        (error: unknown) => {
          const retryable = !(error instanceof DeliveryError) || error.retryable;
          const message = error instanceof Error ? error.message : String(error);
          if (!retryable || attempt >= this.deps.retry.attempts) {
            this.deps.log.warn('notification dropped', { ...fields, reason: message, retryable });
            return;
          }
          const delayMs = this.deps.retry.backoffMs * 2 ** (attempt - 1);
          this.deps.log.info('notification failed; will retry', { ...fields, reason: message, retryInMs: delayMs });
          const timer = this.deps.clock.setTimeout(() => {
            this.retries.delete(timer);
            this.attempt(target, event, attempt + 1);
          }, delayMs);
          this.retries.add(timer);
        },
      )
      .finally(() => this.sending.delete(sending));
    this.sending.add(sending);
  }

  /** The target's sender, rebuilt when its settings changed. */
  private senderFor(target: NotificationTarget): NotificationSender {
    const fingerprint = JSON.stringify(target);
    const cached = this.senders.get(target.id);
    if (cached?.fingerprint === fingerprint) return cached.sender;
    const sender = createSender(target, this.deps.retry.timeoutMs, () => this.deps.clock.now());
    this.senders.set(target.id, { fingerprint, sender });
    return sender;
  }
}
