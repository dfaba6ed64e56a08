/**
 * The Codex backend's usage-window headers (`x-codex-primary-used-percent`,
 * `-window-minutes`, `-reset-after-seconds`, and the `secondary` variants): read into a
 * snapshot kept per account in the plugin's kv, and used to classify a used-up window.
 */
import {
  UpstreamError,
  type PluginKv,
  type UpstreamErrorResponse,
  flattenHeaders,
  parseJsonBytes,
  parseRetryAfter,
  isRecord,
} from '@switchyard/plugin-api';

/** One usage window as the backend reports it. */
export interface CodexWindow {
  usedPercent: number;
  windowMinutes?: number;
  resetAfterSeconds?: number;
}

/** The account's latest usage windows. */
export interface CodexUsageSnapshot {
  primary?: CodexWindow;
  secondary?: CodexWindow;
  /** ISO time the snapshot was taken. */
  at: string;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): number | undefined {
  const raw = headers[name];
  const value = Number(Array.isArray(raw) ? raw[0] : raw);
  return raw === undefined || !Number.isFinite(value) ? undefined : value;
}

function windowOf(
  headers: Record<string, string | string[] | undefined>,
  which: 'primary' | 'secondary',
): CodexWindow | undefined {
  const usedPercent = header(headers, `x-codex-${which}-used-percent`);
  if (usedPercent === undefined) return undefined;
  const windowMinutes = header(headers, `x-codex-${which}-window-minutes`);
  const resetAfterSeconds = header(headers, `x-codex-${which}-reset-after-seconds`);
  return {
    usedPercent,
    ...(windowMinutes !== undefined ? { windowMinutes } : {}),
    ...(resetAfterSeconds !== undefined ? { resetAfterSeconds } : {}),
  };
}

/** Reads the usage windows from response headers; undefined when there are none. */
export function readCodexUsage(
  headers: Record<string, string | string[] | undefined>,
  now = new Date(),
): CodexUsageSnapshot | undefined {
  const primary = windowOf(headers, 'primary');
  const secondary = windowOf(headers, 'secondary');
  if (!primary && !secondary) return undefined;
  return { ...(primary ? { primary } : {}), ...(secondary ? { secondary } : {}), at: now.toISOString() };
}

/** The kv key of an account's snapshot. */
export function codexUsageKey(accountId: string): string {
  return `codex-usage:${accountId}`;
}

/** Stores the snapshot found in `headers`, if any. Failures are ignored (a snapshot is informational). */
export async function keepCodexUsage(
  kv: PluginKv,
  accountId: string,
  headers: Record<string, string | string[] | undefined>,
): Promise<void> {
  const snapshot = readCodexUsage(headers);
  if (snapshot) await kv.set(codexUsageKey(accountId), snapshot).catch(() => undefined);
}

/** `"5h"`, `"7d"` or `"<n>m"` for a window length in minutes. */
export function windowName(minutes: number | undefined): string | undefined {
  if (minutes === undefined) return undefined;
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

/** A 429 `usage_limit_reached` is a used-up subscription window until its reset. */
export function classifyCodexError(response: UpstreamErrorResponse): UpstreamError | undefined {
  if (response.status !== 429) return undefined;
  const body = parseJsonBytes(response.body);
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const limited = error.type === 'usage_limit_reached' || error.code === 'usage_limit_reached';
  if (!limited) return undefined;
  const usage = readCodexUsage(response.headers);
  const hit =
    usage?.primary && usage.primary.usedPercent >= 100
      ? usage.primary
      : usage?.secondary && usage.secondary.usedPercent >= 100
        ? usage.secondary
        : usage?.primary;
  const resetsIn = typeof error.resets_in_seconds === 'number' ? error.resets_in_seconds : hit?.resetAfterSeconds;
  const retryAfterMs = resetsIn !== undefined ? resetsIn * 1000 : parseRetryAfter(response.headers['retry-after']);
  const window = windowName(hit?.windowMinutes);
  return new UpstreamError('quota_exhausted', `codex usage limit reached${window ? ` (${window} window)` : ''}`, {
    status: 429,
    headers: flattenHeaders(response.headers),
    body: response.body,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(window ? { window } : {}),
  });
}
