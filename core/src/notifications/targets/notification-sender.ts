/**
 * What every target kind implements: send one event, or throw a DeliveryError.
 */
import type { NotificationEvent } from '../notification-event.js';

/** Sends events to one configured target. */
export interface NotificationSender {
  send(event: NotificationEvent): Promise<void>;
}

/** What a sender gets besides its target's settings. */
export interface SenderContext {
  /** Longest one send may take. */
  timeoutMs: number;
  /** Names the target in errors: `<type> target <id>`. */
  label: string;
}

/** Cuts `text` to `max` characters (chat services refuse longer messages). */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
