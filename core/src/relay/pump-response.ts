/**
 * Moves an upstream response body to the client as it arrives: decoded when upstream
 * compressed it, seen by the usage tap, converted by a stream translator when one
 * applies, with backpressure, and stopped at once when the client goes away.
 *
 * Whatever has already arrived is written in one piece: with HTTP chunked encoding every
 * write costs a chunk header and often a syscall, so draining the buffer per wake-up
 * instead of per upstream packet saves most of the relay's write overhead without
 * delaying a single byte.
 */
import { once } from 'node:events';
import { pipeline, Readable, type Writable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { StreamTranslator, StreamUsageTap } from '../plugin-api/index.js';

export interface PumpOptions {
  source: Readable | AsyncIterable<Uint8Array>;
  /** The upstream `content-encoding`, when any. */
  contentEncoding: string | undefined;
  /** Sees the upstream bytes (decoded). */
  tap: StreamUsageTap;
  /** Converts upstream bytes into the client's protocol. */
  translator: StreamTranslator | undefined;
  out: Writable;
  signal: AbortSignal;
  onFirstByte(): void;
}

/** How the pump ended. */
export interface PumpOutcome {
  /** True when the upstream body was read to its end and written to the client. */
  completed: boolean;
  /** The error that stopped the pump (upstream cut, idle timeout, client gone). */
  error?: unknown;
}

function decoded(source: Readable | AsyncIterable<Uint8Array>, encoding: string | undefined): Readable {
  const readable = source instanceof Readable ? source : Readable.from(source, { objectMode: false });
  const name = encoding?.trim().toLowerCase();
  const decoder =
    name === 'gzip' || name === 'x-gzip' ? createGunzip() : name === 'deflate' ? createInflate() : name === 'br' ? createBrotliDecompress() : undefined;
  return decoder ? pipeline(readable, decoder, () => {}) : readable;
}

/** Resolves on the next 'readable', 'end' or 'error' of `readable`, or rejects when `signal` aborts. */
function nextEvent(readable: Readable, signal: AbortSignal): Promise<'readable' | 'end'> {
  return new Promise((resolve, reject) => {
    const settle = (result: 'readable' | 'end' | Error) => {
      readable.off('readable', onReadable);
      readable.off('end', onEnd);
      readable.off('error', onError);
      readable.off('close', onClose);
      signal.removeEventListener('abort', onAbort);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onReadable = () => settle('readable');
    const onEnd = () => settle('end');
    const onError = (error: Error) => settle(error);
    const onClose = () => settle(readable.readableEnded ? 'end' : (readable.errored ?? new Error('upstream body closed early')));
    const onAbort = () => settle(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    if (signal.aborted) return onAbort();
    readable.once('readable', onReadable);
    readable.once('end', onEnd);
    readable.once('error', onError);
    readable.once('close', onClose);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Reads everything `readable` has buffered; waits for more only when it has nothing. */
async function* drained(readable: Readable, signal: AbortSignal): AsyncGenerator<Uint8Array[]> {
  for (;;) {
    const parts: Uint8Array[] = [];
    let chunk: Uint8Array | null;
    while ((chunk = readable.read() as Uint8Array | null) !== null) parts.push(chunk);
    if (parts.length) {
      yield parts;
      continue;
    }
    if (readable.errored) throw readable.errored;
    if (readable.readableEnded) return;
    if (readable.destroyed) throw new Error('upstream body closed early');
    // 'end' is emitted only after read() returned null at the end, as it just did.
    if ((await nextEvent(readable, signal)) === 'end') return;
  }
}

/**
 * Keeps the client socket's writes buffered until the event loop has handled this round
 * of I/O (Node's own HTTP cork lasts only to the next tick). When upstream's last bytes
 * and its end arrive together, `end()` (the chunked terminator) then leaves in the same
 * syscall as the data instead of one more write per response; a stream whose next event
 * is still on its way is flushed at once, after the current I/O callbacks.
 */
function holdWritesUntilImmediate(out: Writable, held: { socket?: Writable | undefined }): void {
  if (held.socket) return;
  const socket = (out as Writable & { socket?: Writable | null }).socket;
  if (!socket || socket.destroyed) return;
  held.socket = socket;
  socket.cork();
  setImmediate(() => {
    held.socket = undefined;
    if (socket.writableCorked > 0) socket.uncork();
  });
}

async function write(out: Writable, chunk: string | Uint8Array, signal: AbortSignal, held: { socket?: Writable | undefined }): Promise<void> {
  if (out.destroyed || out.writableEnded) throw new Error('client connection closed');
  holdWritesUntilImmediate(out, held);
  if (out.write(chunk)) return;
  await once(out, 'drain', { signal });
}

/** Pumps until the upstream body ends, fails, or the client leaves. Never throws. */
export async function pumpResponse(options: PumpOptions): Promise<PumpOutcome> {
  const { out, signal, tap, translator } = options;
  let sentAny = false;
  const held: { socket?: Writable | undefined } = {};
  const readable = decoded(options.source, options.contentEncoding);
  try {
    for await (const parts of drained(readable, signal)) {
      const outgoing: (string | Uint8Array)[] = [];
      for (const part of parts) {
        tap.push(part);
        const converted = translator ? translator.push(part) : part;
        if (converted !== null && converted.length > 0) outgoing.push(converted);
      }
      if (outgoing.length === 0) continue;
      if (!sentAny) {
        sentAny = true;
        options.onFirstByte();
      }
      const joined =
        outgoing.length === 1 ? outgoing[0]! : Buffer.concat(outgoing.map((piece) => (typeof piece === 'string' ? Buffer.from(piece) : piece)));
      await write(out, joined, signal, held);
    }
    const tail = translator?.end();
    if (tail) {
      if (!sentAny) options.onFirstByte();
      await write(out, tail, signal, held);
    }
    return { completed: true };
  } catch (error) {
    readable.destroy();
    return { completed: false, error };
  }
}
