/**
 * The usage journal: each finished request's record is appended to a local file the
 * moment it is queued, so that a process crash (kill -9, out of memory) between two
 * usage batches loses no record. The next start replays what the store does not have.
 *
 * The records appended within one turn of the event loop are written together, in one
 * `write(2)` at the next `setImmediate`, and {@link UsageJournal.afterWrite} holds the end
 * of a response until its record is written: under load one system call serves many
 * requests, and a client never sees an answer end whose record is not on disk. No
 * fsync: the process dies, the OS does not, so what was written is in the page cache and
 * reaches the disk. The journal is a series of segment
 * files (`usage-journal-<n>.jsonl`, one JSON record per line); the recorder cuts a segment
 * when it takes a batch and deletes it once the batch is stored. Writing never fails a
 * request: a write error (disk full) is logged once and that record is only in memory.
 */
import { closeSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger, UsageRecord } from '@switchyard/plugin-api';
import { securePrivateDir } from '../store/embedded/private-files.js';

const PREFIX = 'usage-journal-';
const SUFFIX = '.jsonl';
const SEGMENT = /^usage-journal-(\d{1,15})\.jsonl$/;

/**
 * A segment awaiting a commit keeps growing past a cut (no new file per batch) until it
 * holds this much: while the store fails, a file per 200 ms batch would pile up files.
 */
const MAX_SEGMENT_BYTES = 4 * 1024 * 1024;

/** Records a previous run left in one segment file. */
export interface JournalLeftover {
  readonly generation: number;
  readonly records: UsageRecord[];
  /** Lines that were not a record (a torn last line, damage); they are skipped. */
  readonly skipped: number;
}

/** The journal of one gateway process, in a folder no other process writes to. */
export class UsageJournal {
  private generation: number;
  private fd: number | undefined;
  private bytes = 0;
  /** Closed segments whose records are all queued or stored, oldest first. */
  private readonly closed: number[] = [];
  /** Segments a previous run left, not replayed yet. */
  private readonly leftovers: number[];
  /** Segments cut since the last commit (0: the last cut is committed). */
  private uncommitted = 0;
  private failing = false;
  /** Lines appended since the last write. */
  private queued = '';
  /** Called once the queued lines are written. */
  private waiting: (() => void)[] = [];
  private writeScheduled = false;

  private constructor(
    private readonly dir: string,
    private readonly log: Logger,
    found: number[],
  ) {
    this.leftovers = found;
    this.generation = (found.at(-1) ?? 0) + 1;
  }

