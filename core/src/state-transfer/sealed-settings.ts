/**
 * Settings entries that hold secrets, each a list whose entries carry one field sealed with
 * the gateway's cipher key: notification targets added in the admin (`secrets`) and the
 * legacy key-hash schemes of imported keys (`pepper`). Export opens that field and seals
 * it under the passphrase; import opens it and seals it with the importing gateway's key.
 */
import { LEGACY_KEY_HASHING_SETTING } from '../keys/legacy-key-hashes.js';
import { NOTIFICATION_TARGETS_SETTING } from '../notifications/stored-targets.js';

/** The sealed field of each list-shaped secret-holding setting. */
const SEALED_FIELDS: Readonly<Record<string, string>> = {
  [NOTIFICATION_TARGETS_SETTING]: 'secrets',
  [LEGACY_KEY_HASHING_SETTING]: 'pepper',
};

/** Whether setting `name` holds sealed fields. */
export function hasSealedFields(name: string): boolean {
  return Object.hasOwn(SEALED_FIELDS, name);
}

/** `value` with the sealed field of each entry passed through `map` (other values as they are). */
export function mapSealedFields(name: string, value: unknown, map: (field: unknown) => unknown): unknown {
  const field = SEALED_FIELDS[name];
  if (field === undefined || !Array.isArray(value)) return value;
  return value.map((entry: unknown) => {
    if (entry === null || typeof entry !== 'object' || !(field in entry)) return entry;
    return { ...entry, [field]: map((entry as Record<string, unknown>)[field]) };
  });
}
