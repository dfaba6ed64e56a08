/**
 * Entry of the embedded store's usage writer thread: opens its own connection to the
 * store's SQLite file (already created and migrated by the main thread) and runs the
 * {@link UsageWrites} it is sent, one message at a time, answering each with the rows
 * changed or the error. Started by usage-writer.ts; not imported by anything else.
 */
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { prepareUsageWrites, runUsageWrite, type UsageWriteName } from './usage-writes.js';

/** What the main thread sends: a write to run, or `close`. */
export type UsageWriteRequest = { id: number; name: UsageWriteName; arg: unknown } | { id: number; name: 'close' };

/** What the thread answers, per request id. */
export type UsageWriteReply =
  { id: number; changes: number } | { id: number; error: { name: string; message: string; code?: string } };

/** Data the thread is started with. */
export interface UsageWriteThreadData {
  /** Path of the SQLite file. */
  file: string;
}

const port = parentPort;
if (port) {
  const { file } = workerData as UsageWriteThreadData;
  const db = new BetterSqlite3(file);
  // Per-connection settings, as the main connection has them (WAL is the file's own).
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // Appends touch the right edges of a few B-trees: 512 KiB of page cache is plenty, and
  // the default 2 MB showed in the gateway's peak RSS (bench/README.md).
  db.pragma('cache_size = -512');
  const writes = prepareUsageWrites(db);
  port.on('message', (request: UsageWriteRequest) => {
    if (request.name === 'close') {
      db.close();
      port.postMessage({ id: request.id, changes: 0 } satisfies UsageWriteReply);
      port.close();
      return;
    }
    let reply: UsageWriteReply;
    try {
      reply = { id: request.id, changes: runUsageWrite(writes, request.name, request.arg) };
    } catch (error) {
      const { name, message, code } = error as { name?: string; message?: string; code?: string };
      reply = {
        id: request.id,
        error: {
          name: String(name ?? 'Error'),
          message: String(message ?? error),
          ...(typeof code === 'string' ? { code } : {}),
        },
      };
    }
    port.postMessage(reply);
  });
}
