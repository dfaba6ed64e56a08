/**
 * Tells a failure of the gateway itself apart from one of the upstream. An account cools
 * down only for what its upstream did (an HTTP answer, a refused, reset or timed-out
 * connection); a request the HTTP client refused to build, or an adapter's programming
 * error, happened before anything left the gateway, would fail the same way on every
 * account, and must not take accounts offline.
 */
import { isUpstreamError } from '@switchyard/plugin-api';

/**
 * Error codes of a request that never left: the HTTP client refused an argument or a
 * header (`expect`, invalid characters), was already closed, or the body did not match
 * its declared length; Node's own argument checks.
 */
const LOCAL_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
  'UND_ERR_INVALID_RETURN_VALUE',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_DESTROYED',
  'UND_ERR_CLOSED',
  'UND_ERR_MAX_ORIGINS_REACHED',
  'ERR_INVALID_URL',
  'ERR_INVALID_ARG_TYPE',
  'ERR_INVALID_ARG_VALUE',
  'ERR_INVALID_HTTP_TOKEN',
  'ERR_INVALID_CHAR',
  'ERR_HTTP_INVALID_HEADER_VALUE',
]);

/** Causes followed at most (adapters wrap what the HTTP client threw, sometimes twice). */
const MAX_CAUSE_DEPTH = 5;

function isProgrammingError(error: Error): boolean {
  return error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError;
}

/**
 * True when `error`, thrown by an adapter (or a credential refresh), is the gateway's own
 * failure: somewhere in its cause chain a local error code, or a TypeError, RangeError
 * or ReferenceError, and no code of a network failure (a `fetch failed` TypeError caused
 * by a refused connection is the upstream's). An {@link UpstreamError} of a kind other
 * than `network` is the adapter's own verdict on the upstream, and kept.
 */
export function isLocalFailure(error: unknown): boolean {
  if (isUpstreamError(error) && error.kind !== 'network') return false;
  let local = false;
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < MAX_CAUSE_DEPTH; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') {
      if (!LOCAL_CODES.has(code)) return false;
      local = true;
    } else if (isProgrammingError(current)) {
      local = true;
    }
    current = current.cause;
  }
  return local;
}