  /** Opens the journal in `dir` (created 0700; its files 0600) and lists what a previous run left. */
  static open(dir: string, log: Logger): UsageJournal {
    // An existing folder keeps its mode: `usage.journalPath` may name a shared one.
    const tightened = securePrivateDir(dir, { tightenExistingDir: false });
    if (tightened.length > 0)
      log.warn('usage journal: the folder or its files were readable by other users; set them to owner-only', {
        paths: tightened,
      });
    const found = readdirSync(dir)
      .map((name) => SEGMENT.exec(name)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    return new UsageJournal(dir, log, found);
  }

  /** The folder the segments are in. */
  get folder(): string {
    return this.dir;
  }

  /** Whether a previous run left segments to replay. */
  get hasLeftovers(): boolean {
    return this.leftovers.length > 0;
  }

  /**
   * Reads the segments a previous run left, oldest first. A segment stays on disk until
   * {@link replayed} says its records were queued again (a failed replay keeps it for the next start).
   */
  *readLeftovers(): Generator<JournalLeftover> {
    for (const generation of this.leftovers.slice()) {
      let text: string;
      try {
        text = readFileSync(this.file(generation), 'utf8');
      } catch (error) {
        this.log.error('usage journal: a segment could not be read; left in place', { file: this.file(generation), error });
        continue;
      }
      const records: UsageRecord[] = [];
      let skipped = 0;
      for (const line of text.split('\n')) {
        if (line === '') continue;
        try {
          const record = JSON.parse(line) as UsageRecord;
          if (typeof record === 'object' && record !== null && typeof record.id === 'string') records.push(record);
          else skipped++;
        } catch {
          // A torn last line (the disk filled up mid-write) or damage: the rest still counts.
          skipped++;
        }
      }
      yield { generation, records, skipped };
    }
  }

  /** The records of `generation` (a leftover) are queued again: it is deleted with the next commit. */
  replayed(generation: number): void {
    const index = this.leftovers.indexOf(generation);
    if (index < 0) return;
    this.leftovers.splice(index, 1);
    this.closed.push(generation);
    this.closed.sort((a, b) => a - b);
  }

  /** Appends one record; it is written with the others of this turn of the event loop. Never throws. */
  append(record: UsageRecord): void {
    let json: string | undefined;
    try {
      json = JSON.stringify(record);
    } catch {
      return; // not JSON (a BigInt, a cycle): the store refuses it too
    }
    if (typeof json !== 'string') return;
    this.queued += `${json}\n`;
    if (!this.writeScheduled) {
      this.writeScheduled = true;
      setImmediate(this.writeAndRelease);
    }
  }

  /** Calls `callback` once every record appended so far is written (at once when none waits). */
  afterWrite(callback: () => void): void {
    if (this.queued === '') callback();
    else this.waiting.push(callback);
  }

  private readonly writeAndRelease = (): void => {
    this.writeScheduled = false;
    this.writeQueued();
    const waiting = this.waiting;
    this.waiting = [];
    for (const callback of waiting) callback();
  };

  /** Writes the queued lines (one write). A failure is logged once and never thrown. */
  private writeQueued(): void {
    if (this.queued === '') return;
    const text = this.queued;
    this.queued = '';
    try {
      if (this.fd === undefined) this.fd = openSync(this.file(this.generation), 'a', 0o600);
      // A string, not a Buffer: Node encodes it without a buffer for the GC to collect.
      const written = writeSync(this.fd, text);
      this.bytes += written;
      // Bytes >= characters: fewer bytes than characters is certainly a short write.
      if (written < text.length) {
        // A torn line ends this segment (replay skips it); later records go to a new one.
        this.rotate();
        throw new Error(`short write (${written} bytes)`);
      }
      if (this.failing) {
        this.failing = false;
        this.log.info('usage journal: writes work again', { folder: this.dir });
      }
    } catch (error) {
      // A write that failed wrote nothing: the same file is tried again with the next records.
      if (!this.failing) {
        this.failing = true;
        this.log.error('usage journal: a write failed (disk full?); records are kept in memory only until stored', {
          folder: this.dir,
          error,
        });
      }
    }
  }

  /**
   * Cuts the journal where the recorder takes a batch: returns the newest segment whose
   * records are all in that batch or before it (pass it to {@link committed} once stored).
   */
  cut(): number {
    // The batch holds records whose lines may still be queued: they belong in this segment.
    this.writeQueued();
    if (this.fd !== undefined && (this.uncommitted === 0 || this.bytes >= MAX_SEGMENT_BYTES)) this.rotate();
    this.uncommitted++;
    return this.generation - 1;
  }

  /** Everything up to segment `upTo` is stored: deletes those segments. */
  committed(upTo: number): void {
    this.uncommitted = 0;
    while (this.closed.length > 0 && this.closed[0]! <= upTo) {
      const generation = this.closed.shift()!;
      try {
        unlinkSync(this.file(generation));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
          this.log.warn('usage journal: a stored segment could not be deleted', { error });
      }
    }
  }

  /** Closes the open segment (what it holds is replayed at the next start unless committed). */
  close(): void {
    this.writeAndRelease();
    this.rotate();
  }

  private rotate(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // closing a file we wrote to cannot fail in a way that matters here
    }
    this.fd = undefined;
    this.bytes = 0;
    this.closed.push(this.generation);
    this.generation++;
  }

  private file(generation: number): string {
    return join(this.dir, `${PREFIX}${generation}${SUFFIX}`);
  }
}
