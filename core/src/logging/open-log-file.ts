/**
 * The log file destination (`logging.file`): JSON lines in files rotated by date (and
 * optionally size), old ones deleted or gzipped, by winston-daily-rotate-file. The
 * library is imported only when a file is configured.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type Transport from 'winston-transport';
import type { GatewayConfig } from '../config/schema.js';

/** The `logging.file` section, defaults applied. */
export type LogFileConfig = NonNullable<GatewayConfig['logging']['file']>;

/**
 * Opens the rotated log files in `config.dirname` (relative to `baseDir`, created when
 * missing). A write that fails is reported on stderr: the logger cannot log about itself.
 */
export async function openLogFile(config: LogFileConfig, baseDir: string): Promise<Transport> {
  const { default: DailyRotateFile } = await import('winston-daily-rotate-file');
  const dirname = resolve(baseDir, config.dirname);
  mkdirSync(dirname, { recursive: true });
  const transport = new DailyRotateFile({
    dirname,
    filename: config.filename,
    datePattern: config.datePattern,
    maxFiles: config.maxFiles,
    ...(config.maxSize === undefined ? {} : { maxSize: config.maxSize }),
    zippedArchive: config.zippedArchive,
    utc: config.utc,
    // Which files are ours to delete: one audit file per file name, beside the logs.
    auditFile: join(dirname, `.${config.filename.replace(/%DATE%/g, 'DATE')}-audit.json`),
  });
  transport.on('error', (error: unknown) => {
    process.stderr.write(`log file ${dirname}: ${error instanceof Error ? error.message : String(error)}\n`);
  });
  return transport;
}
