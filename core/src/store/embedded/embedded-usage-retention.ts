/** Retention of the embedded store's request log (`usage_records`). */
import type { Database, Statement } from 'better-sqlite3';
import type { UsageRetentionRepository } from '../types.js';

/** Rows deleted per statement, so a large purge never holds the write lock for long. */
const PURGE_CHUNK = 5000;
/** Chunks per call at most (bounded loop); the next run continues. */
const MAX_CHUNKS = 200;

/** {@link UsageRetentionRepository} deleting old `usage_records` rows in chunks (by the time index). */
export class EmbeddedUsageRetention implements UsageRetentionRepository {
  private readonly purge: Statement;

  constructor(db: Database) {
    this.purge = db.prepare(
      `DELETE FROM usage_records WHERE seq IN (SELECT seq FROM usage_records WHERE at_ms < ? ORDER BY at_ms LIMIT ${PURGE_CHUNK})`,
    );
  }

  async purgeBefore(beforeMs: number): Promise<number> {
    let total = 0;
    for (let i = 0; i < MAX_CHUNKS; i++) {
      const deleted = this.purge.run(beforeMs).changes;
      total += deleted;
      if (deleted < PURGE_CHUNK) break;
    }
    return total;
  }
}
