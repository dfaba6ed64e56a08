/** The `kind` label of `switchyard_errors_total` for an HTTP status the gateway answered. */

const KINDS: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthenticated',
  402: 'spend_limit',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'timeout',
  413: 'payload_too_large',
  429: 'rate_limited',
  499: 'client_abort',
  500: 'internal',
  502: 'upstream_error',
  503: 'unavailable',
  504: 'upstream_timeout',
  529: 'upstream_overloaded',
};

/** A stable, low-cardinality kind for `status` (>= 400): named for the usual ones, `http_<status>` otherwise. */
export function errorKind(status: number): string {
  return KINDS[status] ?? `http_${status}`;
}
