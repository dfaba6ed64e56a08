/**
 * Sees every error the gateway logs, for `gateway.error`: wraps a logger so that each
 * `error()` line (of it and its children, with the children's fields) is also handed to
 * a listener set later (the notifications exist only after the logger).
 */
import type { LogFields, Logger } from '@switchyard/plugin-api';

/** A logger whose error lines also reach {@link ErrorTap.listener}. */
export class ErrorTap {
  /** Called with each error line; set once the notifications exist. */
  listener: ((message: string, fields: LogFields) => void) | undefined;

  /** Wraps `logger` (and its future children). */
  wrap(logger: Logger, inherited: LogFields = {}): Logger {
    return {
      debug: (message, fields) => logger.debug(message, fields),
      info: (message, fields) => logger.info(message, fields),
      warn: (message, fields) => logger.warn(message, fields),
      error: (message, fields) => {
        logger.error(message, fields);
        try {
          this.listener?.(message, { ...inherited, ...fields });
        } catch {
          // A listener never breaks logging.
        }
      },
      child: (fields) => this.wrap(logger.child(fields), { ...inherited, ...fields }),
    };
  }
}
