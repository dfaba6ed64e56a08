/**
 * A complete gateway for tests: inline plugins, an in-memory (or throwaway redis) store,
 * a fresh encryption key, captured logs, listening on 127.0.0.1 with a free port.
 */
import { randomBytes } from 'node:crypto';
import type { Gateway, GatewayOptions } from '../gateway-types.js';
import type { GatewayConfigInput } from '../config/schema.js';
import type { SwitchyardPlugin, UsageRecord } from '@switchyard/plugin-api';
import { waitFor } from './wait-for.js';
import type { Clock } from '../time/clock.js';

/** An account to create before the gateway serves (same fields as `Gateway.createAccount`). */
export type TestAccount = Parameters<Gateway['createAccount']>[0];

/** A client key to create; its plaintext is returned in {@link TestGateway.keys}. */
export interface TestKey {
  name: string;
  limits?: Record<string, unknown>;
  /** Use this plaintext instead of a generated one. */
  plaintext?: string;
}

/** Options of {@link createTestGateway}. */
export interface TestGatewayOptions {
  /** Plugin objects to load (the config's own `plugins` list is emptied). */
  plugins: readonly SwitchyardPlugin[];
  /** Accounts to create, in order; their ids are in {@link TestGateway.accountIds}. */
  accounts?: readonly TestAccount[];
  /** Keys to create; default one key named `default`. */
  keys?: readonly TestKey[];
  /** `embedded` (default; SQLite `:memory:`) or `redis` (a test redis, unique prefix). */
  store?: 'embedded' | 'redis';
  /**
   * Config sections merged over the test defaults (host and port are always 127.0.0.1:0;
   * `server.shutdownTimeoutMs` defaults to 2000, logging to `debug`).
   */
  config?: Partial<GatewayConfigInput>;
  /**
   * The gateway's clock, e.g. a `ManualClock` the test advances instead of sleeping
   * (with the Redis store, TTLs stay on the Redis server's clock: see `ManualClock`).
   */
  clock?: Clock;
}

/** A listening test gateway. */
export interface TestGateway {
  /** Base URL, e.g. `http://127.0.0.1:39123`. */
  readonly url: string;
  /** Plaintext of the first key. */
  readonly key: string;
  /** Id of the first key (lease scope `key:<id>`, usage `keyId`). */
  readonly keyId: string;
  /** Plaintext of every key, by name. */
  readonly keys: Record<string, string>;
  /** Id of every key, by name. */
  readonly keyIds: Record<string, string>;
  readonly gateway: Gateway;
  /** Every log line the gateway wrote, as objects, in order. */
  readonly logs: Record<string, unknown>[];
  /** Every line the gateway printed (one-time notices). */
  readonly printed: string[];
  /** Ids of the created accounts, in the order given. */
  readonly accountIds: string[];
  /**
   * The usage records stored so far, newest first (at most 1000). A request's record is
   * written just after its answer ended, so this flushes the usage pipeline and waits (up
   * to `timeoutMs`, default 2000) until at least `count` records (default 1) are stored;
   * it rejects naming the count when they never come. `count: 0` reads without waiting.
   *
   * @example
   * await sendRequest(`${tg.url}/my/v1/chat`, { headers: { authorization: `Bearer ${tg.key}` }, body });
   * const [record] = await tg.usageRecords();
   * expect(record.usage.inputTokens).to.equal(11);
   */
  usageRecords(options?: { count?: number; timeoutMs?: number }): Promise<UsageRecord[]>;
  /** Closes the gateway (and the redis namespace when one was used). Safe to call twice. */
  close(): Promise<void>;
}

interface StoreHandle {
  config: NonNullable<GatewayConfigInput['store']>;
  stop(): Promise<void>;
}

