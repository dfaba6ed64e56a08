/**
 * Small helpers every upstream adapter needs: URL joining, secret-free descriptions of a
 * URL or a connection failure, `retry-after` parsing, header flattening, lenient JSON,
 * and one upstream call whose connection failures become `network` errors.
 */
import type { HttpClient } from './http.js';
import type { UpstreamErrorResponse, UpstreamResponse } from './account-type.js';
import { UpstreamError, isUpstreamError } from './errors.js';
import { upstreamResponse } from './upstream-response.js';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'upgrade',
  'proxy-connection',
  'te',
  'trailer',
]);

/** `base` (trailing slashes removed) joined with `path`. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
}

/** The origin of a URL, for messages (never the full URL, which might carry a secret). */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the upstream';
  }
}

/** A short, secret-free reason for a failed connection (`ECONNREFUSED`, ...). */
export function reasonOf(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code =
    typeof cause === 'object' && cause !== null && 'code' in cause ? String((cause as { code: unknown }).code) : undefined;
  return code ?? (cause instanceof Error ? cause.name : 'connection failed');
}

/** A `retry-after` value (seconds, or an HTTP date) in milliseconds; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Response headers as single strings, hop-by-hop headers removed. */
export function flattenHeaders(headers: UpstreamErrorResponse['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** The body parsed as JSON, or undefined. */
export function parseJsonBytes(body: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * One upstream POST/GET; connection failures become `network` errors naming only the
 * origin. The answer has `text()` and `json()` (see {@link UpstreamResponse}).
 */
export async function callUpstream(
  http: HttpClient,
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string | Uint8Array; signal: AbortSignal },
  label: string,
): Promise<UpstreamResponse> {
  try {
    const response = await http.request(url, init);
    return upstreamResponse({ status: response.status, headers: response.headers, body: response.body });
  } catch (error) {
    if (init.signal.aborted || isUpstreamError(error)) throw error;
    throw new UpstreamError('network', `${label} upstream ${originOf(url)} unreachable (${reasonOf(error)})`, { cause: error });
  }
}
