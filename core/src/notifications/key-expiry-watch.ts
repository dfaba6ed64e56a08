/**
 * `key.expiring`: every `keyExpiryCheckIntervalMs` (and once at start) the enabled keys
 * expiring (the key's own `expiresAt` or its limits', whichever is first) within `keyExpiryDays` are announced, once per key and expiry date (a key
 * whose expiry is extended is announced again when the new date comes near).
 */
import type { KeyRecord } from '../store/types.js';
import { parseIsoTime } from '../time/iso-time.js';
import type { NotificationEventName } from './notification-event.js';

const DAY = 86_400_000;

/** What the watch needs. */
export interface KeyExpiryWatchDeps {
  listKeys(): Promise<KeyRecord[]>;
  now(): number;
  days: number;
  emit(event: NotificationEventName, data: Record<string, unknown>, options: { id: string; claimTtlMs: number }): void;
}

/** Announces the keys that expire within the configured days. */
export async function checkKeyExpiry(deps: KeyExpiryWatchDeps): Promise<void> {
  const now = deps.now();
  for (const key of await deps.listKeys()) {
    if (!key.enabled) continue;
    const dates = [key.expiresAt, key.limits.expiresAt].filter((date): date is string => typeof date === 'string');
    const stamps = dates.map((date) => parseIsoTime(date)).filter((ms) => !Number.isNaN(ms));
    if (stamps.length === 0) continue;
    const expiresAtMs = Math.min(...stamps);
    const expiresAt = new Date(expiresAtMs).toISOString();
    const left = expiresAtMs - now;
    if (!(left > 0 && left <= deps.days * DAY)) continue;
    deps.emit(
      'key.expiring',
      {
        key: key.id,
        name: key.name,
        ...(key.owner ? { owner: key.owner } : {}),
        expiresAt,
        daysLeft: Math.ceil(left / DAY),
      },
      { id: `key.expiring:${key.id}:${expiresAt}`, claimTtlMs: left + DAY },
    );
  }
}
