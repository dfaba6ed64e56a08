/**
 * The store could not be reached or could not do its work (Redis down, the SQLite file
 * locked, full or unreadable): the gateway answers 503 with Retry-After, not 500, since
 * the request itself was fine and will succeed once the store is back.
 */

/** Thrown by a store when its backend is unreachable (the message is for logs, never for clients). */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

/**
 * SQLite result codes (primary and extended, e.g. `SQLITE_IOERR_WRITE`) that mean the
 * file cannot be used right now rather than that the statement or its data was wrong.
 */
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|CORRUPT|NOTADB|NOMEM|PROTOCOL|PERM)(_|$)/;

/**
 * Whether `error` says the store is unavailable: a {@link StoreUnavailableError}, the
 * Redis client giving up on a command after its reconnect attempts
 * (`MaxRetriesPerRequestError`), or a SQLite error about the file rather than the data.
 */
export function isStoreUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (
    error instanceof StoreUnavailableError ||
    error.name === 'StoreUnavailableError' ||
    error.name === 'MaxRetriesPerRequestError'
  )
    return true;
  const code = (error as { code?: unknown }).code;
  return error.name === 'SqliteError' && typeof code === 'string' && SQLITE_UNAVAILABLE.test(code);
}
