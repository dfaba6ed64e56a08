/**
 * How a `droid` account with several API keys shares them out. Each conversation (the
 * route protocol's session key) gets one key and keeps it; requests without a session
 * take the keys in turn. A key that fails authentication (401) is marked and skipped
 * for `failedKeyTtlMs`, and the request goes on with the next key. Bindings and marks
 * live in the plugin's key-value store, so every gateway instance sees them.
 *
 * Keys are known by a fingerprint (a SHA-256 prefix), never by their text: that is what
 * the store, the logs and the probe show. Session keys are hashed the same way.
 */
import { createHash } from 'node:crypto';
import type { PluginKv } from '@switchyard/plugin-api';
import type { DroidOptions } from './droid-options.js';

/** One API key and its fingerprint. */
export interface DroidKey {
  readonly value: string;
  readonly fingerprint: string;
}

/** What is kept about a key that failed authentication. */
export interface FailedKeyMark {
  /** ISO 8601. */
  at: string;
  status: number;
}

/** A short, stable, secret-free name of a key (or of a session key). */
export function fingerprintOf(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}

const failedKey = (accountId: string, fingerprint: string) => `failed-key:${accountId}:${fingerprint}`;
const sessionKeyOf = (accountId: string, session: string) => `session:${accountId}:${fingerprintOf(session)}`;

/** The API-key book of one gateway: turns per account here, bindings and marks in the kv. */
export class DroidKeyPool {
  private readonly turns = new Map<string, number>();

  constructor(
    private readonly options: DroidOptions['keys'],
    private readonly now: () => number = Date.now,
  ) {}

  /** The keys with their fingerprints, duplicates dropped. */
  static keysOf(apiKeys: readonly string[]): DroidKey[] {
    const seen = new Set<string>();
    const keys: DroidKey[] = [];
    for (const value of apiKeys) {
      const fingerprint = fingerprintOf(value);
      if (seen.has(fingerprint)) continue;
      seen.add(fingerprint);
      keys.push({ value, fingerprint });
    }
    return keys;
  }

  /** The marks of the account's keys that failed authentication recently, by fingerprint. */
  async failedMarks(kv: PluginKv, accountId: string, keys: readonly DroidKey[]): Promise<Map<string, FailedKeyMark>> {
    const marks = await Promise.all(keys.map((key) => kv.get<FailedKeyMark>(failedKey(accountId, key.fingerprint))));
    const failed = new Map<string, FailedKeyMark>();
    keys.forEach((key, index) => {
      const mark = marks[index];
      if (mark) failed.set(key.fingerprint, mark);
    });
    return failed;
  }

  /**
   * The order in which to try the account's keys for one request: the session's key
   * first when it has one that still works, else the next key in turn; then the other
   * working keys. Keys marked as failing are left out, unless every key is marked: then
   * all are tried again (the account's own cooldown, after the last failure, spaced the
   * attempts), so a key fixed upstream is found without waiting for its mark to expire.
   */
  async plan(kv: PluginKv, accountId: string, apiKeys: readonly string[], session?: string): Promise<DroidKey[]> {
    const keys = DroidKeyPool.keysOf(apiKeys);
    const failed = await this.failedMarks(kv, accountId, keys);
    const unmarked = keys.filter((key) => !failed.has(key.fingerprint));
    const working = unmarked.length > 0 ? unmarked : keys;
    if (working.length === 0) return [];
    let first = -1;
    if (session) {
      const bound = await kv.get<string>(sessionKeyOf(accountId, session));
      first = working.findIndex((key) => key.fingerprint === bound);
    }
    if (first < 0) {
      const turn = this.turns.get(accountId) ?? 0;
      this.turns.set(accountId, turn + 1);
      first = turn % working.length;
    }
    return [...working.slice(first), ...working.slice(0, first)];
  }

  /** Keeps the session on `key` for `sessionTtlMs` from now. */
  async bind(kv: PluginKv, accountId: string, session: string, key: DroidKey): Promise<void> {
    await kv.set(sessionKeyOf(accountId, session), key.fingerprint, this.options.sessionTtlMs);
  }

  /** Marks `key` as failing authentication, so it is skipped for `failedKeyTtlMs`. */
  async markFailed(kv: PluginKv, accountId: string, key: DroidKey, status: number): Promise<void> {
    const mark: FailedKeyMark = { at: new Date(this.now()).toISOString(), status };
    await kv.set(failedKey(accountId, key.fingerprint), mark, this.options.failedKeyTtlMs);
  }
}
