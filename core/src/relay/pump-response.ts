/**
 * Moves an upstream response body to the client as it arrives: decoded when upstream
 * compressed it, seen by the usage tap, converted by a stream translator when one
 * applies, with backpressure, and stopped at once when the client goes away.
 *
 * The body is read in flowing mode ('data' events, paused while the client's socket is
 * full) and each piece is written as it comes. The client socket is corked until the
 * current round of I/O is handled, so everything that arrived together leaves in one
 * syscall (with HTTP chunked encoding every separate write costs a chunk header and
 * often a syscall), and the response's end joins the last data when they arrive
 * together, without delaying a single byte past that round.
 */
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

/**
 * Keeps the client socket's writes buffered until the event loop has handled this round
 * of I/O (Node's own HTTP cork lasts only to the next tick).
 */
function holdWritesUntilImmediate(out: Writable, held: { socket?: Writable | undefined }): void {
  if (held.socket) return;
  const socket = (out as Writable & { socket?: Writable | null }).socket;
  if (!socket || socket.destroyed) return;
  held.socket = socket;
  socket.cork();
  setImmediate(() => releaseHeldWrites(held, socket));
}

/** Uncorks the socket {@link holdWritesUntilImmediate} corked, once (its timer or backpressure, whichever comes first). */
function releaseHeldWrites(held: { socket?: Writable | undefined }, expected?: Writable): void {
  const socket = held.socket;
  if (!socket || (expected !== undefined && socket !== expected)) return;
  held.socket = undefined;
  if (socket.writableCorked > 0) socket.uncork();
}

/** Pumps until the upstream body ends, fails, or the client leaves. Never throws. */
export function pumpResponse(options: PumpOptions): Promise<PumpOutcome> {
  const { out, signal, tap, translator } = options;
  const readable = decoded(options.source, options.contentEncoding);
  const held: { socket?: Writable | undefined } = {};
  let sentAny = false;

  return new Promise<PumpOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: PumpOutcome): void => {
      if (settled) return;
      settled = true;
      readable.off('data', onData);
      readable.off('end', onEnd);
      readable.off('error', onError);
      readable.off('close', onClose);
      out.off('drain', onDrain);
      signal.removeEventListener('abort', onAbort);
      if (!outcome.completed) readable.destroy();
      resolve(outcome);
    };

    /** Writes one piece; false when the client can take no more for now (or is gone). */
    const write = (chunk: string | Uint8Array): boolean => {
      if (out.destroyed || out.writableEnded) {
        finish({ completed: false, error: new Error('client connection closed') });
        return false;
      }
      if (!sentAny) {
        sentAny = true;
        options.onFirstByte();
      }
      holdWritesUntilImmediate(out, held);
      return out.write(chunk);
    };

    function onData(chunk: Uint8Array): void {
      try {
        tap.push(chunk);
        const converted = translator ? translator.push(chunk) : chunk;
        if (converted === null || converted.length === 0) return;
        if (!write(converted) && !settled) {
          // Backpressure: send what is held now, and hold upstream until the client's socket drains.
          releaseHeldWrites(held);
          readable.pause();
          out.once('drain', onDrain);
        }
      } catch (error) {
        finish({ completed: false, error });
      }
    }
    function onDrain(): void {
      if (!settled) readable.resume();
    }
    function onEnd(): void {
      try {
        const tail = translator?.end();
        if (tail && tail.length > 0) write(tail);
        if (!settled) finish({ completed: true });
      } catch (error) {
        finish({ completed: false, error });
      }
    }
    function onError(error: Error): void {
      finish({ completed: false, error });
    }
    function onClose(): void {
      // 'close' before 'end': the body was cut (destroyed without an error event).
      if (!readable.readableEnded) finish({ completed: false, error: readable.errored ?? new Error('upstream body closed early') });
    }
    function onAbort(): void {
      finish({ completed: false, error: signal.reason instanceof Error ? signal.reason : new Error('aborted') });
    }

    // The relay aborts the signal when the client goes away.
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    readable.on('end', onEnd);
    readable.on('error', onError);
    readable.on('close', onClose);
    if (readable.readableEnded) return onEnd();
    readable.on('data', onData);
  });
}
