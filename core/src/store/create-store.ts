/** Opens the store the configuration names. */
import { isAbsolute, resolve } from 'node:path';
import type { Logger } from '@switchyard/plugin-api';
import type { Store } from './types.js';
import type { Clock } from '../time/clock.js';
import { IN_MEMORY_PATH } from './embedded/sqlite-database.js';

/** The `store` section of the configuration. */
export type StoreConfig =
  { type: 'embedded'; path: string } | { type: 'redis'; url: string; prefix?: string; replyTimeoutMs?: number };

/** Options of {@link createStore}. */
export interface CreateStoreOptions {
  /** Directory a relative embedded `path` is resolved against (the config file's); default the working directory. */
  readonly baseDir?: string;
  /** For warnings about the store (the embedded store tightens loose file permissions; a hung Redis). */
  readonly log?: Logger;
  /**
   * Governs the embedded store's TTLs, leases and windows (and the timestamps the Redis
   * store compares cooldowns with); Redis keeps its TTLs on its server clock. Default the system clock.
   */
  readonly clock?: Clock;
}

/**
 * Opens the embedded or the redis store, migrating its data to the current schema.
 *
 * @example
 * ```ts
 * const store = await createStore({ type: 'embedded', path: './data' }, { baseDir: dirname(configFile) });
 * ```
 * @throws StoreSchemaError when the data was written by a newer Switchyard; an Error
 *   naming the URL (without password) when Redis is unreachable.
 */
export async function createStore(config: StoreConfig, options: CreateStoreOptions = {}): Promise<Store> {
  if (config.type === 'embedded') {
    const path =
      config.path === IN_MEMORY_PATH || isAbsolute(config.path)
        ? config.path
        : resolve(options.baseDir ?? process.cwd(), config.path);
    // Each backend is imported when used: a gateway on one store never loads the other's
    // client (ioredis alone is about 12 MB of resident memory).
    const { createEmbeddedStore } = await import('./embedded/create-embedded-store.js');
    return createEmbeddedStore({
      path,
      ...(options.log === undefined ? {} : { log: options.log }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
  }
  const { createRedisStore } = await import('./redis/create-redis-store.js');
  return createRedisStore({
    url: config.url,
    ...(config.prefix === undefined ? {} : { prefix: config.prefix }),
    ...(config.replyTimeoutMs === undefined ? {} : { replyTimeoutMs: config.replyTimeoutMs }),
    ...(options.log === undefined ? {} : { log: options.log }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
}
