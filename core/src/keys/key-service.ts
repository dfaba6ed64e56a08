/**
 * Client API keys: create (plaintext returned once), authenticate by HMAC lookup, list,
 * update, revoke. Positive lookups are cached for a few seconds so a busy key does not
 * cost a store read per request, and `lastUsedAt` is written at most once a minute.
 */
import type { PendingWrites } from '../app/pending-writes.js';
import { createSecretKey, type KeyObject } from 'node:crypto';
import type { Logger } from '@switchyard/plugin-api';
import type { GatewaySecrets } from '../security/secrets.js';
import type { KeyRecord, RecordSource, Store } from '../store/types.js';
import { generateKey, hashKey, keyHint, randomId } from './key-material.js';
import { KeyInputError } from './key-input-error.js';
import { checkKeyLimits } from '../limits/key-limits-schema.js';
import { sameHash, type LegacyKeyHashes } from './legacy-key-hashes.js';

/** Shortest accepted declared (operator-chosen) key. */
export const MIN_DECLARED_KEY_LENGTH = 20;
/** Presented keys outside this length range are rejected without a store lookup. */
const PRESENTED_MIN = 10;
const PRESENTED_MAX = 512;
const CACHE_LIMIT = 1000;

/** Options of {@link KeyService}. */
export interface KeyServiceOptions {
  store: Pick<Store, 'keys'>;
  secrets: Pick<GatewaySecrets, 'keyHashKey'>;
  /** Prefix of generated keys, e.g. `sy_`. */
  keyPrefix: string;
  log?: Logger;
  /** How long a positive lookup is cached; default 5 s. */
  cacheTtlMs?: number;
  /** Smallest interval between two `lastUsedAt` writes of one key; default 60 s. */
  touchIntervalMs?: number;
  /** Clock, for tests. */
  now?: () => number;
  /** Tracks the last-use writes (made without waiting), for `Gateway.settled()`. */
  pending?: PendingWrites;
  /** Imported keys still stored under another gateway's hash scheme (see legacy-key-hashes.ts). */
  legacy?: LegacyKeyHashes;
}

/** What {@link KeyService.create} takes. */
export interface CreateKeyInput {
  name: string;
  description?: string;
  tags?: string[];
  owner?: string;
  enabled?: boolean;
  /** ISO 8601. */
  expiresAt?: string;
  limits?: Record<string, unknown>;
  source: RecordSource;
  /** A declared key (at least 20 characters); generated when absent. */
  plaintext?: string;
}

/** What {@link KeyService.update} takes; `null` clears an optional field. */
export interface UpdateKeyInput {
  name?: string;
  description?: string | null;
  tags?: string[];
  owner?: string | null;
  enabled?: boolean;
  expiresAt?: string | null;
  limits?: Record<string, unknown>;
  source?: RecordSource;
  /** Replaces the key's secret (a declared key rotated in the config). */
  plaintext?: string;
}

interface CachedKey {
  record: KeyRecord;
  until: number;
}

/** Creates, finds and manages client API keys. */
export class KeyService {
  private readonly store: Pick<Store, 'keys'>;
  private readonly keyHashKey: KeyObject;
  private readonly keyPrefix: string;
  private readonly log: Logger | undefined;
  private readonly cacheTtlMs: number;
  private readonly touchIntervalMs: number;
  private readonly now: () => number;
  private readonly pending: PendingWrites | undefined;
  private readonly legacy: LegacyKeyHashes | undefined;
  /** Positive lookups by presented key (see {@link authenticate}). */
  private readonly cache = new Map<string, CachedKey>();
  private readonly touched = new Map<string, number>();

  constructor(options: KeyServiceOptions) {
    this.store = options.store;
    this.keyHashKey = createSecretKey(options.secrets.keyHashKey);
    this.keyPrefix = options.keyPrefix;
    this.log = options.log;
    this.cacheTtlMs = options.cacheTtlMs ?? 5_000;
    this.touchIntervalMs = options.touchIntervalMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.pending = options.pending;
    this.legacy = options.legacy;
  }

  /** The stored hash of a plaintext key (to look a declared key up without creating it). */
  hash(plaintext: string): string {
    return hashKey(this.keyHashKey, plaintext);
  }

