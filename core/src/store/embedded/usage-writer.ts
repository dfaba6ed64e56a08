/**
 * Runs the embedded store's {@link UsageWrites}: on a worker thread with a connection of
 * its own for a store on disk, so that a batch of usage rows (milliseconds of SQLite
 * work) never holds up the requests the main thread is relaying; inline for an in-memory
 * store (one connection only). Writes run in the order they were asked for.
 */
import type { Database } from 'better-sqlite3';
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from './start-module-worker.js';
import type { UsageWriteReply, UsageWriteRequest, UsageWriteThreadData } from './usage-write-thread.js';
import { prepareUsageWrites, runUsageWrite, type UsageWriteName } from './usage-writes.js';

/** Runs usage writes somewhere; resolves with the rows changed once committed. */
export interface UsageWriter {
  run(name: UsageWriteName, arg: unknown): Promise<number>;
  /** Finishes the writes already asked for, then stops; later writes reject. */
  close(): Promise<void>;
}

/** The writer for a store: a thread for a file, inline for `':memory:'` (`file` undefined). */
export function createUsageWriter(db: Database, file: string | undefined): UsageWriter {
  return file === undefined ? new InlineUsageWriter(db) : new ThreadUsageWriter(file);
}

class InlineUsageWriter implements UsageWriter {
  private readonly writes;
  private closed = false;

  constructor(db: Database) {
    this.writes = prepareUsageWrites(db);
  }

  async run(name: UsageWriteName, arg: unknown): Promise<number> {
    if (this.closed) throw new Error('embedded store is closed');
    return runUsageWrite(this.writes, name, arg);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

interface Waiter {
  resolve(changes: number): void;
  reject(error: Error): void;
}

/**
 * The thread is started at the first write and again after it died (its writes in
 * flight reject, so the usage recorder keeps their records and retries them). It holds
 * the process open only while a write is in flight.
 */
class ThreadUsageWriter implements UsageWriter {
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, Waiter>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly file: string) {}

  run(name: UsageWriteName, arg: unknown): Promise<number> {
    if (this.closed) return Promise.reject(new Error('embedded store is closed'));
    return this.send({ id: this.nextId++, name, arg });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const worker = this.worker;
    if (worker === undefined) return;
    // Messages are handled in order: `close` is answered after every write before it.
    await this.send({ id: this.nextId++, name: 'close' }).catch(() => undefined);
    await worker.terminate();
  }

  private send(request: UsageWriteRequest): Promise<number> {
    const worker = (this.worker ??= this.start());
    return new Promise<number>((resolve, reject) => {
      // Posted first: if it throws, the promise rejects and no waiter is left holding the thread.
      worker.postMessage(request);
      if (this.waiting.size === 0) worker.ref();
      this.waiting.set(request.id, { resolve, reject });
    });
  }

  private start(): Worker {
    const worker = startModuleWorker(import.meta.url, './usage-write-thread.js', {
      workerData: { file: this.file } satisfies UsageWriteThreadData,
    });
    worker.unref();
    worker.on('message', (reply: UsageWriteReply) => this.settle(reply));
    worker.on('error', (error) => this.fail(worker, error));
    worker.on('exit', (code) => this.fail(worker, new Error(`usage writer thread stopped (exit code ${code})`)));
    return worker;
  }

  private settle(reply: UsageWriteReply): void {
    const waiter = this.waiting.get(reply.id);
    if (waiter === undefined) return;
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0) this.worker?.unref();
    if ('error' in reply) waiter.reject(threadError(reply.error));
    else waiter.resolve(reply.changes);
  }

  /** The thread is gone: every write in flight fails; the next write starts a new thread. */
  private fail(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const waiter of waiting) waiter.reject(error);
  }
}

/** The thread's error as an Error here, with its name and SQLite code (like `SQLITE_BUSY`). */
function threadError({ name, message, code }: { name: string; message: string; code?: string }): Error {
  const error = name === 'TypeError' ? new TypeError(message) : new Error(message);
  error.name = name;
  return code === undefined ? error : Object.assign(error, { code });
}
