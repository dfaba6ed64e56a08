/**
 * What operator commands work with: the config, the store it names, and (when a command
 * needs them) the gateway's secrets. The store is always closed afterwards.
 */
import { isAbsolute, resolve } from 'node:path';
import type { Logger } from '@switchyard/plugin-api';
import type { GatewayConfig } from '../config/schema.js';
import type { Store } from '../store/types.js';
import { deriveSecrets, resolveEncryptionKey, type GatewaySecrets } from '../security/secrets.js';
import { cliLogger, type CliIo } from './cli-io.js';

/** Replaceable collaborators of the CLI (tests pass their own). */
export interface CliDeps {
  /** Environment for the config loader; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Working directory for the config loader; default `process.cwd()`. */
  cwd?: string;
  loadConfig?: (options: {
    file?: string;
    env?: NodeJS.ProcessEnv;
    cwd?: string;
  }) => Promise<{ config: GatewayConfig; dir: string }>;
  createStore?: (store: GatewayConfig['store'], options: { baseDir: string }) => Promise<Store>;
  runGateway?: (options: { configFile?: string }) => Promise<void>;
  /** Asks for a passphrase without echo; default the terminal (export/import). */
  prompt?: (question: string) => Promise<string>;
  /** HTTP GET for `status`; default `fetch`. */
  fetch?: typeof fetch;
}

/** An open config and store for one operator command. */
export interface OperatorContext {
  config: GatewayConfig;
  /** The config file's folder (relative paths in the config resolve against it). */
  configDir: string;
  store: Store;
  log: Logger;
  /** Derives the gateway's secrets (reading or generating the key file like the gateway). */
  secrets(): Promise<GatewaySecrets>;
}

/** Loads the config, opens its store, runs `action`, and closes the store. */
export async function withOperatorContext<T>(
  configFile: string | undefined,
  deps: CliDeps,
  io: CliIo,
  action: (context: OperatorContext) => Promise<T>,
): Promise<T> {
  const loadConfig = deps.loadConfig ?? (await import('../config/load-config.js')).loadConfig;
  const createStore = deps.createStore ?? (await import('../store/create-store.js')).createStore;
  const loadOptions: { file?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {};
  if (configFile !== undefined) loadOptions.file = configFile;
  if (deps.env !== undefined) loadOptions.env = deps.env;
  if (deps.cwd !== undefined) loadOptions.cwd = deps.cwd;
  const { config, dir } = await loadConfig(loadOptions);
  const log = cliLogger(io);
  const store = await createStore(config.store, { baseDir: dir });
  try {
    return await action({
      config,
      configDir: dir,
      store,
      log,
      secrets: async () => {
        const key = await resolveEncryptionKey({
          configured: config.security.encryptionKey,
          storeKind: config.store.type,
          dataDir: config.store.type === 'embedded' ? dataDirOf(config.store.path, dir) : undefined,
          log,
        });
        return deriveSecrets(key);
      },
    });
  } finally {
    await store.close();
  }
}

/** The embedded store's data folder, as the store resolves it. */
function dataDirOf(path: string, dir: string): string {
  return path === ':memory:' || isAbsolute(path) ? path : resolve(dir, path);
}