  /**
   * Creates a key. Returns the record and the plaintext, which is never available again.
   * Throws {@link KeyInputError} for invalid input, `StoreConflictError` when the same
   * secret is already in use.
   */
  async create(input: CreateKeyInput): Promise<{ record: KeyRecord; plaintext: string }> {
    const problems = checkFields(input);
    if (input.name === undefined) problems.push('name: required');
    if (input.plaintext !== undefined) problems.push(...checkPlaintext(input.plaintext));
    if (problems.length > 0) throw new KeyInputError(problems);
    const plaintext = input.plaintext ?? generateKey(this.keyPrefix);
    const at = new Date(this.now()).toISOString();
    const record: KeyRecord = {
      id: randomId('key_'),
      name: input.name.trim(),
      tags: [...(input.tags ?? [])],
      hash: this.hash(plaintext),
      hint: keyHint(plaintext, this.keyPrefix),
      enabled: input.enabled ?? true,
      limits: { ...(input.limits ?? {}) },
      source: input.source,
      createdAt: at,
      updatedAt: at,
    };
    if (input.description !== undefined) record.description = input.description;
    if (input.owner !== undefined) record.owner = input.owner;
    if (input.expiresAt !== undefined) record.expiresAt = input.expiresAt;
    await this.store.keys.create(record);
    return { record, plaintext };
  }

