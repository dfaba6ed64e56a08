/**
 * The optional daily spending quota of a Claude account (`settings.dailyQuotaUsd`,
 * resetting every day at `settings.quotaResetTime`, `HH:mm` UTC, default `00:00`).
 * A usage sink adds each recorded request's cost to the account's total for the current
 * quota day (kept in the plugin's key-value store, so it survives restarts and is shared
 * by gateway instances on the redis store), and a scheduler filter leaves accounts whose
 * total reached the quota out until the next reset.
 */
import { z, type CandidateFilter, type PluginKv, type UsageRecord, type UsageSink } from '@switchyard/plugin-api';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The settings fields for the quota, to spread into an account type's settings schema. */
export const dailyQuotaSettingsShape = {
  dailyQuotaUsd: z
    .number()
    .positive()
    .optional()
    .describe('Most US dollars this account may spend per day (absent: no quota).')
    .meta({ title: 'Daily quota (USD)' }),
  quotaResetTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
    .optional()
    .describe('Time of day (HH:mm, UTC) when the daily quota resets; default 00:00.')
    .meta({ title: 'Quota reset time (UTC)' }),
};

/** The start (epoch ms) of the quota day containing `now` for a reset time `HH:mm` (UTC). */
export function quotaDayStart(now: number, resetTime = '00:00'): number {
  const [hours = 0, minutes = 0] = resetTime.split(':').map(Number);
  const offset = (hours * 60 + minutes) * 60 * 1000;
  return Math.floor((now - offset) / DAY_MS) * DAY_MS + offset;
}

function quotaOf(settings: Readonly<Record<string, unknown>>): { micros: number; resetTime: string } | undefined {
  const usd = settings.dailyQuotaUsd;
  if (typeof usd !== 'number' || !(usd > 0)) return undefined;
  const resetTime = typeof settings.quotaResetTime === 'string' ? settings.quotaResetTime : '00:00';
  return { micros: Math.round(usd * 1_000_000), resetTime };
}

/** Spending per account and quota day, in micro-dollars. */
export class DailyQuotaGuard {
  /** `accountId` -> spending of the quota day starting at `dayStart`. */
  private readonly spent = new Map<string, { dayStart: number; micros: number }>();
  /** Reset time of accounts with a quota, learned from the filter (the sink sees no settings). */
  private readonly resetTimes = new Map<string, string>();

  constructor(
    private readonly kv: PluginKv,
    private readonly accountTypes: ReadonlySet<string>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Micro-dollars the account spent in its current quota day, as this instance knows it. */
  spentMicros(accountId: string, resetTime = '00:00'): number {
    const entry = this.spent.get(accountId);
    return entry && entry.dayStart === quotaDayStart(this.now(), resetTime) ? entry.micros : 0;
  }

  /** The scheduler filter: accounts over their quota are left out until the reset. */
  readonly filter: CandidateFilter = {
    name: 'claude-daily-quota',
    filter: (candidate) => {
      if (!this.accountTypes.has(candidate.account.type)) return true;
      const quota = quotaOf(candidate.account.settings);
      if (!quota) return true;
      this.resetTimes.set(candidate.account.id, quota.resetTime);
      return this.spentMicros(candidate.account.id, quota.resetTime) < quota.micros ? true : 'daily quota reached';
    },
  };

  /** The usage sink adding each record's cost to its account's day. */
  readonly sink: UsageSink = {
    name: 'claude-daily-quota',
    write: async (records: readonly UsageRecord[]) => {
      // One store round trip per account and batch, however many requests it holds.
      const costs = new Map<string, number>();
      for (const record of records) {
        if (!record.accountId || !record.accountType || !this.accountTypes.has(record.accountType) || record.costMicros <= 0)
          continue;
        costs.set(record.accountId, (costs.get(record.accountId) ?? 0) + record.costMicros);
      }
      for (const [accountId, micros] of costs) await this.add(accountId, micros);
    },
  };

  /** Reloads the totals of the accounts with a quota (other instances' spending). */
  async reload(): Promise<void> {
    for (const [accountId, resetTime] of this.resetTimes) {
      const dayStart = quotaDayStart(this.now(), resetTime);
      const stored = await this.kv.get(this.key(accountId, dayStart));
      if (typeof stored === 'number') this.spent.set(accountId, { dayStart, micros: stored });
    }
  }

  private async add(accountId: string, micros: number): Promise<void> {
    const resetTime = this.resetTimes.get(accountId);
    const dayStart = quotaDayStart(this.now(), resetTime);
    // Counted in memory at once, so the filter sees it before the store round trip.
    this.spent.set(accountId, { dayStart, micros: this.spentMicros(accountId, resetTime) + micros });
    const key = this.key(accountId, dayStart);
    const stored = await this.kv.get(key);
    // Other instances' spending is in the stored total; this instance's is at least in memory.
    const total = Math.max(this.spentMicros(accountId, resetTime), typeof stored === 'number' ? stored + micros : 0);
    this.spent.set(accountId, { dayStart, micros: total });
    await this.kv.set(key, total, 2 * DAY_MS);
  }

  private key(accountId: string, dayStart: number): string {
    return `daily-quota:${accountId}:${dayStart}`;
  }
}
