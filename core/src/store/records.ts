/**
 * Small helpers both backends share for turning records into stored JSON and back, so
 * that the two behave the same way (conformance suite) on patches, ordering and input
 * validation.
 */
import type { UsageRecord } from '@switchyard/plugin-api';
import { parseIsoTime } from '../time/iso-time.js';
import { RecordRefusedError } from './record-refused-error.js';
import { MAX_ACCOUNT_CHECKS } from './types.js';

/**
 * Applies an update patch: fields present in `patch` replace the stored ones, a field
 * set to `undefined` is removed, and the record keeps its identity field.
 *
 * @example
 * ```ts
 * mergePatch({ id: 'k1', name: 'a', owner: 'x' }, { owner: undefined }, 'id'); // { id: 'k1', name: 'a' }
 * ```
 */
export function mergePatch<T extends object>(existing: T, patch: Partial<T>, idField: keyof T): T {
  const merged: T = { ...existing, ...patch, [idField]: existing[idField] };
  return JSON.parse(JSON.stringify(merged)) as T;
}

/**
 * Serialises a record or value the way both stores keep it (JSON, `undefined` fields
 * dropped); refuses one that has no JSON form (a BigInt, a cycle) with a {@link RecordRefusedError}.
 */
export function encodeJson(value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new RecordRefusedError(`store: value is not JSON-serialisable: ${(error as Error).message}`, { cause: error });
  }
  if (json === undefined) throw new RecordRefusedError('store: value is not JSON-serialisable');
  return json;
}

/** Parses what {@link encodeJson} wrote. */
export function decodeJson<T>(json: string): T {
  return JSON.parse(json) as T;
}

/** Order of `list()` results on both backends: oldest `createdAt` first, then by id. */
export function compareCreated(a: { createdAt: string; id: string }, b: { createdAt: string; id: string }): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Epoch milliseconds of a usage record's `at`; refuses an unparseable date with a {@link RecordRefusedError}. */
export function usageTimeMs(record: Pick<UsageRecord, 'at' | 'id'>): number {
  const ms = parseIsoTime(record.at);
  if (Number.isNaN(ms)) throw new RecordRefusedError(`store: usage record ${record.id} has an invalid "at": ${record.at}`);
  return ms;
}

/** Epoch milliseconds of a query bound (ISO 8601), or undefined when unset. */
export function queryTimeMs(name: 'since' | 'until', iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new TypeError(`store: usage query "${name}" is not a date: ${iso}`);
  return ms;
}

/** The record fields a usage query's `search` looks in (see `UsageQuery.search`). */
export const USAGE_SEARCH_FIELDS = [
  'id',
  'keyName',
  'owner',
  'model',
  'requestedModel',
  'upstreamModel',
  'servedModel',
  'reason',
  'client',
  'session',
  'accountType',
] as const;

/** Lower-cases ASCII letters only, as SQLite's `lower()` and Lua's `string.lower` do. */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/** Default `limit` of a usage query. */
export const DEFAULT_USAGE_LIMIT = 100;

/** Checks a TTL argument of an ephemeral repository: a positive integer of milliseconds. */
export function assertTtlMs(ttlMs: number): void {
  if (!Number.isInteger(ttlMs) || ttlMs <= 0) throw new RangeError(`store: TTL must be a positive integer of ms, got ${ttlMs}`);
}

/** Checks an integer argument (counter increments, lease limits). */
export function assertInteger(name: string, value: number, min = Number.MIN_SAFE_INTEGER): void {
  if (!Number.isSafeInteger(value) || value < min)
    throw new RangeError(`store: ${name} must be an integer >= ${min}, got ${value}`);
}

/** How long account state (last use, last error) is kept after its last write. */
export const ACCOUNT_STATE_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/** Longest `lastError.message` kept; longer messages are cut so the state stays small. */
export const MAX_ERROR_MESSAGE_LENGTH = 1000;

/** A limit of account checks to list: an integer between 1 and {@link MAX_ACCOUNT_CHECKS}. */
export function checkListLimit(limit: number): number {
  return Number.isFinite(limit) ? Math.max(1, Math.min(MAX_ACCOUNT_CHECKS, Math.floor(limit))) : MAX_ACCOUNT_CHECKS;
}
