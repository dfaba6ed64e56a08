/**
 * The reference relay service's encryption of stored secrets: AES-256-CBC with the key
 * `scrypt(ENCRYPTION_KEY, salt, 32)` (one salt per record kind) and a random IV, stored
 * as `ivhex:cipherhex`. A value without `:` was stored in plaintext and is taken as is.
 */
import { createDecipheriv, scryptSync } from 'node:crypto';

/** Opens values the reference encrypted under `salt`; undefined for empty or unreadable ones. */
export type CrsDecrypt = (salt: string, value: unknown) => string | undefined;

/** A decryptor for the reference's `ENCRYPTION_KEY` (derived keys cached per salt). */
export function createCrsDecrypt(encryptionKey: string): CrsDecrypt {
  const keys = new Map<string, Buffer>();
  const keyFor = (salt: string): Buffer => {
    let key = keys.get(salt);
    if (!key) {
      key = scryptSync(encryptionKey, salt, 32);
      keys.set(salt, key);
    }
    return key;
  };
  return (salt, value) => {
    if (typeof value !== 'string' || value === '') return undefined;
    const colon = value.indexOf(':');
    if (colon < 0) return value;
    const iv = Buffer.from(value.slice(0, colon), 'hex');
    const body = value.slice(colon + 1);
    if (iv.length !== 16 || !/^[0-9a-f]+$/i.test(body)) return value;
    try {
      const decipher = createDecipheriv('aes-256-cbc', keyFor(salt), iv);
      return Buffer.concat([decipher.update(body, 'hex'), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  };
}
