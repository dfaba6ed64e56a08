/**
 * Reloads the config file's declared groups, accounts and keys into a running gateway
 * (what `SIGHUP` does): the file is read and validated again, then applied by the same
 * {@link deployDeclared} the start uses. An unreadable or invalid file changes nothing:
 * every declaration is checked before anything is written, and the problems are logged.
 * Requests in flight keep the key and account they were admitted with; the next ones
 * see the new records (the key and account caches are cleared by the writes).
 */
import type { Logger } from '@switchyard/plugin-api';
import type { AccountService } from '../accounts/account-service.js';
import type { KeyService } from '../keys/key-service.js';
import type { Store } from '../store/types.js';
import { canonicalJson } from '../security/canonical-json.js';
import { ConfigError } from './config-error.js';
import { deployDeclared, type DeployReport } from './deploy-declared.js';
import { loadConfig } from './load-config.js';
import type { GatewayConfig } from './schema.js';

/** What a reload did. */
export type ReloadOutcome =
  | {
      ok: true;
      /** What changed, per kind, as at start. */
      report: DeployReport;
      /** Other sections of the file that differ from the running config: they take effect at the next restart. */
      needsRestart: string[];
    }
  | {
      ok: false;
      /** Why nothing (or, when the store failed midway, not everything) was applied. */
      problems: string[];
    };

/** Options of {@link reloadDeclared}. */
export interface ReloadDeclaredOptions {
  /** The config file the gateway was started with (absolute, or relative to `cwd`). */
  file: string;
  /** The environment for `${VAR}` and the overrides; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Where `.env` is looked for; default `process.cwd()`. */
  cwd?: string;
  /** The config the gateway runs with, to tell which other sections changed. */
  running: GatewayConfig;
  keys: KeyService;
  accounts: AccountService;
  store: Pick<Store, 'groups' | 'accounts' | 'keys' | 'settings'>;
  log: Logger;
}

/** The sections a reload applies; everything else is read at start only. */
const RELOADED_SECTIONS = new Set(['groups', 'accounts', 'keys']);

/**
 * Re-reads `file` and applies its declared groups, accounts and keys. Never throws:
 * the outcome says what happened, and it is logged (`config reloaded` with the counts,
 * or `config reload failed` with every problem).
 */
export async function reloadDeclared(options: ReloadDeclaredOptions): Promise<ReloadOutcome> {
  const { log } = options;
  let config: GatewayConfig;
  try {
    config = (
      await loadConfig({
        file: options.file,
        ...(options.env ? { env: options.env } : {}),
        ...(options.cwd ? { cwd: options.cwd } : {}),
      })
    ).config;
  } catch (error) {
    return failed(log, error, 'nothing was changed');
  }
  let report: DeployReport;
  try {
    report = await deployDeclared({ config, keys: options.keys, accounts: options.accounts, store: options.store, log });
  } catch (error) {
    // Declarations are all checked before the first write: a ConfigError changed nothing.
    return failed(log, error, error instanceof ConfigError ? 'nothing was changed' : 'the reload may be partly applied');
  }
  const needsRestart = changedSections(options.running, config);
  log.info('config reloaded', { file: options.file, ...report });
  if (needsRestart.length > 0)
    log.warn('config sections changed that take effect at the next restart', { sections: needsRestart });
  return { ok: true, report, needsRestart };
}

function failed(log: Logger, error: unknown, consequence: string): ReloadOutcome {
  const problems = error instanceof ConfigError ? [...error.problems] : [error instanceof Error ? error.message : String(error)];
  log.error(`config reload failed; ${consequence}`, { problems });
  return { ok: false, problems };
}

/** Top-level sections other than the reloaded ones whose content differs (names only: values may hold secrets). */
function changedSections(running: GatewayConfig, next: GatewayConfig): string[] {
  const names = new Set([...Object.keys(running), ...Object.keys(next)]);
  return [...names]
    .filter((name) => !RELOADED_SECTIONS.has(name))
    .filter(
      (name) =>
        canonicalJson((running as Record<string, unknown>)[name] ?? null) !==
        canonicalJson((next as Record<string, unknown>)[name] ?? null),
    )
    .sort();
}
