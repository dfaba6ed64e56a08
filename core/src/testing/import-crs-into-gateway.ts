/**
 * Runs `switchyard import crs` against a test gateway's store and loaded plugins, the
 * way the CLI runs it against a config's store: for tests of account types' `imports`.
 */
import type { Gateway } from '../gateway-types.js';
import { AccountService } from '../accounts/account-service.js';
import { deriveSecrets } from '../security/secrets.js';
import { importCrs, type ImportCrsOptions } from '../migration/crs/import-crs.js';
import type { CrsImportReport } from '../migration/crs/crs-import-report.js';
import { silentLogger } from './test-http-client.js';

/** The options of `importCrs` that a test chooses (the rest comes from the gateway). */
export type ImportCrsIntoGatewayOptions = Omit<ImportCrsOptions, 'store' | 'accountTypes' | 'accounts' | 'secrets'>;

/**
 * Imports a reference installation's Redis into `gateway`'s store and returns the report.
 *
 * @example
 * const report = await importCrsIntoGateway(tg.gateway, { redisUrl, encryptionKey, dryRun: true });
 */
export async function importCrsIntoGateway(gateway: Gateway, options: ImportCrsIntoGatewayOptions): Promise<CrsImportReport> {
  const encryptionKey = gateway.config.security.encryptionKey;
  if (!encryptionKey) throw new Error('importCrsIntoGateway: the gateway config has no security.encryptionKey');
  const secrets = await deriveSecrets(encryptionKey);
  const accounts = new AccountService({ store: gateway.store, secrets, registry: gateway.registry, log: silentLogger });
  return importCrs({ ...options, store: gateway.store, accountTypes: gateway.registry.accountTypes(), accounts, secrets });
}
