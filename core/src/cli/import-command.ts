/**
 * `switchyard import …`: `import crs …` reads a running reference relay service (crs) from its
 * Redis (import-crs-command.ts); `import FILE` a state file from `switchyard export`
 * (state-commands.ts).
 */
import type { CliIo } from './cli-io.js';
import { importCrsCommand } from './import-crs-command.js';
import { importStateCommand } from './state-commands.js';
import type { CliDeps } from './operator-context.js';

/** Runs an `import` subcommand; returns the exit status. */
export async function importCommand(args: string[], io: CliIo, deps: CliDeps): Promise<number> {
  if (args[0] === 'crs') return importCrsCommand(args.slice(1), io, deps);
  return importStateCommand(args, io, deps);
}
