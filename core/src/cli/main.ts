/**
 * The `switchyard` command line: start the gateway, manage client keys, recover admin
 * access. `main` returns the exit status instead of exiting, so it runs in-process in
 * tests with injected output and collaborators.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/config-error.js';
import { processIo, type CliIo } from './cli-io.js';
import { HELP_TEXT } from './help-text.js';
import type { CliDeps } from './operator-context.js';
import { UsageError } from './usage-error.js';

export type { CliIo } from './cli-io.js';
export type { CliDeps } from './operator-context.js';

/** Exit status: success. */
export const EXIT_OK = 0;
/** Exit status: the command failed (message on stderr). */
export const EXIT_ERROR = 1;
/** Exit status: the command line was wrong. */
export const EXIT_USAGE = 2;

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit status.
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: readonly string[], io: CliIo = processIo, deps: CliDeps = {}): Promise<number> {
  const [command, ...rest] = argv;
  try {
    // Each command's module is loaded when it runs: `start` then loads none of the others'
    // (the reference import brings ioredis, state transfer its crypto), which keeps the
    // gateway's start quick and its memory small.
    switch (command) {
      case undefined:
        io.stderr(HELP_TEXT);
        return EXIT_USAGE;
      case 'help':
      case '--help':
      case '-h':
        io.stdout(HELP_TEXT);
        return EXIT_OK;
      case 'start':
        return await start(rest, deps);
      case 'keys':
        return await (await import('./keys-command.js')).keysCommand(rest, io, deps);
      case 'admin':
        return await (await import('./admin-command.js')).adminCommand(rest, io, deps);
      case 'status':
        return await (await import('./status-command.js')).statusCommand(rest, io, deps);
      case 'export':
        return await (await import('./state-commands.js')).exportCommand(rest, io, deps);
      case 'import':
        return await (await import('./import-command.js')).importCommand(rest, io, deps);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    // Errors are told apart by name as well: a command's module, loaded when it runs, may
    // hold its own copy of these classes where modules are loaded twice (tsx in tests).
    if (error instanceof UsageError || isNamed(error, 'UsageError') || isParseArgsError(error)) {
      io.stderr(`error: ${(error as Error).message}\nRun "switchyard help" for usage.\n`);
      return EXIT_USAGE;
    }
    if (error instanceof ConfigError || isNamed(error, 'ConfigError') || isNamed(error, 'StateFileError')) {
      io.stderr(`${error.message}\n`);
      return EXIT_ERROR;
    }
    io.stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_ERROR;
  }
}

async function start(args: string[], deps: CliDeps): Promise<number> {
  const { values } = parseArgs({ args, options: { config: { type: 'string', short: 'c' } }, strict: true });
  const runGateway = deps.runGateway ?? (await import('../run-gateway.js')).runGatewayFromCli;
  await runGateway(values.config === undefined ? {} : { configFile: values.config });
  return EXIT_OK;
}

function isNamed(error: unknown, name: string): error is Error {
  return error instanceof Error && error.name === name;
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
