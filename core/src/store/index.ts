/**
 * The store module: repository interfaces, the two backends and the factory that picks
 * one from the configuration.
 */
export {
  StoreConflictError,
  MAX_ACCOUNT_CHECKS,
  type AccountCheckEntry,
  type AccountCheckRepository,
  type AccountRecord,
  type AccountRepository,
  type AccountState,
  type AccountStateRepository,
  type UserRecord,
  type UserRole,
  type UserSource,
  type UserRepository,
  type CounterRepository,
  type GroupRecord,
  type GroupRepository,
  type KeyRecord,
  type KeyRepository,
  type LeaseRepository,
  type PluginKvRepository,
  type RecordSource,
  type SettingsRepository,
  type StickyRepository,
  type Store,
  type UsageQuery,
  type UsageRepository,
} from './types.js';
export type {
  CardBatchRecord,
  CardRecord,
  CardRedeemDecision,
  CardRedeemResult,
  CardRedemptionQuery,
  CardRedemptionRecord,
  CardRepository,
  CardRevokeResult,
  CardTerms,
  KeyTermsSnapshot,
} from './card-types.js';
export { StoreSchemaError, type Migration } from './migrations.js';
export { createStore, type CreateStoreOptions, type StoreConfig } from './create-store.js';
export { createEmbeddedStore, type EmbeddedStoreOptions } from './embedded/create-embedded-store.js';
export { createRedisStore, type RedisStoreOptions } from './redis/create-redis-store.js';
export { DEFAULT_REDIS_PREFIX } from './redis/redis-keyspace.js';
export { DEFAULT_REDIS_USAGE_MAX_RECORDS } from './redis/redis-usage.js';
