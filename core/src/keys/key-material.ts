/**
 * Client key material: generating keys and ids, hashing keys for lookup, and the short
 * display hint. The plaintext of a key is shown once, at creation; only its HMAC is kept.
 */
import { createHmac, randomBytes, type KeyObject } from 'node:crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * A new client key: `prefix` followed by 64 hex characters (32 random bytes).
 *
 * @example
 * generateKey('sy_'); // 'sy_3f9a…' (67 characters)
 */
export function generateKey(prefix: string): string {
  return prefix + randomBytes(32).toString('hex');
}

/**
 * The stored form of a key: HMAC-SHA256 (hex) with the gateway's key-hash secret. Pass a
 * `KeyObject` (`createSecretKey(secret)`) on hot paths: it spares re-importing the key.
 */
export function hashKey(keyHashKey: Buffer | KeyObject, plaintext: string): string {
  return createHmac('sha256', keyHashKey).update(plaintext, 'utf8').digest('hex');
}

/**
 * A safe display form of a key: the prefix (when the key carries it), its first four
 * and last four characters, e.g. `sy_3f9a…9a1c`. Short keys reveal less.
 */
export function keyHint(plaintext: string, prefix = ''): string {
  const hasPrefix = prefix !== '' && plaintext.startsWith(prefix);
  const body = hasPrefix ? plaintext.slice(prefix.length) : plaintext;
  const shown = hasPrefix ? prefix : '';
  if (body.length >= 16) return `${shown}${body.slice(0, 4)}…${body.slice(-4)}`;
  if (body.length >= 8) return `${shown}…${body.slice(-2)}`;
  return `${shown}…`;
}

/** A random id with `prefix` and 12 base32 characters (60 bits), e.g. `key_k3j9x2m4q7ab`. */
export function randomId(prefix: string): string {
  const bytes = randomBytes(12);
  let out = prefix;
  for (const byte of bytes) out += BASE32[byte & 31];
  return out;
}