  /**
   * Finds the key a client presented, or undefined when no key matches. The caller
   * checks `enabled` and `expiresAt` (see `keyStatus`) to answer with the right error.
   * Keys without an owner are cached for `cacheTtlMs`; owned keys are never cached.
   */
  async authenticate(presented: string): Promise<KeyRecord | undefined> {
    if (typeof presented !== 'string' || presented.length < PRESENTED_MIN || presented.length > PRESENTED_MAX) {
      return undefined;
    }
    // The cache is keyed by the presented key itself, so a busy key skips the HMAC too.
    // Only keys that matched go in, for the TTL: the process holds each request's key
    // in its headers anyway, and a stranger's guesses never fill the cache.
    const now = this.now();
    const cached = this.cache.get(presented);
    if (cached) {
      this.cache.delete(presented);
      if (cached.until > now) {
        this.cache.set(presented, cached);
        return cached.record;
      }
    }
    const hash = this.hash(presented);
    let record = await this.store.keys.findByHash(hash);
    if (!record && this.legacy) record = await this.authenticateLegacy(presented, hash);
    // A user's key is read from the store every time: disabling the user (or the key) then
    // stops it at once on every instance, not only once this cache expires.
    if (record && record.owner === undefined) {
      this.cache.set(presented, { record, until: now + this.cacheTtlMs });
      if (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
    }
    return record;
  }

  /**
   * A miss may be an imported key stored under its old scheme: look it up by each legacy
   * hash that applies (only keys with a legacy prefix pay this) and, on a match, store
   * the HMAC in its place. Another instance may upgrade the key between our two lookups,
   * hence the last look by HMAC.
   */
  private async authenticateLegacy(presented: string, hash: string): Promise<KeyRecord | undefined> {
    const candidates = await this.legacy!.candidates(presented);
    if (candidates.length === 0) return undefined;
    for (const candidate of candidates) {
      const found = await this.store.keys.findByHash(candidate.hash);
      if (!found || !sameHash(found.hash, candidate.hash)) continue;
      try {
        const upgraded = await this.store.keys.update(found.id, { hash, hint: keyHint(presented, candidate.prefix) });
        this.log?.info('imported key upgraded to the HMAC hash', { keyId: found.id });
        return upgraded ?? found;
      } catch (error) {
        this.log?.warn('could not upgrade an imported key hash', { keyId: found.id, error });
        return found;
      }
    }
    return this.store.keys.findByHash(hash);
  }

  /** Every key, as stored (hashes only, never plaintexts). */
  list(): Promise<KeyRecord[]> {
    return this.store.keys.list();
  }

  get(id: string): Promise<KeyRecord | undefined> {
    return this.store.keys.get(id);
  }

  /** Deletes a key; true when it existed. */
  async revoke(id: string): Promise<boolean> {
    this.forget(id);
    const deleted = await this.store.keys.delete(id);
    this.forget(id);
    return deleted;
  }

  setEnabled(id: string, enabled: boolean): Promise<KeyRecord | undefined> {
    return this.update(id, { enabled });
  }

  /** Changes a key; undefined when it does not exist. Throws {@link KeyInputError} for invalid input. */
  async update(id: string, input: UpdateKeyInput): Promise<KeyRecord | undefined> {
    const problems = checkFields(input);
    if (input.plaintext !== undefined) problems.push(...checkPlaintext(input.plaintext));
    if (problems.length > 0) throw new KeyInputError(problems);
    const patch: Partial<Omit<KeyRecord, 'id'>> = { updatedAt: new Date(this.now()).toISOString() };
    if (input.name !== undefined) patch.name = input.name.trim();
    if (input.tags !== undefined) patch.tags = [...input.tags];
    if (input.enabled !== undefined) patch.enabled = input.enabled;
    if (input.limits !== undefined) patch.limits = { ...input.limits };
    if (input.source !== undefined) patch.source = input.source;
    if (input.description !== undefined) patch.description = input.description ?? undefined;
    if (input.owner !== undefined) patch.owner = input.owner ?? undefined;
    if (input.expiresAt !== undefined) patch.expiresAt = input.expiresAt ?? undefined;
    if (input.plaintext !== undefined) {
      patch.hash = this.hash(input.plaintext);
      patch.hint = keyHint(input.plaintext, this.keyPrefix);
    }
    this.forget(id);
    const updated = await this.store.keys.update(id, patch);
    this.forget(id);
    return updated;
  }

  /**
   * Records that a key was used. Writes at most once per interval per key, in the
   * background; a failed write is only logged.
   */
  touch(id: string): void {
    const now = this.now();
    const last = this.touched.get(id);
    if (last !== undefined && now - last < this.touchIntervalMs) return;
    this.touched.set(id, now);
    if (this.touched.size > 10 * CACHE_LIMIT) this.pruneTouched(now);
    const write = this.store.keys.update(id, { lastUsedAt: new Date(now).toISOString() }).catch((error: unknown) => {
      this.log?.warn('could not record key use', { keyId: id, error });
    });
    if (this.pending) void this.pending.track(write);
  }

  private pruneTouched(now: number): void {
    for (const [id, at] of this.touched) if (now - at >= this.touchIntervalMs) this.touched.delete(id);
  }

  /** Drops cached copies of key `id` (after it was changed behind this service, e.g. by a card). */
  forget(id: string): void {
    for (const [presented, cached] of this.cache) if (cached.record.id === id) this.cache.delete(presented);
  }
}

function checkFields(input: Omit<UpdateKeyInput, 'plaintext'>): string[] {
  const problems: string[] = [];
  if (input.name !== undefined && (typeof input.name !== 'string' || input.name.trim() === '')) {
    problems.push('name: required');
  }
  if (input.tags !== undefined && (!Array.isArray(input.tags) || input.tags.some((tag) => typeof tag !== 'string'))) {
    problems.push('tags: expected a list of strings');
  }
  if (input.limits !== undefined && (input.limits === null || typeof input.limits !== 'object' || Array.isArray(input.limits))) {
    problems.push('limits: expected an object');
  } else if (input.limits !== undefined) {
    problems.push(...checkKeyLimits(input.limits));
  }
  if (input.expiresAt != null && (typeof input.expiresAt !== 'string' || Number.isNaN(Date.parse(input.expiresAt)))) {
    problems.push('expiresAt: expected an ISO 8601 date');
  }
  return problems;
}

function checkPlaintext(plaintext: string): string[] {
  if (typeof plaintext !== 'string' || plaintext.length < MIN_DECLARED_KEY_LENGTH) {
    return [`key: a declared key needs at least ${MIN_DECLARED_KEY_LENGTH} characters`];
  }
  if (plaintext.length > PRESENTED_MAX || /\s/.test(plaintext)) {
    return [`key: at most ${PRESENTED_MAX} characters, without whitespace`];
  }
  return [];
}
