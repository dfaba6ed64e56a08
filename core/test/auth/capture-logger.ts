import type { Logger, LogFields } from '@switchyard/plugin-api';

/** One captured log line. */
export interface CapturedLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields?: LogFields;
}

/** A logger that records every line, for assertions. */
export function captureLogger(): { log: Logger; lines: CapturedLine[] } {
  const lines: CapturedLine[] = [];
  const make = (base: LogFields): Logger => {
    const write = (level: CapturedLine['level']) => (message: string, fields?: LogFields) => {
      lines.push({ level, message, fields: { ...base, ...fields } });
    };
    return {
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      child: (fields) => make({ ...base, ...fields }),
    };
  };
  return { log: make({}), lines };
}
