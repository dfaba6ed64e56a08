/**
 * `switchyard export` and `switchyard import FILE`: the whole state of a gateway in one
 * passphrase-protected file (state-transfer/), e.g. to move from the embedded store to
 * Redis and back.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIo } from './cli-io.js';
import { withOperatorContext, type CliDeps } from './operator-context.js';
import { readPassphrase, terminalPrompt } from './read-passphrase.js';
import { UsageError } from './usage-error.js';

/** Runs `export`; the file goes to stdout. */
export async function exportCommand(args: string[], io: CliIo, deps: CliDeps): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string', short: 'c' },
      'passphrase-env': { type: 'string' },
      'with-usage': { type: 'boolean' },
    },
    strict: true,
  });
  const { exportState } = await import('../state-transfer/export-state.js');
  const { MIN_PASSPHRASE_LENGTH } = await import('../state-transfer/passphrase-keys.js');
  const passphrase = await readPassphrase({
    variable: values['passphrase-env'],
    env: deps.env ?? process.env,
    prompt: deps.prompt ?? terminalPrompt,
    confirm: true,
    minLength: MIN_PASSPHRASE_LENGTH,
  });
  const file = await withOperatorContext(values.config, deps, io, async (context) =>
    exportState({
      store: context.store,
      secrets: await context.secrets(),
      passphrase,
      withUsage: values['with-usage'] === true,
      timeZone: context.config.usage.timeZone,
      retention: context.config.usage.aggregates,
      now: Date.now,
    }),
  );
  io.stdout(`${JSON.stringify(file, null, 2)}\n`);
  const data = file.data;
  io.stderr(
    `Exported ${data.keys.length} keys, ${data.accounts.length} accounts, ${data.groups.length} groups, ` +
      `${data.users.length} users, ${Object.keys(data.settings).length} settings, ${data.cards.batches.length} card batches` +
      (data.usage ? `, ${data.usage.records.length} usage records, ${data.usage.aggregates.length} usage aggregate rows` : '') +
      '.\n',
  );
  return 0;
}

/** Runs `import FILE`: verifies the file, then imports it (or, with --dry-run, reports what it would do). */
export async function importStateCommand(args: string[], io: CliIo, deps: CliDeps): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      config: { type: 'string', short: 'c' },
      'passphrase-env': { type: 'string' },
      'dry-run': { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('import needs exactly one file: switchyard import state.json');
  const path = resolve(deps.cwd ?? process.cwd(), positionals[0]!);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    io.stderr(`error: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
    return 1;
  }
  const { importState } = await import('../state-transfer/import-state.js');
  const { formatPlan } = await import('../state-transfer/import-plan.js');
  const passphrase = await readPassphrase({
    variable: values['passphrase-env'],
    env: deps.env ?? process.env,
    prompt: deps.prompt ?? terminalPrompt,
    confirm: false,
  });
  const dryRun = values['dry-run'] === true;
  const result = await withOperatorContext(values.config, deps, io, async (context) =>
    importState({
      store: context.store,
      secrets: await context.secrets(),
      text,
      passphrase,
      dryRun,
      retention: context.config.usage.aggregates,
    }),
  );
  io.stdout(formatPlan(result.steps, dryRun));
  if (dryRun) io.stderr('Dry run: nothing was written.\n');
  return 0;
}
