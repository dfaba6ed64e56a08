/**
 * `switchyard import crs --redis URL --encryption-key KEY [--dry-run] [--only …]`:
 * imports a reference relay service (crs) installation into the store the config names, through
 * the account types of the plugins the config loads. Prints the report table.
 */
import { parseArgs } from 'node:util';
import { AccountService } from '../accounts/account-service.js';
import type { AccountTypeDefinition } from '@switchyard/plugin-api';
import { declarePlugins } from '../plugins/declare-plugins.js';
import { credentialSchemaFor, settingsSchemaFor } from '../plugins/account-type-schemas.js';
import type { RegisteredAccountType } from '../plugins/registry-types.js';
import { CRS_SECTIONS, importCrs, type CrsSection } from '../migration/crs/import-crs.js';
import { formatCrsImportReport } from '../migration/crs/crs-import-report.js';
import type { CliIo } from './cli-io.js';
import { withOperatorContext, type CliDeps } from './operator-context.js';
import { UsageError } from './usage-error.js';

function parseOnly(value: string | undefined): CrsSection[] | undefined {
  if (value === undefined) return undefined;
  const parts = value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const unknown = parts.filter((part) => !(CRS_SECTIONS as readonly string[]).includes(part));
  if (parts.length === 0 || unknown.length > 0) {
    throw new UsageError(`--only takes a comma-separated list of ${CRS_SECTIONS.join(', ')}`);
  }
  return parts as CrsSection[];
}

/** The account types of the plugins the config loads (only their declarations and schemas are needed). */
function registeredTypes(
  definitions: readonly { pluginId: string; definition: AccountTypeDefinition }[],
): RegisteredAccountType[] {
  return definitions.map(({ pluginId, definition }) => ({
    pluginId,
    definition,
    serves: [],
    credentialSchema: credentialSchemaFor(definition),
    settingsSchema: settingsSchemaFor(definition),
  }));
}

/** Runs `import crs`; returns the exit status. */
export async function importCrsCommand(args: string[], io: CliIo, deps: CliDeps): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string', short: 'c' },
      redis: { type: 'string' },
      'encryption-key': { type: 'string' },
      'dry-run': { type: 'boolean' },
      only: { type: 'string' },
      'key-prefix': { type: 'string' },
      'timezone-offset': { type: 'string' },
    },
    strict: true,
  });
  const env = deps.env ?? process.env;
  const encryptionKey = values['encryption-key'] ?? env.CRS_ENCRYPTION_KEY;
  if (!values.redis) throw new UsageError('import crs needs --redis URL (the reference installation’s Redis)');
  if (!encryptionKey)
    throw new UsageError('import crs needs --encryption-key KEY (or CRS_ENCRYPTION_KEY): the reference’s ENCRYPTION_KEY');
  const offset = values['timezone-offset'] === undefined ? 8 : Number(values['timezone-offset']);
  if (!Number.isFinite(offset) || offset < -14 || offset > 14)
    throw new UsageError('--timezone-offset takes hours from UTC, e.g. 8');
  const only = parseOnly(values.only);
  const keyPrefixes = (values['key-prefix'] ?? 'cr_')
    .split(',')
    .map((prefix) => prefix.trim())
    .filter(Boolean);
  const report = await withOperatorContext(values.config, deps, io, async (context) => {
    const declared = await declarePlugins({
      entries: context.config.plugins,
      pluginOptions: context.config.pluginOptions,
      rootDir: deps.cwd ?? process.cwd(),
      configDir: context.configDir,
    });
    const types = registeredTypes(
      declared.plugins.flatMap((loaded) =>
        (loaded.plugin.accountTypes ?? []).map((definition) => ({ pluginId: loaded.plugin.id, definition })),
      ),
    );
    const secrets = await context.secrets();
    const registry = { accountType: (id: string) => types.find((type) => type.definition.id === id) };
    const accounts = new AccountService({ store: context.store, secrets, registry, log: context.log });
    return importCrs({
      redisUrl: values.redis!,
      encryptionKey,
      keyPrefixes,
      utcOffsetHours: offset,
      dryRun: values['dry-run'] ?? false,
      ...(only ? { only } : {}),
      store: context.store,
      accountTypes: types,
      accounts,
      secrets,
    });
  });
  io.stdout(formatCrsImportReport(report));
  return 0;
}
