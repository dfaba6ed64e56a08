/**
 * Keys imported from a gateway that stored `sha256(key + pepper)` instead of an HMAC
 * (`switchyard import crs`). Such a key is stored with the hash {@link legacyKeyHash}
 * gives, marked so it can never equal an HMAC; the first time it is presented it is
 * verified under that scheme and its stored hash is replaced by the HMAC, so its
 * holder changes nothing. The peppers live in the shared settings, encrypted.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { SettingsRepository } from '../store/types.js';
import { decryptJson, encryptJson } from '../security/cipher.js';

/** Marks a stored key hash made by {@link legacyKeyHash}. */
export const LEGACY_HASH_MARK = 'sha256-peppered:';

/** The setting holding the legacy schemes. */
export const LEGACY_KEY_HASHING_SETTING = 'keys.legacyHashing';

/** One legacy scheme: which presented keys it applies to, and its pepper. */
export interface LegacyKeyScheme {
  /** Prefixes of the keys the scheme issued (e.g. the source's key prefix); only those are tried. */
  prefixes: string[];
  pepper: string;
}

interface StoredScheme {
  prefixes: string[];
  /** The pepper, encrypted with the gateway's cipher key. */
  pepper: string;
}

/** The stored hash of `plaintext` under a legacy scheme with `pepper`. */
export function legacyKeyHash(pepper: string, plaintext: string): string {
  return (
    LEGACY_HASH_MARK +
    createHash('sha256')
      .update(plaintext + pepper, 'utf8')
      .digest('hex')
  );
}

/** True for a stored hash that still awaits its upgrade. */
export function isLegacyKeyHash(hash: string): boolean {
  return hash.startsWith(LEGACY_HASH_MARK);
}

/**
 * Adds `scheme` to the stored schemes (or merges its prefixes into the one with the same
 * pepper); writes nothing when it is already there. True when it wrote.
 */
export async function saveLegacyKeyScheme(
  settings: SettingsRepository,
  cipherKey: Buffer,
  scheme: LegacyKeyScheme,
): Promise<boolean> {
  const stored = (await settings.get<StoredScheme[]>(LEGACY_KEY_HASHING_SETTING)) ?? [];
  const index = stored.findIndex((entry) => decryptJson<string>(cipherKey, entry.pepper) === scheme.pepper);
  const next = [...stored];
  if (index < 0) next.push({ prefixes: [...scheme.prefixes], pepper: encryptJson(cipherKey, scheme.pepper) });
  else {
    const entry = stored[index]!;
    const prefixes = [...new Set([...entry.prefixes, ...scheme.prefixes])];
    if (prefixes.length === entry.prefixes.length) return false;
    next[index] = { prefixes, pepper: entry.pepper };
  }
  await settings.set(LEGACY_KEY_HASHING_SETTING, next);
  return true;
}

/** Reads the legacy schemes (cached briefly) and computes the candidate hashes of a presented key. */
export class LegacyKeyHashes {
  private cached: { until: number; schemes: Promise<LegacyKeyScheme[]> } | undefined;

  constructor(
    private readonly options: {
      settings: Pick<SettingsRepository, 'get'>;
      cipherKey: Buffer;
      now: () => number;
      /** How long the schemes are cached; default 30 s (an import on another process shows within it). */
      cacheTtlMs?: number;
    },
  ) {}

  /** The legacy hashes to look `presented` up by, with the prefix that matched; none for most keys. */
  async candidates(presented: string): Promise<{ hash: string; prefix: string }[]> {
    const schemes = await this.schemes();
    const out: { hash: string; prefix: string }[] = [];
    for (const scheme of schemes) {
      const prefix = scheme.prefixes.find((p) => presented.startsWith(p));
      if (prefix !== undefined) out.push({ hash: legacyKeyHash(scheme.pepper, presented), prefix });
    }
    return out;
  }

  /** Forgets the cached schemes (after an import in this process). */
  reset(): void {
    this.cached = undefined;
  }

  private schemes(): Promise<LegacyKeyScheme[]> {
    const now = this.options.now();
    if (this.cached && this.cached.until > now) return this.cached.schemes;
    const schemes = this.load().catch(() => {
      this.cached = undefined;
      return [];
    });
    this.cached = { until: now + (this.options.cacheTtlMs ?? 30_000), schemes };
    return schemes;
  }

  private async load(): Promise<LegacyKeyScheme[]> {
    const stored = (await this.options.settings.get<StoredScheme[]>(LEGACY_KEY_HASHING_SETTING)) ?? [];
    return stored.map((entry) => ({
      prefixes: entry.prefixes,
      pepper: decryptJson<string>(this.options.cipherKey, entry.pepper),
    }));
  }
}

/** Constant-time equality of two hashes (a different length is simply unequal). */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
