/**
 * The human-readable form of an event, for the chat and e-mail targets: a title and a
 * few lines of text (the generic webhook sends the JSON envelope instead).
 */
import type { NotificationEvent } from './notification-event.js';

const TITLES: Record<NotificationEvent['event'], string> = {
  'account.rate_limited': 'Account rate-limited',
  'account.auth_failed': 'Account authentication failed',
  'account.paused': 'Account paused',
  'account.recovered': 'Account recovered',
  'account.token_refresh_failed': 'Account token refresh failed',
  'account.check_failed': 'Account check failed',
  'key.quota_warning': 'Key quota almost used',
  'key.quota_exceeded': 'Key quota used up',
  'key.expiring': 'Key expiring soon',
  'gateway.error': 'Gateway error',
  test: 'Test notification',
};

/** A message: its title and body text. */
export interface NotificationMessage {
  title: string;
  text: string;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Title `[Switchyard] <what>`; body: one `name: value` line per data field, then the time. */
export function formatMessage(event: NotificationEvent): NotificationMessage {
  const title = `[Switchyard] ${TITLES[event.event]}`;
  const lines = Object.entries(event.data)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([name, value]) => `${name}: ${describe(value)}`);
  lines.push(`event: ${event.event}`, `at: ${event.at}`);
  return { title, text: lines.join('\n') };
}
