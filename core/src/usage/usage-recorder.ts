/**
 * Collects usage records off the response path and writes them in batches: enrichers,
 * then the store, then every sink. A failing sink is logged and counted; the others
 * and the stored record are unaffected.
 */
import type { Logger, UsageEnricher, UsageRecord, UsageSink } from '@switchyard/plugin-api';
import { RecordRefusedError } from '../store/record-refused-error.js';
import type { UsageRepository } from '../store/types.js';
import { parseIsoTime } from '../time/iso-time.js';
import type { UsageJournal } from './usage-journal.js';

/** Why records were dropped: the store refused them as they are, or the retry backlog was full. */
export type UsageDropReason = 'invalid' | 'overflow';

/** Records kept for a store retry at most, by default (about 100 MB at worst; the oldest go first). */
const DEFAULT_MAX_BACKLOG = 100_000;

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
  /** False drops every record at once (config `usage.record`; for measuring the cost of recording); see {@link UsageRecorder.setEnabled}. */
  enabled?: boolean;
  /** Called each time a sink fails (metrics count it). */
  onSinkFailure?(sink: string): void;
  /**
   * Records waiting for a store retry at most (the store is down); beyond it the oldest
   * are dropped, logged and counted, so an outage cannot exhaust memory. Default 100,000.
   */
  maxBacklog?: number;
  /** Called when records are dropped (metrics count them). */
  onRecordsDropped?(count: number, reason: UsageDropReason): void;
  /**
   * Where each record is appended the moment it is queued, so a crash before its batch
   * is stored loses nothing (see {@link UsageRecorder.recoverJournal}); none: memory only.
   */
  journal?: UsageJournal;
}

/** The usage pipeline: queue, enrich, store, fan out to sinks. */
export class UsageRecorder {
  private readonly sinks: UsageSink[];
  private pending: UsageRecord[] = [];
  /** Records the store failed to take (down, or a bug), retried on the next flush (sinks already have them). */
  private unstored: UsageRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  /** Failures per sink name, for health and metrics. */
  readonly sinkFailures = new Map<string, number>();
  private recording: boolean;
  private journal: UsageJournal | undefined;

  constructor(private readonly options: UsageRecorderOptions) {
    this.sinks = [...options.sinks];
    this.recording = options.enabled !== false;
    this.journal = options.journal;
  }

  /** Starts journaling records (before serving; see {@link UsageRecorderOptions.journal}). */
  useJournal(journal: UsageJournal): void {
    this.journal = journal;
  }

  /**
   * Calls `callback` once every record queued so far is in the journal (at once without a
   * journal): a response ends there, so no client sees an answer whose record a crash could lose.
   */
  whenJournaled(callback: () => void): void {
    if (this.journal === undefined) callback();
    else this.journal.afterWrite(callback);
  }

  /** Closes the journal's open file (after the last flush; what it holds unstored is replayed at the next start). */
  closeJournal(): void {
    this.journal?.close();
  }

  /** Adds a sink of the core's own (plugins add theirs through the usage extension point). */
  addSink(sink: UsageSink): void {
    this.sinks.push(sink);
  }

  /** Whether records are kept at all. */
  get enabled(): boolean {
    return this.recording;
  }

  /** Turns recording on or off from the next request on (records already queued are still written). */
  setEnabled(on: boolean): void {
    this.recording = on;
  }

  /** Queues a record; never throws and never waits for I/O. */
  record(record: UsageRecord): void {
    if (!this.recording) return;
    let enriched = record;
    for (const enrich of this.options.enrichers) {
      try {
        const next = enrich(enriched);
        // An enricher must not make the record unstorable: it would be refused, and lost.
        if (isStorable(next)) enriched = next;
        else
          this.options.log.error('usage enricher returned a record without a valid id, keyId or at; kept the record as it was', {
            id: enriched.id,
          });
      } catch (error) {
        this.options.log.error('usage enricher failed', { error });
      }
    }
    this.pending.push(enriched);
    this.journal?.append(enriched);
    if (this.pending.length >= (this.options.batchSize ?? 1000)) this.writeQueued();
    else this.timer ??= setTimeout(() => this.writeQueued(), this.options.flushIntervalMs ?? 200);
  }

