/**
 * The default reading of an upstream error answer, used when an account type has no
 * `classifyError` or it returns undefined.
 */
import {
  UpstreamError,
  parseRetryAfter,
  flattenHeaders,
  type UpstreamErrorKind,
  type UpstreamErrorResponse,
} from '@switchyard/plugin-api';

function kindForStatus(status: number): UpstreamErrorKind {
  if (status === 429) return 'rate_limited';
  if (status === 529 || status === 503) return 'overloaded';
  if (status === 401) return 'auth_failed';
  if (status === 403) return 'forbidden';
  if (status === 402) return 'quota_exhausted';
  if (status >= 500) return 'upstream_5xx';
  return 'bad_request';
}

/** Classifies an upstream error answer by status and `retry-after`. */
export function classifyUpstreamError(response: UpstreamErrorResponse): UpstreamError {
  const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
  return new UpstreamError(kindForStatus(response.status), `upstream answered ${response.status}`, {
    status: response.status,
    headers: flattenHeaders(response.headers),
    body: response.body,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}
