/** Structured fields attached to a log line. Never put a key, credential or prompt in them. */
export type LogFields = Record<string, unknown>;

/** The logger the core hands to plugins; lines are JSON with the plugin id and request id. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}
