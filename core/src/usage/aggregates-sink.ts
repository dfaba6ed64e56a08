/** The first-party sink writing usage aggregates (roll-ups) to the store. */
import type { Logger, UsageRecord, UsageSink } from '@switchyard/plugin-api';
import type { UsageAggregateDelta, UsageAggregateRepository } from '../store/types.js';
import { aggregateDeltas, type AggregateRetention } from './aggregate-deltas.js';
import type { TimeBuckets } from './time-buckets.js';
import { addTotals } from '../store/usage-totals.js';

/** Name of the aggregates sink (in logs and `switchyard_usage_sink_failures_total`). */
export const AGGREGATES_SINK = 'core:aggregates';

/** Options of {@link AggregatesSink}. */
export interface AggregatesSinkOptions {
  repository: UsageAggregateRepository;
  buckets: TimeBuckets;
  retention: AggregateRetention;
  log: Logger;
  /** How long deltas are merged in memory before one store write; default 1000 ms. */
  flushIntervalMs?: number;
}

/**
 * A {@link UsageSink} that merges each batch into per-row deltas and keeps merging them
 * in memory for up to `flushIntervalMs`, then adds them in one store call (a transaction
 * in SQLite, a script per 200 rows in Redis): the store sees a handful of rows per
 * second whatever the request rate. A failed write keeps the deltas for the next one.
 * {@link flush} writes at once (the recorder calls it on its own flush and at shutdown).
 */
export class AggregatesSink implements UsageSink {
  readonly name = AGGREGATES_SINK;
  private pending = new Map<string, UsageAggregateDelta>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly options: AggregatesSinkOptions) {}

  write(records: readonly UsageRecord[]): void {
    for (const delta of aggregateDeltas(records, this.options.buckets, this.options.retention)) this.merge(delta);
    if (this.pending.size && !this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.options.flushIntervalMs ?? 1000);
      this.timer.unref();
    }
  }

  /** Writes what is pending; resolves when written (or failed and kept for later). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.writing = this.writing.then(async () => {
      if (!this.pending.size) return;
      const batch = [...this.pending.values()];
      this.pending = new Map();
      try {
        await this.options.repository.add(batch);
      } catch (error) {
        this.options.log.error('writing usage aggregates failed; will retry', { error, rows: batch.length });
        for (const delta of batch) this.merge(delta);
        this.timer ??= setTimeout(() => void this.flush(), 1000);
        this.timer.unref();
      }
    });
    return this.writing;
  }

  private merge(delta: UsageAggregateDelta): void {
    const id = `${delta.period}\u0000${delta.scope}`;
    const row = this.pending.get(id);
    if (!row) {
      this.pending.set(id, delta);
      return;
    }
    addTotals(row.totals, delta.totals);
    if (delta.expiresAtMs !== undefined && (row.expiresAtMs ?? 0) < delta.expiresAtMs) row.expiresAtMs = delta.expiresAtMs;
  }
}
