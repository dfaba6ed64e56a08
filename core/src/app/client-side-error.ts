/**
 * Errors a client causes on its own connection: it went away, stalled past the request
 * timeout, or sent bytes that are not HTTP. Normal on the internet and nothing an
 * operator can act on, so they are logged at debug, never as errors.
 */

const CLIENT_SIDE_CODES = new Set([
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_HTTP_REQUEST_TIMEOUT',
]);

/** True for an error raised by the client's side of a connection (including HTTP parse errors, `HPE_*`). */
export function isClientSideError(error: unknown): boolean {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  if (name === 'AbortError') return true;
  return typeof code === 'string' && (CLIENT_SIDE_CODES.has(code) || code.startsWith('HPE_'));
}
