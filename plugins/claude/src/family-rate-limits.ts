/**
 * Rate limits that hold for one model family only. Anthropic's subscription windows
 * include per-family weekly windows (`seven_day_opus`, `seven_day_sonnet`, named by
 * `anthropic-ratelimit-unified-representative-claim`); a 429 on one of them leaves the
 * account usable for the other families. The error reaction records the family's
 * reset and lifts the account-wide cooldown; a scheduler filter then leaves the account
 * out for that family's models only, until the reset. Limits are kept in the plugin's
 * key-value store and re-read periodically, so every gateway instance honours them.
 */
import type { AccountErrorReaction, CandidateFilter, PluginKv } from '@switchyard/plugin-api';
import { modelFamily } from './model-family.js';

const STORE_KEY = 'family-rate-limits';
const FAMILY_WINDOW = /^7d_([a-z]+)$/;

/** Per-account, per-family rate limits. */
export class FamilyRateLimits {
  /** `<accountId>:<family>` -> epoch ms until which the family is limited. */
  private limits: Record<string, number> = {};

  constructor(
    private readonly kv: PluginKv,
    private readonly accountTypes: ReadonlySet<string>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Epoch ms until which `family` is limited on the account, if it is. */
  limitedUntil(accountId: string, family: string): number | undefined {
    const until = this.limits[`${accountId}:${family}`];
    return until !== undefined && until > this.now() ? until : undefined;
  }

  /** The error reaction: a 429 on a family window limits that family, not the account. */
  readonly reaction: AccountErrorReaction = ({ account, error }) => {
    if (!this.accountTypes.has(account.type) || error.kind !== 'rate_limited' || error.retryAfterMs === undefined)
      return undefined;
    const family = FAMILY_WINDOW.exec(error.window ?? '')?.[1];
    if (!family) return undefined;
    this.limits[`${account.id}:${family}`] = this.now() + error.retryAfterMs;
    void this.save();
    return { cooldownMs: 0 };
  };

  /** The scheduler filter: an account limited for the request's model family is left out. */
  readonly filter: CandidateFilter = {
    name: 'claude-family-rate-limits',
    filter: (candidate, request) => {
      if (!this.accountTypes.has(candidate.account.type)) return true;
      const family = modelFamily(request.facts.model);
      const until = family ? this.limitedUntil(candidate.account.id, family) : undefined;
      return until === undefined ? true : `rate limited for ${family} models until ${new Date(until).toISOString()}`;
    },
  };

  /** Re-reads the limits other instances stored (merged with this instance's). */
  async reload(): Promise<void> {
    const stored = await this.kv.get<Record<string, number>>(STORE_KEY);
    if (stored && typeof stored === 'object') this.limits = this.merged(stored);
  }

  private merged(other: Record<string, number>): Record<string, number> {
    const now = this.now();
    const merged: Record<string, number> = {};
    for (const source of [other, this.limits]) {
      for (const [key, until] of Object.entries(source)) {
        if (typeof until === 'number' && until > now) merged[key] = Math.max(merged[key] ?? 0, until);
      }
    }
    return merged;
  }

  private async save(): Promise<void> {
    try {
      const stored = await this.kv.get<Record<string, number>>(STORE_KEY);
      this.limits = this.merged(stored && typeof stored === 'object' ? stored : {});
      await this.kv.set(STORE_KEY, this.limits);
    } catch {
      // Kept in memory; the next save or reload tries again.
    }
  }
}