async function openStore(kind: 'embedded' | 'redis'): Promise<StoreHandle> {
  if (kind === 'embedded') {
    return { config: { type: 'embedded', path: ':memory:' }, stop: async () => {} };
  }
  const { startRedisForTests } = await import('./redis-server.js');
  const redis = await startRedisForTests();
  // The prefix is unique per call, so gateways sharing one redis never see each other's keys.
  return { config: { type: 'redis', url: redis.url, prefix: redis.prefix }, stop: async () => redis.stop() };
}

/**
 * Creates, fills and starts a gateway for tests.
 *
 * @example
 * const tg = await createTestGateway({
 *   plugins: [echoPlugin],
 *   accounts: [{ type: 'echo-key', name: 'a', credentials: { apiKey: 'k-12345678', baseUrl: fake.url } }],
 * });
 * const res = await sendRequest(`${tg.url}/echo/v1/echo`, { headers: { authorization: `Bearer ${tg.key}` }, body });
 * await tg.close();
 */
export async function createTestGateway(options: TestGatewayOptions): Promise<TestGateway> {
  const base: Partial<GatewayConfigInput> = options.config ?? {};
  const encryptionKey = base.security?.encryptionKey ?? randomBytes(30).toString('base64url');
  const store =
    options.store === undefined && base.store !== undefined
      ? { config: base.store, stop: async () => {} }
      : await openStore(options.store ?? 'embedded');
  const logs: Record<string, unknown>[] = [];
  const printed: string[] = [];

  let gateway: Gateway | undefined;
  try {
    const config: GatewayConfigInput = {
      ...base,
      // A short graceful shutdown: a test that leaves a request hanging must not stall close().
      server: { shutdownTimeoutMs: 2000, ...base.server, host: '127.0.0.1', port: 0 },
      store: store.config,
      plugins: [],
      security: { ...base.security, encryptionKey },
      logging: { level: 'debug', ...base.logging },
      // Records reach the store and the sinks within 50 ms, so tests need not wait long.
      usage: { flushIntervalMs: 50, ...base.usage },
    };
    const gatewayOptions: GatewayOptions = {
      config,
      plugins: options.plugins,
      logSink: (entry) => logs.push(entry),
      print: (lines) => printed.push(...lines),
      env: { NODE_ENV: 'test', ENCRYPTION_KEY: encryptionKey },
      ...(options.clock ? { clock: options.clock } : {}),
    };
    // Loaded on first use, so fakes and helpers work without loading the engine.
    const { createGateway } = await import('../index.js');
    const running: Gateway = await createGateway(gatewayOptions);
    gateway = running;
    const url = await running.listen(0, '127.0.0.1');

    const keys: Record<string, string> = {};
    const keyIds: Record<string, string> = {};
    for (const key of options.keys ?? [{ name: 'default' }]) {
      const created = await running.createKey(key);
      keys[key.name] = created.key;
      keyIds[key.name] = created.id;
    }
    const accountIds: string[] = [];
    for (const account of options.accounts ?? []) {
      accountIds.push((await running.createAccount(account)).id);
    }
    const firstName = (options.keys ?? [{ name: 'default' }])[0]?.name;

    let closing: Promise<void> | undefined;
    return {
      url,
      key: firstName === undefined ? '' : keys[firstName]!,
      keyId: firstName === undefined ? '' : keyIds[firstName]!,
      keys,
      keyIds,
      gateway: running,
      logs,
      printed,
      accountIds,
      usageRecords({ count = 1, timeoutMs } = {}) {
        return waitFor(
          async () => {
            await running.flushUsage();
            const records = await running.store.usage.list({ limit: 1000 });
            return records.length >= count ? records : undefined;
          },
          { what: `${count} usage record(s)`, ...(timeoutMs !== undefined ? { timeoutMs } : {}) },
        );
      },
      close() {
        closing ??= running.close().finally(() => store.stop());
        return closing;
      },
    };
  } catch (error) {
    await gateway?.close().catch(() => {});
    await store.stop();
    throw error;
  }
}
