/**
 * Settings entries that belong to one installation and are not exported: each is rebuilt
 * by the gateway that imports (docs/operations.md lists them with the reason).
 */
import { SESSION_KEYS_SETTING } from '../auth/admin-sessions.js';
import { DECLARED_CREDENTIALS_SETTING } from '../config/deploy-declared.js';

/** Prefix of the per-account health state the notifications keep (`notifications.account.<id>`). */
const ACCOUNT_HEALTH_PREFIX = 'notifications.account.';

/**
 * Whether settings entry `name` is left out of an export: the admin session signing keys
 * (sessions are per installation; signing in again is expected), the fingerprints of
 * declared config credentials (recomputed at the next start), and the notifications'
 * last-seen account health (re-learned from the next checks).
 */
export function isTransientSetting(name: string): boolean {
  return name === SESSION_KEYS_SETTING || name === DECLARED_CREDENTIALS_SETTING || name.startsWith(ACCOUNT_HEALTH_PREFIX);
}
