/**
 * The default reading of an upstream error answer, used when an account type has no
 * `classifyError` or it returns undefined.
 */
import { UpstreamError, type UpstreamErrorKind, type UpstreamErrorResponse } from '../plugin-api/index.js';

function header(headers: UpstreamErrorResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `retry-after` as milliseconds (seconds or an HTTP date), or undefined. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

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
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const retryAfterMs = parseRetryAfter(header(response.headers, 'retry-after'));
  return new UpstreamError(kindForStatus(response.status), `upstream answered ${response.status}`, {
    status: response.status,
    headers,
    body: response.body,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}
