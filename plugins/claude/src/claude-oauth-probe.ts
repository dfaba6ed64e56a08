/**
 * The admin's "test" for a claude-oauth account: the profile endpoint tells the
 * subscription tier, the usage endpoint the 5-hour and 7-day utilisation, and the last
 * unified rate-limit headers the adapter saw are added. Setup tokens (inference scope
 * only) may not read the profile or usage; that is reported, not failed.
 */
import { isRecord, parseJsonSafely, timestampMs } from '@switchyard/plugin-api';
import type { AccountContext, HttpClient, ProbeResult } from '@switchyard/plugin-api';
import type { ClaudeOptions } from './claude-options.js';
import type { ClaudeOAuthCredentials } from './claude-oauth-credentials.js';
import { OAUTH_BETA } from './claude-oauth-headers.js';
import { RATE_LIMIT_STATUS_KEY } from './rate-limit-status.js';
import { originOf } from './send-to-anthropic.js';

async function getJson(
  http: HttpClient,
  url: string,
  accessToken: string,
  signal: AbortSignal,
): Promise<{ status: number; body: unknown }> {
  const response = await http.request(url, {
    method: 'GET',
    headers: { authorization: `Bearer ${accessToken}`, 'anthropic-beta': OAUTH_BETA, accept: 'application/json' },
    signal,
  });
  return { status: response.status, body: parseJsonSafely(await response.text()) };
}

/** The subscription tier a profile answer describes (`max`, `pro`, or the organization type). */
export function subscriptionTier(profile: unknown): string | undefined {
  if (!isRecord(profile)) return undefined;
  const account = isRecord(profile.account) ? profile.account : {};
  const organization = isRecord(profile.organization) ? profile.organization : {};
  if (account.has_claude_max === true) return 'max';
  if (account.has_claude_pro === true) return 'pro';
  return typeof organization.organization_type === 'string' ? organization.organization_type : 'free';
}

/** The usage windows of a usage answer: `{ "5h": { utilization, resetsAt }, "7d": … }`. */
export function usageWindows(usage: unknown): Record<string, { utilization: number; resetsAt?: string }> {
  const windows: Record<string, { utilization: number; resetsAt?: string }> = {};
  if (!isRecord(usage)) return windows;
  const names: Record<string, string> = {
    five_hour: '5h',
    seven_day: '7d',
    seven_day_opus: '7d-opus',
    seven_day_sonnet: '7d-sonnet',
  };
  for (const [field, name] of Object.entries(names)) {
    const window = usage[field];
    if (!isRecord(window) || typeof window.utilization !== 'number') continue;
    windows[name] = {
      utilization: window.utilization,
      ...(typeof window.resets_at === 'string' ? { resetsAt: window.resets_at } : {}),
    };
  }
  return windows;
}

/** Probes a claude-oauth account. */
export async function probeClaudeOAuth(
  options: ClaudeOptions,
  context: AccountContext<ClaudeOAuthCredentials>,
): Promise<ProbeResult> {
  const { credentials, http, signal, kv, account } = context;
  const { profileUrl, usageUrl } = options;
  const details: Record<string, unknown> = {};
  try {
    const profile = await getJson(http, profileUrl, credentials.accessToken, signal);
    if (profile.status === 401) return { ok: false, message: 'Anthropic rejected the access token (401)' };
    if (profile.status === 200) details.subscription = subscriptionTier(profile.body);
    else details.profile = `not available (${profile.status})`;
    const usage = await getJson(http, usageUrl, credentials.accessToken, signal);
    if (usage.status === 200) details.usage = usageWindows(usage.body);
    else details.usage = `not available (${usage.status})`;
  } catch {
    return { ok: false, message: `${originOf(profileUrl)} is unreachable` };
  }
  const rateLimit = await kv.get(`${RATE_LIMIT_STATUS_KEY}:${account.id}`).catch(() => undefined);
  if (rateLimit !== undefined) details.rateLimit = rateLimit;
  const expiresAt = timestampMs(credentials.expiresAt);
  if (expiresAt !== undefined) details.expiresAt = new Date(expiresAt).toISOString();
  const tier = typeof details.subscription === 'string' ? ` (${details.subscription})` : '';
  return { ok: true, message: `the subscription token works${tier}`, details };
}
