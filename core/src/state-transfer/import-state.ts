/**
 * Imports a state file into a store: verifies it (format, passphrase, integrity), checks
 * that this gateway's key-hash secret is the exporting one's (or exported key hashes
 * would never verify), plans every step, then (unless a dry run) applies them. Nothing
 * is written before every check passed and every sealed value opened.
 */
import type { Store } from '../store/types.js';
import type { GatewaySecrets } from '../security/secrets.js';
import type { AggregatePeriodRetention } from './aggregate-periods.js';
import { keyHashCheckOf } from './export-state.js';
import { applyPlan, type ImportStep } from './import-plan.js';
import { openStateFile } from './open-state-file.js';
import { planCards } from './plan-cards.js';
import {
  planAccountChecks,
  planAccountLastUsed,
  planAccounts,
  planGroups,
  planKeyMeters,
  planKeys,
  planSettings,
  planUsers,
} from './plan-records.js';
import { planUsage } from './plan-usage.js';
import { StateFileError } from './state-file.js';

/** What {@link importState} needs. */
export interface ImportStateOptions {
  store: Store;
  secrets: GatewaySecrets;
  /** The file's text. */
  text: string;
  passphrase: string;
  /** Plan only: report what would be written, write nothing. */
  dryRun: boolean;
  /** The importing gateway's aggregate retention (config `usage.aggregates`). */
  retention: AggregatePeriodRetention;
}

/** What an import did (or would do). */
export interface ImportResult {
  steps: ImportStep[];
  /** Whether the file held usage. */
  withUsage: boolean;
}

/**
 * Verifies, plans and applies.
 *
 * @throws StateFileError when the file cannot be read or verified, or was exported by a
 *   gateway with another `ENCRYPTION_KEY` (nothing is written then).
 */
export async function importState(options: ImportStateOptions): Promise<ImportResult> {
  const { file, keys } = await openStateFile(options.text, options.passphrase);
  let exportedCheck: unknown;
  try {
    exportedCheck = keys.open(file.keyHashCheck);
  } catch {
    throw new StateFileError('the state file is damaged: its key-hash check does not open');
  }
  if (exportedCheck !== keyHashCheckOf(options.secrets)) {
    throw new StateFileError(
      "this gateway's ENCRYPTION_KEY is not the one the file was exported with: its client keys and cards would not " +
        "authenticate here. Import with the exporting gateway's ENCRYPTION_KEY (nothing was imported).",
    );
  }
  const context = { store: options.store, secrets: options.secrets, keys, data: file.data };
  // Keys before cards (a redemption changes a key) and before their meters.
  const steps = [
    ...(await planKeys(context)),
    ...(await planKeyMeters(context)),
    ...(await planGroups(context)),
    ...(await planAccounts(context)),
    ...(await planAccountLastUsed(context)),
    ...(await planAccountChecks(context)),
    ...(await planUsers(context)),
    ...(await planSettings(context)),
    ...(await planCards(context)),
    ...(await planUsage(context, options.retention)),
  ];
  if (!options.dryRun) await applyPlan(steps);
  return { steps, withUsage: file.data.usage !== undefined };
}
