/**
 * The retention job that keeps usage storage bounded: deletes request log entries
 * (usage records) older than `usage.requestLog.retentionHours` and aggregate rows past
 * their expiry (hourly/daily/monthly; lifetime rows are one per scope). Redis expires
 * aggregate rows by TTL by itself; the request log is purged on both backends. The
 * retention the admin saves (`requestLogRetentionDays` in the `gateway.settings`
 * setting) wins over the config's; it is read on every pass.
 */
import type { Logger } from '@switchyard/plugin-api';
import type { Store } from '../store/types.js';
import { RUNTIME_SETTINGS } from '../scheduler/runtime-settings.js';
import { systemClock, type Clock } from '../time/clock.js';

/** Options of {@link UsageRetentionJob}. */
export interface UsageRetentionOptions {
  store: Store;
  log: Logger;
  retentionHours: number;
  /** What "now" is for a pass; default the system clock. */
  clock?: Clock;
}

/** Runs one retention pass per call (scheduled as a lifecycle interval by the gateway). */
export class UsageRetentionJob {
  constructor(private readonly options: UsageRetentionOptions) {}

  /** One pass; returns what was deleted. */
  async run(now = (this.options.clock ?? systemClock).now()): Promise<{ records: number; aggregates: number }> {
    const { store, log } = this.options;
    const retentionHours = await this.retentionHours();
    const records = await store.usageRetention.purgeBefore(now - retentionHours * 3_600_000);
    const aggregates = await store.usageAggregates.purgeExpired(now);
    if (records || aggregates) log.info('usage retention', { records, aggregates });
    return { records, aggregates };
  }

  /** Hours request log entries are kept: the admin's setting, else the config's. */
  async retentionHours(): Promise<number> {
    try {
      const days = (await this.options.store.settings.get<{ requestLogRetentionDays?: unknown }>(RUNTIME_SETTINGS))
        ?.requestLogRetentionDays;
      if (typeof days === 'number' && Number.isFinite(days) && days > 0) return days * 24;
    } catch (error) {
      this.options.log.warn('reading the request log retention setting failed; using the config', { error });
    }
    return this.options.retentionHours;
  }
}
