/**
 * Repository interfaces: every piece of state the gateway keeps, behind one shape that
 * the embedded (SQLite + in-process) and redis backends both implement. The store
 * conformance suite (core/test/store) runs against both.
 */
import type { PriceTable, UsageRecord } from '@switchyard/plugin-api';
import type { Clock } from '../time/clock.js';
import type { CardRepository } from './card-types.js';

/** Who created a record: the config file (reconciled at startup), the admin, or the CLI. */
export type RecordSource = 'config' | 'admin' | 'cli';

/** A client API key. The secret itself is never stored, only its HMAC. */
export interface KeyRecord {
  id: string;
  name: string;
  description?: string;
  tags: string[];
  owner?: string;
  /** HMAC-SHA256 (hex) of the presented key with the server's key-hash secret. */
  hash: string;
  /** A safe display form, e.g. `sy_3f…9a1c`. */
  hint: string;
  enabled: boolean;
  /** The key's limits (validated by the keys module; opaque to the store). */
  limits: Record<string, unknown>;
  source: RecordSource;
  createdAt: string;
  updatedAt: string;
  expiresAt?: string;
  lastUsedAt?: string;
}

export interface KeyRepository {
  /** Fails with a `StoreConflictError` when the id or hash exists. */
  create(record: KeyRecord): Promise<void>;
  get(id: string): Promise<KeyRecord | undefined>;
  findByHash(hash: string): Promise<KeyRecord | undefined>;
  list(): Promise<KeyRecord[]>;
  update(id: string, patch: Partial<Omit<KeyRecord, 'id'>>): Promise<KeyRecord | undefined>;
  delete(id: string): Promise<boolean>;
}

/** An upstream account. Credentials and proxy are encrypted envelopes (see accounts/). */
export interface AccountRecord {
  id: string;
  type: string;
  name: string;
  enabled: boolean;
  /** Lower is preferred, 1..100. */
  priority: number;
  groups: string[];
  /** Encrypted JSON of the credentials. */
  credentials: string;
  /** Encrypted egress proxy URL (it may carry a password). */
  proxy?: string;
  settings: Record<string, unknown>;
  maxConcurrency?: number;
  source: RecordSource;
  createdAt: string;
  updatedAt: string;
}

export interface AccountRepository {
  create(record: AccountRecord): Promise<void>;
  get(id: string): Promise<AccountRecord | undefined>;
  list(): Promise<AccountRecord[]>;
  update(id: string, patch: Partial<Omit<AccountRecord, 'id'>>): Promise<AccountRecord | undefined>;
  delete(id: string): Promise<boolean>;
}

export interface GroupRecord {
  id: string;
  name: string;
  description?: string;
  /** Requested model (id or `*` pattern) -> served model, for keys bound to the group (keys/model-aliases.ts). */
  modelAliases?: Record<string, string>;
  source: RecordSource;
  createdAt: string;
  updatedAt: string;
}

export interface GroupRepository {
  /** Creates or replaces. */
  put(record: GroupRecord): Promise<void>;
  get(id: string): Promise<GroupRecord | undefined>;
  list(): Promise<GroupRecord[]>;
  delete(id: string): Promise<boolean>;
}

/** What a signed-in person may do: `admin` runs the gateway; `user` manages only their own keys. */
export type UserRole = 'admin' | 'user';

/** Where a user's password is checked: here (`local`) or in the LDAP / Active Directory (`ldap`). */
export type UserSource = 'local' | 'ldap';

/** A person who signs in to the web admin (an admin) or the user portal (a user). */
export interface UserRecord {
  username: string;
  role: UserRole;
  source: UserSource;
  /** `scrypt$N$r$p$salt$hash`, base64 parts; local users only. */
  passwordHash?: string;
  /** A disabled user cannot sign in, and their keys are switched off. */
  enabled: boolean;
  displayName?: string;
  email?: string;
  /** Most keys the user may hold; absent: the portal policy's default. */
  maxKeys?: number;
  /** Limits of keys the user creates; absent: the portal policy's template. */
  keyLimits?: Record<string, unknown>;
  /** Keys switched off when the user was disabled, switched back on when enabled again. */
  suspendedKeys?: string[];
  createdAt: string;
  updatedAt: string;
  lastSignInAt?: string;
}

