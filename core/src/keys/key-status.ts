import type { KeyRecord } from '../store/types.js';

/** Whether an authenticated key may be used now. */
export type KeyStatus = 'active' | 'disabled' | 'expired';

/**
 * The status of a key found by `KeyService.authenticate`: `disabled` when switched off,
 * `expired` once `expiresAt` has passed, else `active`.
 */
export function keyStatus(record: KeyRecord, now: Date = new Date()): KeyStatus {
  if (!record.enabled) return 'disabled';
  if (record.expiresAt !== undefined && Date.parse(record.expiresAt) <= now.getTime()) return 'expired';
  return 'active';
}
