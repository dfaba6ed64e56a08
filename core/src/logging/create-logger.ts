/**
 * The gateway's logger: winston writing JSON lines, wrapped in the contract's small
 * {@link Logger} interface. Field values whose names look secret are redacted, so a
 * careless `log.info('x', { apiKey })` cannot leak a credential.
 */
import winston from 'winston';
import Transport from 'winston-transport';
import type { Logger, LogFields } from '@switchyard/plugin-api';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface LoggerOptions {
  level?: LogLevel;
  /** Receives every line as an object instead of stdout (tests, embedding). */
  sink?: (entry: Record<string, unknown>) => void;
  /** Fields on every line. */
  base?: LogFields;
  /** Lines on stdout (when there is no `sink`); default true. */
  console?: boolean;
  /** More destinations (a log file), closed by {@link LoggerHandle.close}. */
  transports?: readonly Transport[];
}

/** A root logger and what ends its destinations. */
export interface LoggerHandle {
  log: Logger;
  /** Detaches the closable destinations (files) and waits until what they buffered is written. */
  close(): Promise<void>;
}

const SECRET_FIELD = /(authorization|api[-_]?key|secret|password|passwd|token|cookie|credential|private[-_]?key)/i;

/** Replaces values of secret-looking fields with `[redacted]`, recursively, without touching the input. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) {
    out[name] =
      SECRET_FIELD.test(name) && field !== undefined && typeof field !== 'boolean' && typeof field !== 'number'
        ? '[redacted]'
        : redact(field, depth + 1);
  }
  return out;
}

class SinkTransport extends Transport {
  constructor(private readonly sink: (entry: Record<string, unknown>) => void) {
    super();
  }
  override log(info: Record<string, unknown>, next: () => void): void {
    this.sink(Object.assign({}, info));
    next();
  }
}

/**
 * Wraps a winston logger. A child is built lazily, on its first line at an enabled
 * level: most requests log nothing, and they should not pay for a logger per request.
 */
function wrap(resolveInner: () => winston.Logger): Logger {
  let inner: winston.Logger | undefined;
  const get = () => (inner ??= resolveInner());
  const write = (level: LogLevel) => (message: string, fields?: LogFields) => {
    const target = get();
    if (!target.isLevelEnabled(level)) return;
    target.log(level, message, fields ? (redact(fields) as LogFields) : undefined);
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (fields) => wrap(() => get().child(redact(fields) as LogFields)),
  };
}

/** Creates the root logger. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return createLoggerHandle(options).log;
}

/** Creates the root logger with a handle that closes its files (the gateway's logger). */
export function createLoggerHandle(options: LoggerOptions = {}): LoggerHandle {
  const transports: Transport[] = [...(options.transports ?? [])];
  if (options.sink) transports.unshift(new SinkTransport(options.sink));
  else if (options.console !== false || transports.length === 0) transports.unshift(new winston.transports.Console());
  const inner = winston.createLogger({
    level: options.level ?? 'info',
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    defaultMeta: options.base,
    transports,
  });
  return {
    log: wrap(() => inner),
    async close() {
      for (const transport of options.transports ?? []) {
        inner.remove(transport);
        const closable = transport as Transport & { close?: () => void };
        if (typeof closable.close !== 'function') continue;
        await new Promise<void>((done) => {
          closable.once('finish', () => done());
          closable.close!();
        });
      }
    },
  };
}