export interface UserRepository {
  /** Creates or replaces. */
  put(record: UserRecord): Promise<void>;
  get(username: string): Promise<UserRecord | undefined>;
  /** Ordered by username. */
  list(): Promise<UserRecord[]>;
  delete(username: string): Promise<boolean>;
}

/**
 * Which usage records to read. Every filter set must match. Text matches are exact except
 * `search`, which is case-insensitive (ASCII) on both backends.
 */
export interface UsageQuery {
  keyId?: string;
  accountId?: string;
  /** Matches the served, the requested or the upstream's model. */
  model?: string;
  /** `error`: status 400 or above, or cut short (`incomplete`); `success`: the others. */
  outcome?: 'success' | 'error';
  /** An exact HTTP status. */
  status?: number;
  /** The client program (`UsageRecord.client`). */
  client?: string;
  /**
   * A substring of the record's id, key name, owner, models, error reason, client,
   * session or account type.
   */
  search?: string;
  /** ISO 8601, inclusive. */
  since?: string;
  /** ISO 8601, exclusive. */
  until?: string;
  /** Newest first; default 100. */
  limit?: number;
}

export interface UsageRepository {
  append(records: readonly UsageRecord[]): Promise<void>;
  /** Which of `ids` are stored (the usage journal's replay stores only the others). */
  storedIds(ids: readonly string[]): Promise<Set<string>>;
  list(query?: UsageQuery): Promise<UsageRecord[]>;
  count(query?: Omit<UsageQuery, 'limit'>): Promise<number>;
}

/**
 * Counted slots with expiry (concurrency leases, cross-instance locks). A lease that
 * is not renewed before its TTL runs out disappears by itself, so a crashed process
 * never leaks a slot.
 */
export interface LeaseRepository {
  /**
   * Takes a slot in `scope` for `holder` when fewer than `limit` live leases exist.
   * A holder that already has a live lease in `scope` gets it refreshed (true).
   */
  acquire(scope: string, holder: string, limit: number, ttlMs: number): Promise<boolean>;
  /** Extends a held lease; false when it had expired or never existed. */
  renew(scope: string, holder: string, ttlMs: number): Promise<boolean>;
  release(scope: string, holder: string): Promise<void>;
  /** Live (unexpired) leases in `scope`. */
  count(scope: string): Promise<number>;
  /**
   * The clock the TTLs run on, when it is not the real one (the embedded store's injected
   * clock); holders renew by it. Absent: real time (Redis: its server clock).
   */
  readonly clock?: Clock;
}

/** Integer counters with expiry. */
export interface CounterRepository {
  /** Adds `by` and returns the new value; the counter expires `ttlMs` after its creation. */
  incr(key: string, by: number, ttlMs: number): Promise<number>;
  get(key: string): Promise<number>;
}

