/**
 * Where the CLI writes: injectable, so commands run in-process in tests.
 */
import type { Logger, LogFields } from '@switchyard/plugin-api';
import { redact } from '../logging/create-logger.js';

/** Output channels of the CLI; each call writes one chunk of text (newlines included). */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The process's own stdout and stderr. */
export const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

/** A logger for operator commands: warnings and errors as plain lines on stderr, the rest dropped. */
export function cliLogger(io: CliIo): Logger {
  const line = (level: string) => (message: string, fields?: LogFields) => {
    const detail = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(redact(fields))}` : '';
    io.stderr(`${level}: ${message}${detail}\n`);
  };
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: line('warning'),
    error: line('error'),
    child: () => logger,
  };
  return logger;
}
