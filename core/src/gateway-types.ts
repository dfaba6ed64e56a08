/**
 * The public shape of a running gateway, as `createGateway()` returns it.
 */
import type { ProbeResult, SwitchyardPlugin } from '@switchyard/plugin-api';
import type { GatewayConfig, GatewayConfigInput } from './config/schema.js';
import type { Store } from './store/types.js';
import type { PluginRegistry } from './plugins/registry-types.js';
import type { CreateAccountInput } from './accounts/account-types.js';
import type { Clock } from './time/clock.js';
import type { AccountCheckListener } from './checks/account-checks.js';
import type { ReloadOutcome } from './config/reload-declared.js';

/** Options of {@link createGateway}. */
export interface GatewayOptions {
  /** The configuration (validated here; defaults applied). */
  config: GatewayConfigInput | GatewayConfig;
  /** Folder relative paths in the config resolve against (store path, plugin paths). Default: cwd. */
  configDir?: string;
  /** Installation root whose package.json `"plugins": "auto"` reads. Default: cwd. */
  rootDir?: string;
  /** Plugin objects loaded besides the config's entries (tests, embedding). */
  plugins?: readonly SwitchyardPlugin[];
  /**
   * The config file `config` was loaded from: {@link Gateway.reload} re-reads it
   * (`switchyard start` passes it; without it a reload reports that there is no file).
   */
  configFile?: string;
  /** Receives every log line as an object instead of stdout. */
  logSink?: (entry: Record<string, unknown>) => void;
  /** Where one-time notices (generated admin password) go. Default: stdout. */
  print?: (lines: readonly string[]) => void;
  /** Environment read for secrets (ENCRYPTION_KEY etc. are applied by the config loader). Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * The time every service reads (see time/clock.ts for what it governs); default the
   * system clock. Tests pass a `ManualClock` and advance it instead of sleeping.
   */
  clock?: Clock;
}

/** A created gateway: not yet listening. */
export interface Gateway {
  readonly config: GatewayConfig;
  readonly store: Store;
  readonly registry: PluginRegistry;
  /** Starts listening; resolves to the base URL, e.g. `http://127.0.0.1:3000`. Port 0 picks a free one. */
  listen(port?: number, host?: string): Promise<string>;
  /** The base URL once listening. */
  readonly url: string | undefined;
  /** Graceful stop: refuse new requests, let in-flight ones finish (up to the shutdown timeout), release leases, close the store. */
  close(): Promise<void>;
  /**
   * Writes the usage records queued so far, and the aggregates buffered from them, now
   * (the pipeline otherwise writes every `usage.flushIntervalMs`); resolves when written.
   */
  flushUsage(): Promise<void>;
  /**
   * Resolves once the work a request leaves behind is done: responses still being
   * delivered, the writes made without waiting (sticky binding, last use of accounts and
   * keys), the usage records and what their sinks do with them (aggregates, limit
   * charges, metrics) and the notifications it caused (handed to their targets, sends
   * finished; retries waiting on the clock are not awaited). For tests, instead of sleeping.
   */
  settled(): Promise<void>;
  /**
   * Turns usage recording on or off while running, as the config's `usage.record` does at
   * start. Off, requests leave no usage record, so no request log, aggregates, usage
   * metrics or limit charges: only for measuring what recording costs (the bench swaps
   * it between two gateways). Records already queued are still written.
   */
  setUsageRecording(on: boolean): void;
  /** Creates a client key (returns its plaintext once). */
  createKey(input: { name: string; limits?: Record<string, unknown>; plaintext?: string }): Promise<{ id: string; key: string }>;
  /** Creates an account (credentials validated and encrypted). */
  createAccount(input: Omit<CreateAccountInput, 'source'>): Promise<{ id: string }>;
  /**
   * Runs the probe of an account's type for it, as the admin's "test" button does (a
   * probe that throws gives `ok: false`). Rejects when the account does not exist or its
   * type has no probe.
   */
  probeAccount(id: string): Promise<ProbeResult>;
  /**
   * Calls `listener` after every account check this instance runs (scheduled or the
   * admin's "check now"), with the recorded result and the check before it; returns a
   * function that removes the listener. Each check is told on one instance only.
   */
  onAccountCheck(listener: AccountCheckListener): () => void;
  /**
   * Re-reads the config file ({@link GatewayOptions.configFile}) and applies its declared
   * groups, accounts and keys as the start does, without a restart (`SIGHUP` calls it).
   * An invalid file changes nothing and is logged; reloads run one at a time. Never rejects.
   */
  reload(): Promise<ReloadOutcome>;
}
