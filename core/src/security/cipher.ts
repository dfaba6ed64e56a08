/**
 * Authenticated encryption of JSON values at rest (AES-256-GCM). An envelope reads
 * `v1.<iv>.<tag>.<ciphertext>`, each part base64url, with a fresh 12-byte IV per value.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const DECRYPT_FAILED = 'cannot decrypt stored credentials: wrong ENCRYPTION_KEY or corrupted data';

function checkKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== 32) throw new TypeError('the cipher key must be 32 bytes');
}

/**
 * Encrypts a JSON-serialisable value.
 *
 * @example
 * const envelope = encryptJson(secrets.cipherKey, { apiKey: 'k' }); // 'v1.…'
 */
export function encryptJson(key: Buffer, value: unknown): string {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value) ?? 'null', 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join('.');
}

/**
 * Decrypts an envelope made by {@link encryptJson}. A wrong key, a tampered or malformed
 * envelope all throw the same error, whose message never contains secret material.
 */
export function decryptJson<T = unknown>(key: Buffer, envelope: string): T {
  checkKey(key);
  const parts = typeof envelope === 'string' ? envelope.split('.') : [];
  if (parts.length !== 4 || parts[0] !== VERSION) throw new Error(DECRYPT_FAILED);
  const iv = Buffer.from(parts[1]!, 'base64url');
  const tag = Buffer.from(parts[2]!, 'base64url');
  const ciphertext = Buffer.from(parts[3]!, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error(DECRYPT_FAILED);
  let plaintext: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(tag);
    plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new Error(DECRYPT_FAILED);
  }
  try {
    return JSON.parse(plaintext) as T;
  } catch {
    throw new Error(DECRYPT_FAILED);
  }
}
