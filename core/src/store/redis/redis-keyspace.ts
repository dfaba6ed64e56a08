/**
 * Every Redis key the store writes, under one prefix (default `switchyard:`), so that
 * several deployments (or test runs) can share a server and be flushed separately.
 *
 * Durable (no TTL): `keys`, `keys:by-hash`, `accounts`, `groups`, `users`, `settings`
 * (hashes of JSON), `usage` (sorted set id → epoch ms), `usage:records` (hash id → JSON),
 * `usage:by-key:<keyId>` (sorted sets), `kv:<ns>:<key>` (plugin KV, TTL when asked),
 * `account-checks:<id>` (lists, trimmed to the last 100), `meta:schema_version`; quota cards:
 * `cards`, `cards:by-hash`, `card-batches`, `card-redemptions` (hashes of JSON),
 * `cards:by-batch:<batchId>` (sets), `card-redemptions:<all|key:id|batch:id>` (sorted sets).
 * Ephemeral (always a TTL): `lease:<scope>`, `counter:<key>`, `sticky:<key>`,
 * `account-state:<id>`, `account-cooldown:<id>`, `account-cooldowns:version`, `meta:migration-lock`.
 */

/** The default key prefix of the redis store. */
export const DEFAULT_REDIS_PREFIX = 'switchyard:';

/** Builds the store's key names under a prefix. */
export class RedisKeyspace {
  constructor(readonly prefix: string = DEFAULT_REDIS_PREFIX) {}

  readonly keys = (): string => `${this.prefix}keys`;
  readonly keysByHash = (): string => `${this.prefix}keys:by-hash`;
  readonly accounts = (): string => `${this.prefix}accounts`;
  readonly groups = (): string => `${this.prefix}groups`;
  /** Before schema version 3: admins only (migrated into `users`). */
  readonly legacyAdmins = (): string => `${this.prefix}admins`;
  readonly users = (): string => `${this.prefix}users`;
  readonly settings = (): string => `${this.prefix}settings`;
  readonly usage = (): string => `${this.prefix}usage`;
  readonly usageRecords = (): string => `${this.prefix}usage:records`;
  /** Prefix of the per-key usage indexes (the key id is appended). */
  readonly usageByKeyPrefix = (): string => `${this.prefix}usage:by-key:`;
  readonly usageByKey = (keyId: string): string => `${this.usageByKeyPrefix()}${keyId}`;
  readonly pluginKv = (namespace: string, key: string): string => `${this.prefix}kv:${namespace}:${key}`;
  readonly lease = (scope: string): string => `${this.prefix}lease:${scope}`;
  readonly counter = (key: string): string => `${this.prefix}counter:${key}`;
  readonly sticky = (key: string): string => `${this.prefix}sticky:${key}`;
  readonly accountState = (id: string): string => `${this.prefix}account-state:${id}`;
  readonly accountCooldown = (id: string): string => `${this.prefix}account-cooldown:${id}`;
  /** Incremented by every cooldown set or cleared (AccountStateRepository.cooldownsVersion). */
  readonly accountCooldownsVersion = (): string => `${this.prefix}account-cooldowns:version`;
  readonly accountErrors = (id: string): string => `${this.prefix}account-errors:${id}`;
  readonly cards = (): string => `${this.prefix}cards`;
  readonly cardsByHash = (): string => `${this.prefix}cards:by-hash`;
  readonly cardsByBatch = (batchId: string): string => `${this.prefix}cards:by-batch:${batchId}`;
  readonly cardBatches = (): string => `${this.prefix}card-batches`;
  readonly cardRedemptions = (): string => `${this.prefix}card-redemptions`;
  /** Sorted set of redemption ids by epoch ms: all, or one key's, or one batch's. */
  readonly cardRedemptionIndex = (scope: 'all' | `key:${string}` | `batch:${string}`): string =>
    `${this.prefix}card-redemptions:${scope}`;
  readonly accountChecks = (id: string): string => `${this.prefix}account-checks:${id}`;
  readonly schemaVersion = (): string => `${this.prefix}meta:schema_version`;
  readonly migrationLock = (): string => `${this.prefix}meta:migration-lock`;
}
