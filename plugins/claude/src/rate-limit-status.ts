/**
 * The unified rate-limit status Anthropic reports on every subscription answer
 * (`anthropic-ratelimit-unified-5h-status`: `allowed`, `allowed_warning`, `rejected`,
 * `…-5h-reset` in epoch seconds, and the same for other windows). It is kept on the
 * account in the plugin's key-value store (for the probe and the admin) and in memory,
 * where a scheduler filter reads it: an account with the setting
 * `pauseOnFiveHourWarning` is left out once its 5-hour window warns, until the window
 * resets, keeping the rest of the window for its owner.
 */
import { headerValue } from '@switchyard/plugin-api';
import type { CandidateFilter, PluginKv, UpstreamResponse } from '@switchyard/plugin-api';

/** Key prefix of the stored status (`<prefix>:<accountId>`). */
export const RATE_LIMIT_STATUS_KEY = 'rate-limit-status';

const KEPT_FOR_MS = 7 * 24 * 60 * 60 * 1000;
const PREFIX = 'anthropic-ratelimit-unified-';

/** The unified rate-limit headers of an answer (names without the prefix), or undefined when it has none. */
export function unifiedRateLimitStatus(headers: UpstreamResponse['headers']): Record<string, string> | undefined {
  const status: Record<string, string> = {};
  for (const name in headers) {
    if (!name.startsWith(PREFIX)) continue;
    const text = headerValue(headers[name]);
    if (text !== undefined) status[name.slice(PREFIX.length)] = text;
  }
  return Object.keys(status).length > 0 ? status : undefined;
}

/** The last unified rate-limit status of each account. */
export class RateLimitStatusBook {
  private readonly latest = new Map<string, Record<string, string>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Stores the status of `headers` for the account when there is one; never throws. */
  remember(kv: PluginKv, accountId: string, headers: UpstreamResponse['headers']): void {
    const status = unifiedRateLimitStatus(headers);
    if (!status) return;
    this.latest.set(accountId, status);
    void kv
      .set(`${RATE_LIMIT_STATUS_KEY}:${accountId}`, { ...status, seenAt: new Date(this.now()).toISOString() }, KEPT_FOR_MS)
      .catch(() => undefined);
  }

  /** Epoch ms until which the account's 5-hour window warns, when it does. */
  fiveHourWarningUntil(accountId: string): number | undefined {
    const status = this.latest.get(accountId);
    if (status?.['5h-status'] !== 'allowed_warning') return undefined;
    const reset = Number(status['5h-reset']) * 1000;
    return Number.isFinite(reset) && reset > this.now() ? reset : undefined;
  }

  /** The filter pausing accounts with `pauseOnFiveHourWarning` while their 5-hour window warns. */
  readonly filter: CandidateFilter = {
    name: 'claude-five-hour-warning',
    filter: (candidate) => {
      if (candidate.account.settings.pauseOnFiveHourWarning !== true) return true;
      const until = this.fiveHourWarningUntil(candidate.account.id);
      return until === undefined ? true : `paused: 5-hour window warning until ${new Date(until).toISOString()}`;
    },
  };
}
