/**
 * The events the gateway notifies about, the envelope every target receives, and which
 * events a target selected (`events` patterns: an exact name, `account.*`, or `*`).
 */

/** Every event name. `test` is what the admin's "send test" sends (always delivered). */
export const NOTIFICATION_EVENTS = [
  'account.rate_limited',
  'account.auth_failed',
  'account.paused',
  'account.recovered',
  'account.token_refresh_failed',
  'account.check_failed',
  'key.quota_warning',
  'key.quota_exceeded',
  'key.expiring',
  'gateway.error',
  'test',
] as const;

/** One event name. */
export type NotificationEventName = (typeof NOTIFICATION_EVENTS)[number];

/** What is delivered: `id` is the same on every instance for the same occurrence (it is claimed once). */
export interface NotificationEvent {
  id: string;
  event: NotificationEventName;
  /** ISO 8601. */
  at: string;
  data: Record<string, unknown>;
}

/** A pattern of a target's `events` list: an event name, a prefix with `.*`, or `*`. */
export const EVENT_PATTERN = /^(\*|[a-z]+\.\*|[a-z]+\.[a-z_]+|test)$/;

/** Whether `patterns` select `event` (`test` is always selected: the admin asked for it). */
export function eventSelected(patterns: readonly string[], event: NotificationEventName): boolean {
  if (event === 'test') return true;
  return patterns.some(
    (pattern) => pattern === '*' || pattern === event || (pattern.endsWith('.*') && event.startsWith(pattern.slice(0, -1))),
  );
}
