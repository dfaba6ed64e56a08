/**
 * The shapes `AccountService` takes and returns.
 */
import type { AccountView } from '@switchyard/plugin-api';
import type { AccountRecord, RecordSource } from '../store/types.js';

/** What `AccountService.create` takes. */
export interface CreateAccountInput {
  /** Letters, digits, dot, dash, underscore (at most 64); generated when absent. */
  id?: string;
  /** An account type id registered by a plugin. */
  type: string;
  name: string;
  /** Validated against the account type's credential schema. */
  credentials: Record<string, unknown>;
  /** Validated against the account type's settings schema. */
  settings?: Record<string, unknown>;
  /** 1..100, lower preferred; default 50. */
  priority?: number;
  groups?: string[];
  enabled?: boolean;
  /** `http://`, `https://` or `socks5://`, optionally with `user:password@`. */
  proxy?: string;
  maxConcurrency?: number;
  source: RecordSource;
}

/**
 * What `AccountService.update` takes. `credentials` is merged into the stored ones (a
 * `null` field removes it); `settings` replaces them; `null` clears `proxy` and
 * `maxConcurrency`.
 */
export interface UpdateAccountInput {
  type?: string;
  name?: string;
  credentials?: Record<string, unknown>;
  settings?: Record<string, unknown>;
  priority?: number;
  groups?: string[];
  enabled?: boolean;
  proxy?: string | null;
  maxConcurrency?: number | null;
  source?: RecordSource;
}

/** An account without any secret: what admin responses and logs may show. */
export interface AccountSummary {
  id: string;
  type: string;
  name: string;
  enabled: boolean;
  priority: number;
  groups: string[];
  settings: Record<string, unknown>;
  maxConcurrency?: number;
  hasProxy: boolean;
  /** The proxy URL with its password masked. */
  proxy?: string;
  source: RecordSource;
  createdAt: string;
  updatedAt: string;
  /** Names of the credential fields that are set (secret ones included, by name only). */
  credentialFields: string[];
  /** False when the stored credentials cannot be decrypted (wrong ENCRYPTION_KEY). */
  credentialsReadable: boolean;
}

/** An account ready to call upstream with: its record, plugin view and decrypted secrets. */
export interface ResolvedAccount {
  record: AccountRecord;
  view: AccountView;
  /** Decrypted credentials. Never log them. */
  credentials: Record<string, unknown>;
  /** Decrypted egress proxy URL (may carry a password). */
  proxyUrl?: string;
}