  /**
   * Writes everything queued so far, then flushes the sinks that buffer (those with a
   * `flush()` method, like the aggregates sink); resolves when written.
   */
  flush(): Promise<void> {
    this.writeQueued();
    return this.writing.then(() => this.flushSinks());
  }

  /**
   * Stores what a crash left in the journal: the records of the previous run that the
   * store does not have go through the pipeline like new ones (store, then sinks), so
   * none is lost and none is stored or charged twice. Runs once at start, before serving.
   * A segment that cannot be checked (the store fails) is kept for the next start.
   */
  async recoverJournal(): Promise<number> {
    const { log, repository } = this.options;
    const journal = this.journal;
    if (!journal?.hasLeftovers) return 0;
    let recovered = 0;
    let skipped = 0;
    for (const leftover of journal.readLeftovers()) {
      skipped += leftover.skipped;
      let missing = leftover.records;
      try {
        const stored = await repository.storedIds(missing.map((record) => record.id));
        missing = missing.filter((record) => !stored.has(record.id));
      } catch (error) {
        log.error('usage journal: could not check which records are stored; kept for the next start', { error });
        continue;
      }
      journal.replayed(leftover.generation);
      // Queued without a new journal line: they are in the leftover segment until stored.
      for (const record of missing) this.pending.push(record);
      recovered += missing.length;
      await this.flush();
    }
    log.info('usage journal replayed', { folder: journal.folder, recovered, skippedLines: skipped });
    return recovered;
  }

  /** Writes the queue without flushing buffering sinks (the batching path). */
  private writeQueued(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    // The journal segments holding this batch (and anything older) can go once it is stored.
    const upTo = this.journal?.cut();
    this.writing = this.writing.then(() => this.write(batch, upTo));
  }

  /** Appends each record alone: drops the ones refused as they are, returns those that failed otherwise. */
  private async appendOneByOne(records: UsageRecord[]): Promise<UsageRecord[]> {
    const retry: UsageRecord[] = [];
    let refused = 0;
    for (const record of records) {
      try {
        await this.options.repository.append([record]);
      } catch (error) {
        if (!(error instanceof RecordRefusedError)) retry.push(record);
        else {
          refused++;
          this.options.log.error('usage record refused by the store; dropped', { id: record.id, error });
        }
      }
    }
    if (refused) this.dropped(refused, 'invalid');
    return retry;
  }

  private keepForRetry(records: UsageRecord[]): void {
    const max = this.options.maxBacklog ?? DEFAULT_MAX_BACKLOG;
    const over = records.length - max;
    if (over > 0) {
      this.options.log.error('usage backlog full while the store fails; dropped the oldest records', {
        dropped: over,
        kept: max,
      });
      this.dropped(over, 'overflow');
    }
    this.unstored = over > 0 ? records.slice(over) : records;
    this.timer ??= setTimeout(() => this.writeQueued(), 1000);
  }

  private dropped(count: number, reason: UsageDropReason): void {
    try {
      this.options.onRecordsDropped?.(count, reason);
    } catch {
      // counting must never break the pipeline
    }
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

  private async write(batch: UsageRecord[], journalUpTo: number | undefined): Promise<void> {
    const toStore = this.unstored.concat(batch);
    this.unstored = [];
    let stored = true;
    if (toStore.length) {
      try {
        await this.options.repository.append(toStore);
      } catch (error) {
        // The stores refuse a record they cannot keep (not JSON, a bad time) with a
        // RecordRefusedError: retrying the batch would refuse it forever. Store the others.
        // Any other error (the store is down, a bug) keeps every record for a retry.
        const retry = error instanceof RecordRefusedError ? await this.appendOneByOne(toStore) : toStore;
        if (retry.length) {
          // Keep the records for the next flush rather than losing them.
          stored = false;
          this.options.log.error('storing usage failed; will retry', { error, records: retry.length });
          this.keepForRetry(retry);
        }
      }
    }
    if (stored && journalUpTo !== undefined) this.journal?.committed(journalUpTo);
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

/** Whether an enricher's result can still be stored: an object with the fields the stores index. */
function isStorable(record: UsageRecord | undefined): record is UsageRecord {
  return (
    typeof record === 'object' &&
    record !== null &&
    typeof record.id === 'string' &&
    record.id !== '' &&
    typeof record.keyId === 'string' &&
    typeof record.at === 'string' &&
    !Number.isNaN(parseIsoTime(record.at))
  );
}