/** Sticky-session bindings: session key to account id, with a TTL. */
export interface StickyRepository {
  get(key: string): Promise<string | undefined>;
  set(key: string, accountId: string, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Live, shared account state used by the scheduler. */
export interface AccountState {
  coolingDownUntil?: number;
  cooldownKind?: string;
  lastUsedAt?: number;
  lastError?: { at: number; kind: string; message: string };
}

export interface AccountStateRepository {
  /** State of the given accounts; accounts with no state at all have no entry. */
  getMany(ids: readonly string[]): Promise<Map<string, AccountState>>;
  /** Cools an account down until `untilMs` (epoch ms); expires by itself. */
  setCooldown(id: string, untilMs: number, kind: string, message: string): Promise<void>;
  clearCooldown(id: string): Promise<void>;
  /**
   * A token that changes whenever a cooldown is set or cleared, by any instance sharing
   * the store: the scheduler re-reads the accounts it knows to be cooling down only when
   * it changed (one read a lapse instead of one per cooling account).
   */
  cooldownsVersion(): Promise<string>;
  /** Records a use; `lastUsedAt` never moves backwards. */
  markUsed(id: string, atMs: number): Promise<void>;
  /**
   * Takes one of account `id`'s `limit` concurrency slots for `holder` (the lease in scope
   * {@link accountLeaseScope} of the store's {@link LeaseRepository}, as `acquire` takes
   * it: renewed, released and counted there) and, when taken, records the use at `atMs`
   * as {@link markUsed} does: what picking an account writes, in one call (one script in
   * Redis). False, with nothing written, when the account's slots are full.
   */
  takeSlot(id: string, holder: string, limit: number, ttlMs: number, atMs: number): Promise<boolean>;
  /**
   * The latest errors recorded by `setCooldown` (newest first, at most
   * {@link MAX_RECENT_ACCOUNT_ERRORS} per account, kept as long as the account's state),
   * for the admin; not read on the request path.
   */
  recentErrors(ids: readonly string[]): Promise<Map<string, AccountErrorEntry[]>>;
}

/** The lease scope of account `id`'s concurrency slots (see {@link AccountStateRepository.takeSlot}). */
export function accountLeaseScope(id: string): string {
  return `account:${id}`;
}

/** One recorded account error. */
export interface AccountErrorEntry {
  /** Epoch ms. */
  at: number;
  kind: string;
  message: string;
}

/** How many errors per account {@link AccountStateRepository.recentErrors} keeps. */
export const MAX_RECENT_ACCOUNT_ERRORS = 20;

/** One account check: the account type's probe, run on a schedule or by an operator. */
export interface AccountCheckEntry {
  /** When the check started, epoch ms. */
  at: number;
  ok: boolean;
  /** The probe's short, secret-free message. */
  message?: string;
  /** How long the probe took, in milliseconds. */
  latencyMs: number;
  /** What the probe reported besides (quota windows, balances, subscription tier). */
  details?: Record<string, unknown>;
  /** `schedule` for a scheduled check, `manual` for the admin's "check now". */
  trigger: 'schedule' | 'manual';
  /** What the check did to the account: paused or cooled it down, or cleared what an earlier check set. */
  action?: 'paused' | 'cooled-down' | 'resumed' | 'cooldown-cleared';
}

/** How many checks per account {@link AccountCheckRepository} keeps. */
export const MAX_ACCOUNT_CHECKS = 100;

/**
 * The history of account checks: the latest {@link MAX_ACCOUNT_CHECKS} per account,
 * newest first. Durable (kept across restarts), bounded by the trim on every append.
 */
export interface AccountCheckRepository {
  /** Adds a check to the account's history, dropping the oldest beyond {@link MAX_ACCOUNT_CHECKS}. */
  append(accountId: string, entry: AccountCheckEntry): Promise<void>;
  /** The account's checks, newest first (at most `limit`, default {@link MAX_ACCOUNT_CHECKS}). */
  list(accountId: string, limit?: number): Promise<AccountCheckEntry[]>;
  /** The newest check of each of `ids`; accounts never checked have no entry. */
  latest(ids: readonly string[]): Promise<Map<string, AccountCheckEntry>>;
  /** Forgets the account's history (when the account is deleted). */
  delete(accountId: string): Promise<void>;
}

export interface SettingsRepository {
  get<T = unknown>(name: string): Promise<T | undefined>;
  set(name: string, value: unknown): Promise<void>;
  all(): Promise<Record<string, unknown>>;
}

export interface PluginKvRepository {
  get<T = unknown>(namespace: string, key: string): Promise<T | undefined>;
  set(namespace: string, key: string, value: unknown, ttlMs?: number): Promise<void>;
  delete(namespace: string, key: string): Promise<void>;
}

/** Summed usage of one scope over one period. Costs are integer micro-dollars. */
export interface UsageTotals {
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  cacheReadTokens: number;
  costMicros: number;
  ratedCostMicros: number;
}

/**
 * Counts to add to one aggregate row. `scope` is `all`, `key:<id>`, `account:<id>`,
 * `model:<model>`, `key-model:<id>:<model>` or `unpriced:<model>`; `period` is `all`, `m:YYYY-MM`,
 * `d:YYYY-MM-DD` or `h:YYYY-MM-DDTHH` (in the configured time zone).
 */
export interface UsageAggregateDelta {
  scope: string;
  period: string;
  /** Epoch ms after which the row may be dropped; absent: kept forever. */
  expiresAtMs?: number;
  totals: UsageTotals;
}

/** What the usage summary ranks a scope by. */
export interface ScopeRank {
  costMicros: number;
  requests: number;
}

/** Usage aggregates (roll-ups), written in batches by the usage pipeline. */
export interface UsageAggregateRepository {
  /** Adds every delta to its row (rows are created on first add). */
  add(deltas: readonly UsageAggregateDelta[]): Promise<void>;
  /** Totals of `scope` for each of `periods` (periods with no data are absent). */
  get(scope: string, periods: readonly string[]): Promise<Map<string, UsageTotals>>;
  /** The scopes with data in `period` (optionally those starting with `prefix`). */
  scopes(period: string, prefix?: string): Promise<string[]>;
  /**
   * The cost and request count of every scope starting with `prefix` that has data in any
   * of `periods`, summed over them: what the usage summary ranks keys, accounts and
   * models by, in one read (one GROUP BY query, or a union of per-period sorted sets)
   * however many scopes there are.
   */
  scopeRanks(prefix: string, periods: readonly string[]): Promise<Map<string, ScopeRank>>;
  /** The totals of each of `scopes` summed over `periods` (scopes with no data are absent), in one read. */
  sumScopes(scopes: readonly string[], periods: readonly string[]): Promise<Map<string, UsageTotals>>;
  /** Drops rows past their expiry; returns how many (a backend with native TTLs returns 0). */
  purgeExpired(nowMs: number): Promise<number>;
}

/** Retention of the request log (the stored usage records). */
export interface UsageRetentionRepository {
  /** Deletes records older than `beforeMs` (epoch ms); returns how many. */
  purgeBefore(beforeMs: number): Promise<number>;
}

/** One published version of the merged price table. */
export interface PriceBookVersion {
  version: number;
  /** SHA-256 of the canonical table. */
  digest: string;
  createdAt: string;
  table: PriceTable;
}

/** Versions of the price book, so a past record can say which prices it used. */
export interface PriceBookRepository {
  /** The latest version when its digest is `digest`, else a new version holding `table`. */
  publish(digest: string, table: PriceTable, createdAt: string): Promise<number>;
  get(version: number): Promise<PriceBookVersion | undefined>;
  /** Newest first, without the tables. */
  list(limit?: number): Promise<Omit<PriceBookVersion, 'table'>[]>;
}

/** One bucket of a sliding window: its start (epoch ms) and the amount added in it. */
export type WindowBucket = readonly [startMs: number, amount: number];

/**
 * Meters behind key limits, shared by every instance: bucketed sliding windows
 * (requests, tokens, cost), durable totals (spend per day, week, lifetime), durable
 * maxima (largest single request) and write-once marks (first use of a key).
 */
export interface MeterRepository {
  /**
   * Adds `amount` (may be negative) to the current bucket of window `key` and returns
   * the window's sum over the last `periodMs` (buckets `bucketMs` wide).
   */
  addToWindow(key: string, amount: number, bucketMs: number, periodMs: number): Promise<number>;
  /** The live buckets of window `key` (oldest first) and the clock they were read with. */
  readWindow(key: string, bucketMs: number, periodMs: number): Promise<{ now: number; buckets: WindowBucket[] }>;
  /**
   * Adds to a durable total and returns it. With `retainMs` the total is forgotten that
   * long after its last addition (per-day and per-week spend); without, it is kept.
   */
  addTotal(key: string, amount: number, retainMs?: number): Promise<number>;
  /** Durable totals (0 when never added to), in the order asked. */
  getTotals(keys: readonly string[]): Promise<number[]>;
  /** Raises a durable maximum to at least `value`; returns the maximum. */
  raiseMax(key: string, value: number): Promise<number>;
  getMax(key: string): Promise<number>;
  /** Writes `value` unless a mark exists; returns the mark kept (the first written). */
  markOnce(key: string, value: number): Promise<number>;
  /** The mark `markOnce` kept, or undefined when none was written (reads without writing). */
  getMark(key: string): Promise<number | undefined>;
  /**
   * Applies every write of `charges` as {@link addTotal}, {@link addToWindow} and
   * {@link raiseMax} would, in one call (one round trip, one script in Redis): the meter
   * writes of a charged usage batch. Each write is applied whole; resolves once all are.
   */
  charge(charges: MeterCharges): Promise<void>;
}

/** The meter writes of one charge (see {@link MeterRepository.charge}); amounts are integers. */
export interface MeterCharges {
  readonly totals?: readonly { readonly key: string; readonly amount: number; readonly retainMs?: number | undefined }[];
  readonly windows?: readonly {
    readonly key: string;
    readonly amount: number;
    readonly bucketMs: number;
    readonly periodMs: number;
  }[];
  readonly maxima?: readonly { readonly key: string; readonly value: number }[];
}

/**
 * A fair (first come, first served) waiting line in front of a lease scope. Leases it
 * grants live in the {@link LeaseRepository} under the same scope, so they are renewed,
 * released and counted there. A waiter that stops polling expires after `ttlMs`.
 */
export interface LeaseQueueRepository {
  /**
   * Takes a lease at once when nobody waits and a slot is free (`acquired`); otherwise
   * joins the line (`queued`) unless `maxWaiting` already wait (`full`).
   */
  enter(scope: string, holder: string, limit: number, maxWaiting: number, ttlMs: number): Promise<'acquired' | 'queued' | 'full'>;
  /**
   * For a waiter: takes the lease when it is among the first in line for the free
   * slots (`acquired`); else refreshes its place (`waiting`); `lost` when its place expired.
   */
  poll(scope: string, holder: string, limit: number, ttlMs: number): Promise<'acquired' | 'waiting' | 'lost'>;
  /** Leaves the line (no-op when not in it). */
  leave(scope: string, holder: string): Promise<void>;
  /** Live waiters in `scope`. */
  length(scope: string): Promise<number>;
}

/** Every repository, plus the store's own health and lifecycle. */
export interface Store {
  readonly kind: 'embedded' | 'redis';
  readonly keys: KeyRepository;
  readonly accounts: AccountRepository;
  readonly groups: GroupRepository;
  readonly users: UserRepository;
  readonly usage: UsageRepository;
  readonly leases: LeaseRepository;
  readonly counters: CounterRepository;
  readonly sticky: StickyRepository;
  readonly accountState: AccountStateRepository;
  readonly settings: SettingsRepository;
  readonly pluginKv: PluginKvRepository;
  readonly usageAggregates: UsageAggregateRepository;
  readonly usageRetention: UsageRetentionRepository;
  readonly priceBooks: PriceBookRepository;
  readonly meters: MeterRepository;
  readonly leaseQueues: LeaseQueueRepository;
  /** Quota cards: batches, cards, redemptions (card-types.ts). */
  readonly cards: CardRepository;
  readonly accountChecks: AccountCheckRepository;
  /** The schema version the stored data is at (after migrations ran). */
  schemaVersion(): Promise<number>;
  /** Resolves when the backend answers; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A create that collides with an existing id or unique value. */
export class StoreConflictError extends Error {
  override readonly name = 'StoreConflictError';
}
