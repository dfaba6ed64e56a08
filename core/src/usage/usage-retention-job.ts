/**
 * The retention job that keeps usage storage bounded: deletes request log entries
 * (usage records) older than `usage.requestLog.retentionHours` and aggregate rows past
 * their expiry (hourly/daily/monthly; lifetime rows are one per scope). Redis expires
 * aggregate rows by TTL by itself; the request log is purged on both backends.
 */
import type { Logger } from '../plugin-api/index.js';
import type { Store } from '../store/types.js';

/** Options of {@link UsageRetentionJob}. */
export interface UsageRetentionOptions {
  store: Store;
  log: Logger;
  retentionHours: number;
}

/** Runs one retention pass per call (scheduled as a lifecycle interval by the gateway). */
export class UsageRetentionJob {
  constructor(private readonly options: UsageRetentionOptions) {}

  /** One pass; returns what was deleted. */
  async run(now = Date.now()): Promise<{ records: number; aggregates: number }> {
    const { store, log, retentionHours } = this.options;
    const records = await store.usageRetention.purgeBefore(now - retentionHours * 3_600_000);
    const aggregates = await store.usageAggregates.purgeExpired(now);
    if (records || aggregates) log.info('usage retention', { records, aggregates });
    return { records, aggregates };
  }
}
