/**
 * Reads an Anthropic error answer into the contract's error kinds, where the status
 * alone says too little:
 *
 * - 429 with `anthropic-ratelimit-unified-reset` (epoch seconds) or `retry-after`:
 *   `rate_limited` until then (capped at {@link MAX_RATE_LIMIT_WAIT_MS}), naming the
 *   window from `anthropic-ratelimit-unified-representative-claim`. A 429 with neither
 *   gets no `retryAfterMs`, so the short configured cooldown applies, never hours.
 * - 529: `overloaded`. 401: `auth_failed`.
 * - 400/403 saying the organization has been disabled (or OAuth is not allowed for it):
 *   `forbidden`, and the account is paused until an admin resumes or resets it.
 * - 400 saying the credit balance is too low: `quota_exhausted` (another account may serve).
 * - Everything else: the core's default (other 5xx `upstream_5xx`, 4xx `bad_request`).
 */
import { UpstreamError, type UpstreamErrorKind, type UpstreamErrorResponse, headerValue } from '@switchyard/plugin-api';

/** Longest an account waits on a rate-limit reset before it is tried again. */
export const MAX_RATE_LIMIT_WAIT_MS = 5 * 60 * 60 * 1000;
const DISABLED_ORGANIZATION = /organization has been disabled|oauth authentication is currently not allowed/i;
const CREDIT_TOO_LOW = /credit balance is too low/i;

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

function flatHeaders(headers: UpstreamErrorResponse['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** `retry-after` (seconds or HTTP date) in milliseconds. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Milliseconds until the unified rate-limit reset (epoch seconds), or undefined. */
export function unifiedResetMs(headers: UpstreamErrorResponse['headers'], now = Date.now()): number | undefined {
  const reset = Number(headerValue(headers['anthropic-ratelimit-unified-reset']));
  if (!Number.isFinite(reset) || reset <= 0) return undefined;
  return Math.max(0, reset * 1000 - now);
}

function windowName(claim: string | undefined): string | undefined {
  if (!claim) return undefined;
  if (claim === 'five_hour') return '5h';
  // `seven_day` -> `7d`; per-family weekly windows: `seven_day_opus` -> `7d_opus`.
  if (claim.startsWith('seven_day')) return claim.replace('seven_day', '7d');
  return claim;
}

function errorOf(
  kind: UpstreamErrorKind,
  message: string,
  response: UpstreamErrorResponse,
  extra: { retryAfterMs?: number; window?: string; pauseAccount?: boolean } = {},
): UpstreamError {
  return new UpstreamError(kind, message, {
    status: response.status,
    headers: flatHeaders(response.headers),
    body: response.body,
    ...(extra.retryAfterMs === undefined ? {} : { retryAfterMs: extra.retryAfterMs }),
    ...(extra.window === undefined ? {} : { window: extra.window }),
    ...(extra.pauseAccount ? { pauseAccount: true } : {}),
  });
}

/** Classifies an Anthropic error answer; undefined leaves it to the core's default. */
export function classifyClaudeError(response: UpstreamErrorResponse, now = Date.now()): UpstreamError | undefined {
  const { status, headers } = response;
  if (status === 429) {
    const wait = unifiedResetMs(headers, now) ?? retryAfterMs(headerValue(headers['retry-after']), now);
    const window = windowName(headerValue(headers['anthropic-ratelimit-unified-representative-claim']));
    const extra = {
      ...(wait === undefined ? {} : { retryAfterMs: Math.min(wait, MAX_RATE_LIMIT_WAIT_MS) }),
      ...(window ? { window } : {}),
    };
    return errorOf('rate_limited', `Anthropic rate limit (429)${window ? ` on the ${window} window` : ''}`, response, extra);
  }
  if (status === 529) {
    const wait = retryAfterMs(headerValue(headers['retry-after']), now);
    return errorOf('overloaded', 'Anthropic is overloaded (529)', response, wait === undefined ? {} : { retryAfterMs: wait });
  }
  if (status === 401) return errorOf('auth_failed', 'Anthropic rejected the credential (401)', response);
  if (status === 400 || status === 403) {
    const text = Buffer.from(response.body).toString('utf8');
    if (DISABLED_ORGANIZATION.test(text)) {
      return errorOf(
        'forbidden',
        `Anthropic says the account's organization is disabled (${status}); an admin must check the account`,
        response,
        {
          pauseAccount: true,
        },
      );
    }
    if (status === 400 && CREDIT_TOO_LOW.test(text))
      return errorOf('quota_exhausted', 'Anthropic credit balance too low (400)', response);
  }
  return undefined;
}
