/** Retention of the embedded store's request log (`usage_records`). */
import type { UsageRetentionRepository } from '../types.js';
import type { UsageWriter } from './usage-writer.js';

/**
 * {@link UsageRetentionRepository} deleting old `usage_records` rows in chunks (by the
 * time index), through the store's {@link UsageWriter} like every other usage write.
 */
export class EmbeddedUsageRetention implements UsageRetentionRepository {
  constructor(private readonly writer: UsageWriter) {}

  purgeBefore(beforeMs: number): Promise<number> {
    return this.writer.run('purgeUsageBefore', beforeMs);
  }
}
