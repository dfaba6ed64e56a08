/**
 * Reads what only a Google error body tells: a 429's `RetryInfo.retryDelay`, and a 400
 * that is really a rejected API key (`API_KEY_INVALID`).
 */
import {
  UpstreamError,
  type UpstreamErrorResponse,
  flattenHeaders,
  parseJsonBytes,
  parseRetryAfter,
  isRecord,
} from '@switchyard/plugin-api';

function details(body: Uint8Array): Record<string, unknown>[] {
  const parsed = parseJsonBytes(body);
  const list = isRecord(parsed) && isRecord(parsed.error) && Array.isArray(parsed.error.details) ? parsed.error.details : [];
  return list.filter(isRecord);
}

/** `"30s"` / `"1.5s"` in milliseconds. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

/** Classifies a Google error answer, or undefined for the core's default. */
export function classifyGoogleError(response: UpstreamErrorResponse, label: string): UpstreamError | undefined {
  const all = details(response.body);
  const base = { status: response.status, headers: flattenHeaders(response.headers), body: response.body };
  if (response.status === 400 && all.some((detail) => detail.reason === 'API_KEY_INVALID')) {
    return new UpstreamError('auth_failed', `${label}: the API key was rejected (API_KEY_INVALID)`, base);
  }
  if (response.status !== 429) return undefined;
  const retry = all.map((detail) => parseDuration(detail.retryDelay)).find((ms) => ms !== undefined);
  const retryAfterMs = retry ?? parseRetryAfter(response.headers['retry-after']);
  return new UpstreamError('rate_limited', `${label}: rate limited (429 RESOURCE_EXHAUSTED)`, {
    ...base,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}
