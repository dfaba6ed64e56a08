/**
 * The whole-state file (`switchyard export` / `switchyard import`): readable JSON in which
 * every secret (account credentials and proxies, notification target secrets, the key-hash
 * check) is sealed under a passphrase, and the whole body carries an HMAC made with a key
 * derived from the same passphrase, so a changed byte anywhere is refused. The gateway's
 * own `ENCRYPTION_KEY` is never in the file. Format documented in docs/operations.md.
 */
import { z } from 'zod';

/** The `format` field of a state file. */
export const STATE_FILE_FORMAT = 'switchyard-state' as const;
/** The version this build writes and reads. */
export const STATE_FILE_VERSION = 1;

/** How the passphrase keys were derived (scrypt) and what seals secrets (AES-256-GCM). */
export const stateEncryptionSchema = z.strictObject({
  kdf: z.literal('scrypt'),
  N: z
    .number()
    .int()
    .min(2 ** 14)
    .max(2 ** 20),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
  /** base64url, 16 bytes, fresh per file. */
  salt: z.string().min(16),
  cipher: z.literal('aes-256-gcm'),
  /** A known value sealed under the passphrase: opening it tells a wrong passphrase from a changed file. */
  check: z.string(),
});

const record = z.record(z.string(), z.unknown());
const looseRecord = z.looseObject({});

/** Lifetime meters of one key (limits and caps keep counting from where they were). */
export const keyMetersSchema = z.strictObject({
  /** Lifetime spend, micro-USD (the total cost cap). */
  costTotal: z.number(),
  /** Largest cost (micro-USD) and token count of one request. */
  maxCost: z.number(),
  maxTokens: z.number(),
  /** First use (epoch ms), for keys that expire after first use; 0: never used. */
  firstUse: z.number(),
});

/** Everything exported, in plain JSON except the sealed fields. */
export const stateDataSchema = z.strictObject({
  keys: z.array(looseRecord),
  keyMeters: z.record(z.string(), keyMetersSchema),
  /** Account records; `credentials` and `proxy` are sealed under the passphrase. */
  accounts: z.array(looseRecord),
  /** When each account was last used (epoch ms); the rest of the live state is not exported. */
  accountLastUsed: z.record(z.string(), z.number()),
  /** Check history per account id, newest first. */
  accountChecks: z.record(z.string(), z.array(looseRecord)),
  groups: z.array(looseRecord),
  users: z.array(looseRecord),
  /** Settings by name; `notifications.targets` entries have their `secrets` sealed under the passphrase. */
  settings: record,
  cards: z.strictObject({
    batches: z.array(z.strictObject({ batch: looseRecord, cards: z.array(looseRecord) })),
    /** Oldest first. */
    redemptions: z.array(looseRecord),
  }),
  /** Present with `--with-usage`. */
  usage: z
    .strictObject({
      /** Usage records (the request log), oldest first. */
      records: z.array(looseRecord),
      /** Aggregate rows (`scope`, `period`, `totals`). */
      aggregates: z.array(z.strictObject({ scope: z.string(), period: z.string(), totals: looseRecord })),
    })
    .optional(),
});

/** A state file. */
export const stateFileSchema = z.strictObject({
  format: z.literal(STATE_FILE_FORMAT),
  version: z.number().int(),
  exportedAt: z.string(),
  source: z.strictObject({ storeKind: z.enum(['embedded', 'redis']), schemaVersion: z.number().int() }),
  encryption: stateEncryptionSchema,
  /**
   * Sealed: an HMAC of a fixed text with the exporting gateway's key-hash secret. Import
   * compares it with its own to know whether exported key and card hashes will verify.
   */
  keyHashCheck: z.string(),
  data: stateDataSchema,
  /** HMAC-SHA256 (base64url) of the canonical JSON of every other field. */
  mac: z.string(),
});

export type StateFile = z.infer<typeof stateFileSchema>;
export type StateData = z.infer<typeof stateDataSchema>;
export type KeyMeters = z.infer<typeof keyMetersSchema>;

/** A state file that cannot be read: not one, a newer version, a wrong passphrase, changed. */
export class StateFileError extends Error {
  override readonly name = 'StateFileError';
}
