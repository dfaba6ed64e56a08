/**
 * The gateway's derived secrets. One operator-supplied `ENCRYPTION_KEY` is stretched
 * with scrypt into three independent 32-byte keys, so a leak of one (say, the key-hash
 * key through a timing side channel) says nothing about the others.
 */
import { scrypt } from 'node:crypto';

export { resolveEncryptionKey, type ResolveEncryptionKeyOptions } from './resolve-encryption-key.js';

/** The keys every part of the gateway derives its cryptography from. */
export interface GatewaySecrets {
  /** AES-256-GCM key for account credentials and proxies at rest (32 bytes). */
  readonly cipherKey: Buffer;
  /** HMAC-SHA256 key for client key hashes (32 bytes). */
  readonly keyHashKey: Buffer;
  /** HMAC key for admin session tokens (32 bytes). */
  readonly sessionKey: Buffer;
}

/** Shortest accepted `ENCRYPTION_KEY`. */
export const MIN_ENCRYPTION_KEY_LENGTH = 32;

const SALT = 'switchyard/v1';
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_BYTES = 32;

/**
 * Derives the gateway's secrets from `ENCRYPTION_KEY` (scrypt, N=2^15, r=8, p=1, fixed
 * salt): the same key always gives the same secrets, so every instance sharing a store
 * agrees on them. Takes about 100 ms; call it once at startup.
 *
 * @example
 * const secrets = await deriveSecrets(process.env.ENCRYPTION_KEY!);
 */
export async function deriveSecrets(encryptionKey: string): Promise<GatewaySecrets> {
  if (typeof encryptionKey !== 'string' || encryptionKey.length < MIN_ENCRYPTION_KEY_LENGTH) {
    throw new Error(`ENCRYPTION_KEY must be at least ${MIN_ENCRYPTION_KEY_LENGTH} characters`);
  }
  const material = await new Promise<Buffer>((resolve, reject) => {
    scrypt(encryptionKey, SALT, KEY_BYTES * 3, { N, r: R, p: P, maxmem: 256 * N * R }, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
  return Object.freeze({
    cipherKey: material.subarray(0, KEY_BYTES),
    keyHashKey: material.subarray(KEY_BYTES, KEY_BYTES * 2),
    sessionKey: material.subarray(KEY_BYTES * 2, KEY_BYTES * 3),
  });
}
