/**
 * Collects usage records off the response path and writes them in batches: enrichers,
 * then the store, then every sink. A failing sink is logged and counted; the others
 * and the stored record are unaffected.
 */
import type { Logger, UsageEnricher, UsageRecord, UsageSink } from '../plugin-api/index.js';
import type { UsageRepository } from '../store/types.js';

/** Options of {@link UsageRecorder}. */
export interface UsageRecorderOptions {
  repository: UsageRepository;
  enrichers: readonly UsageEnricher[];
  sinks: readonly UsageSink[];
  log: Logger;
  /** Longest a record waits before it is written; default 200 ms (config `usage.flushIntervalMs`). */
  flushIntervalMs?: number;
  /** Batch size that triggers an immediate write; default 1000. */
  batchSize?: number;
  /** False drops every record at once (config `usage.record`; for measuring the cost of recording). */
  enabled?: boolean;
  /** Called each time a sink fails (metrics count it). */
  onSinkFailure?(sink: string): void;
}

/** The usage pipeline: queue, enrich, store, fan out to sinks. */
export class UsageRecorder {
  private readonly sinks: UsageSink[];
  private pending: UsageRecord[] = [];
  /** Records the store refused, retried on the next flush (sinks already have them). */
  private unstored: UsageRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  /** Failures per sink name, for health and metrics. */
  readonly sinkFailures = new Map<string, number>();

  constructor(private readonly options: UsageRecorderOptions) {
    this.sinks = [...options.sinks];
  }

  /** Adds a sink of the core's own (plugins add theirs through the usage extension point). */
  addSink(sink: UsageSink): void {
    this.sinks.push(sink);
  }

  /** Whether records are kept at all. */
  get enabled(): boolean {
    return this.options.enabled !== false;
  }

  /** Queues a record; never throws and never waits for I/O. */
  record(record: UsageRecord): void {
    if (this.options.enabled === false) return;
    let enriched = record;
    for (const enrich of this.options.enrichers) {
      try {
        enriched = enrich(enriched);
      } catch (error) {
        this.options.log.error('usage enricher failed', { error });
      }
    }
    this.pending.push(enriched);
    if (this.pending.length >= (this.options.batchSize ?? 1000)) this.writeQueued();
    else this.timer ??= setTimeout(() => this.writeQueued(), this.options.flushIntervalMs ?? 200);
  }

  /**
   * Writes everything queued so far, then flushes the sinks that buffer (those with a
   * `flush()` method, like the aggregates sink); resolves when written.
   */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    this.writing = this.writing.then(() => this.write(batch));
    return this.writing.then(() => this.flushSinks());
  }

  /** Writes the queue without flushing buffering sinks (the batching path). */
  private writeQueued(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    this.writing = this.writing.then(() => this.write(batch));
  }

  private async flushSinks(): Promise<void> {
    for (const sink of this.sinks as (UsageSink & { flush?: () => Promise<void> })[]) {
      if (typeof sink.flush !== 'function') continue;
      try {
        await sink.flush();
      } catch (error) {
        this.options.log.error('usage sink flush failed', { sink: sink.name, error });
      }
    }
  }

  private async write(batch: UsageRecord[]): Promise<void> {
    const toStore = this.unstored.concat(batch);
    this.unstored = [];
    if (toStore.length) {
      try {
        await this.options.repository.append(toStore);
      } catch (error) {
        // Keep the records for the next flush rather than losing them.
        this.options.log.error('storing usage failed; will retry', { error, records: toStore.length });
        this.unstored = toStore;
        this.timer ??= setTimeout(() => this.writeQueued(), 1000);
      }
    }
    if (!batch.length) return;
    await Promise.all(
      this.sinks.map(async (sink) => {
        try {
          await sink.write(batch);
        } catch (error) {
          this.sinkFailures.set(sink.name, (this.sinkFailures.get(sink.name) ?? 0) + 1);
          try {
            this.options.onSinkFailure?.(sink.name);
          } catch {
            // counting must never break the pipeline
          }
          this.options.log.error('usage sink failed', { sink: sink.name, error });
        }
      }),
    );
  }
}
