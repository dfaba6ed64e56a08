/**
 * Importing accounts from another gateway's data (`switchyard import <source>`). An
 * account type declares, per source it can read, where that source keeps records of
 * the matching kind and how one becomes an account of this type. The core reads the
 * source, decrypts with the source's scheme, and creates the accounts; it never learns
 * the source's provider-specific names from anywhere but these declarations.
 */

/** One record as the source stores it: string fields for a hash, parsed values for JSON. */
export type SourceRecord = Readonly<Record<string, unknown>>;

/** What a record becomes: the account's credentials and settings (validated by the type's schemas). */
export interface ImportedAccount {
  credentials: Record<string, unknown>;
  settings?: Record<string, unknown>;
}

/** A record of this type's kind that cannot be imported, and why (shown to the operator). */
export interface SkippedRecord {
  skip: string;
}

/**
 * How records of one kind in source `source` become accounts of the declaring type.
 *
 * @example
 * ```ts
 * imports: [{
 *   source: 'crs',
 *   keyPrefix: 'acme_account:',
 *   salt: 'acme-account-salt',
 *   keyBindings: [{ field: 'acmeAccountId' }],
 *   map: (record, decrypt) => ({ credentials: { apiKey: decrypt(record.apiKey) } }),
 * }]
 * ```
 */
export interface AccountImport {
  /** The source this entry reads, e.g. `crs` (the relay service Switchyard replaces). */
  readonly source: string;
  /** Prefix of the records' keys: a record lives at `{keyPrefix}{id}`. */
  readonly keyPrefix: string;
  /** How a record is stored: a hash of string fields (default) or one JSON string. */
  readonly layout?: 'hash' | 'json';
  /** The salt the source derives this kind's encryption key with (where its scheme uses one). */
  readonly salt: string;
  /**
   * Fields of the source's client keys that bind a key to a record of this kind; the
   * value is the record id, after `prefix` (e.g. `api:`) when one is given.
   */
  readonly keyBindings?: readonly { readonly field: string; readonly prefix?: string }[];
  /**
   * Models a source key's weekly model-family spending cap counts (its `weeklyOpusCostLimit`
   * field for `crs`), as patterns; the core unions them over every loaded type.
   */
  readonly weeklyCapModels?: readonly string[];
  /**
   * Converts one record. `decrypt` opens a value the source encrypted, in any form the
   * source used (a plaintext value comes back as is; undefined for an empty or unreadable
   * value). Return undefined when
   * the record is not this type's (another type sharing `keyPrefix` may take it), or
   * `{ skip: reason }` when it is but cannot be imported.
   */
  map(record: SourceRecord, decrypt: (value: unknown) => string | undefined): ImportedAccount | SkippedRecord | undefined;
}
