/**
 * The reference relay service's encryption of stored secrets: AES-256-CBC with the key
 * `scrypt(ENCRYPTION_KEY, salt, 32)` (one salt per record kind) and a random IV, stored
 * as `ivhex:cipherhex`; a value without `:` was stored in plaintext and is taken as is.
 * Records kept as JSON strings hold `{encrypted, iv}` objects instead, under the key
 * `sha256(ENCRYPTION_KEY)`.
 */
import { createDecipheriv, createHash, scryptSync } from 'node:crypto';

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
  const open = (key: Buffer, iv: Buffer, body: string): string | undefined => {
    try {
      const decipher = createDecipheriv('aes-256-cbc', key, iv);
      return Buffer.concat([decipher.update(body, 'hex'), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  };
  let objectKey: Buffer | undefined;
  return (salt, value) => {
    if (value !== null && typeof value === 'object') {
      const { encrypted, iv } = value as { encrypted?: unknown; iv?: unknown };
      if (typeof encrypted !== 'string' || typeof iv !== 'string' || !/^[0-9a-f]+$/i.test(encrypted)) return undefined;
      const ivBytes = Buffer.from(iv, 'hex');
      if (ivBytes.length !== 16) return undefined;
      objectKey ??= createHash('sha256').update(encryptionKey).digest();
      return open(objectKey, ivBytes, encrypted);
    }
    if (typeof value !== 'string' || value === '') return undefined;
    const colon = value.indexOf(':');
    if (colon < 0) return value;
    const iv = Buffer.from(value.slice(0, colon), 'hex');
    const body = value.slice(colon + 1);
    if (iv.length !== 16 || !/^[0-9a-f]+$/i.test(body)) return value;
    return open(keyFor(salt), iv, body);
  };
}
