/**
 * The keys of a state file, derived from the operator's passphrase with scrypt and a
 * per-file salt: one seals secrets (AES-256-GCM, the envelope of security/cipher.ts),
 * the other authenticates the whole file (HMAC-SHA256).
 */
import { createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../security/canonical-json.js';
import { decryptJson, encryptJson } from '../security/cipher.js';

/** scrypt cost of new files (about 100 ms, 32 MiB). */
export const PASSPHRASE_KDF = { N: 2 ** 15, r: 8, p: 1 } as const;

/** Shortest passphrase accepted on export. */
export const MIN_PASSPHRASE_LENGTH = 12;

const CHECK_TEXT = 'switchyard-state-check';

/** The derived keys of one file. */
export class PassphraseKeys {
  private constructor(
    private readonly sealKey: Buffer,
    private readonly macKey: Buffer,
  ) {}

  /** Derives the keys from `passphrase` and the file's `salt` (base64url). */
  static async derive(passphrase: string, kdf: { N: number; r: number; p: number; salt: string }): Promise<PassphraseKeys> {
    const material = await new Promise<Buffer>((resolve, reject) => {
      scrypt(
        passphrase,
        Buffer.from(kdf.salt, 'base64url'),
        64,
        { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r },
        (error, key) => (error ? reject(error) : resolve(key)),
      );
    });
    return new PassphraseKeys(material.subarray(0, 32), material.subarray(32, 64));
  }

  /** A fresh salt for a new file (base64url). */
  static newSalt(): string {
    return randomBytes(16).toString('base64url');
  }

  /** Seals a JSON value. */
  seal(value: unknown): string {
    return encryptJson(this.sealKey, value);
  }

  /** Opens a sealed value; throws (without secret material) when the key or the envelope is wrong. */
  open<T = unknown>(envelope: string): T {
    return decryptJson<T>(this.sealKey, envelope);
  }

  /** The sealed check value written into the file. */
  sealCheck(): string {
    return this.seal(CHECK_TEXT);
  }

  /** Whether `envelope` opens to the check value (false: wrong passphrase, or the check was changed). */
  opensCheck(envelope: string): boolean {
    try {
      return this.open(envelope) === CHECK_TEXT;
    } catch {
      return false;
    }
  }

  /** The MAC of a file body (everything but `mac`), over its canonical JSON. */
  mac(body: unknown): string {
    return createHmac('sha256', this.macKey).update(canonicalJson(body)).digest('base64url');
  }

  /** Compares a body's MAC with `expected` in constant time. */
  verifyMac(body: unknown, expected: string): boolean {
    const actual = Buffer.from(this.mac(body));
    const given = Buffer.from(expected);
    return actual.length === given.length && timingSafeEqual(actual, given);
  }
}
