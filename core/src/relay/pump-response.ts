/**
 * Moves an upstream response body to the client as it arrives: decoded when upstream
 * compressed it, seen by the usage tap, converted by a stream translator when one
 * applies, with backpressure, and stopped at once when the client goes away.
 *
 * The body is read in flowing mode ('data' events, paused while the client's socket is
 * full). What arrives in one round of I/O is written joined, at setImmediate: with HTTP
 * chunked encoding every separate write costs a chunk header and often a syscall, so
 * one write per wake-up instead of per upstream packet saves most of the relay's write
 * overhead without holding a byte past that round. The last bytes go out with the end
 * of the response (`end(last)`: one syscall with the chunked terminator).
 *
 * An adapter's body transform converts each chunk first, in the same 'data' handler:
 * everything after it (tap, translator, client) sees the converted bytes.
 */
import { pipeline, Readable, type Writable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { BodyTransform, StreamTranslator, StreamUsageTap } from '@switchyard/plugin-api';

export interface PumpOptions {
  source: Readable | AsyncIterable<Uint8Array>;
  /** The upstream `content-encoding`, when any. */
  contentEncoding: string | undefined;
  /** Converts the upstream bytes (decoded) first, when the adapter gave one. */
  transform?: BodyTransform | undefined;
  /** Bytes already converted by `transform` (read at the stream's start), relayed first. */
  head?: Uint8Array | undefined;
  /** Sees the upstream bytes (decoded, and converted by `transform`). */
  tap: StreamUsageTap;
  /** Converts upstream bytes into the client's protocol. */
  translator: StreamTranslator | undefined;
  out: Writable;
  signal: AbortSignal;
  onFirstByte(): void;
  /**
   * Called once the whole body was read and converted, before the last bytes and the end
   * of the response are written (the usage record is journaled there). It must call `end`
   * exactly once, at once or later, and must not throw.
   */
  beforeEnd?: ((end: () => void) => void) | undefined;
}

/** How the pump ended. */
export interface PumpOutcome {
  /** True when the upstream body was read to its end and written to the client. */
  completed: boolean;
  /** The error that stopped the pump (upstream cut, idle timeout, client gone). */
  error?: unknown;
}

/** True when the gateway can decode a body in `encoding` (none counts). */
export function isReadableEncoding(encoding: string | undefined): boolean {
  const name = encoding?.trim().toLowerCase();
  return !name || name === 'identity' || name === 'gzip' || name === 'x-gzip' || name === 'deflate' || name === 'br';
}

/** `source` as a readable stream of decoded bytes (as it is for no encoding or one the gateway cannot decode). */
export function decodedBody(source: Readable | AsyncIterable<Uint8Array>, encoding: string | undefined): Readable {
  const readable = source instanceof Readable ? source : Readable.from(source, { objectMode: false });
  const name = encoding?.trim().toLowerCase();
  const decoder =
    name === 'gzip' || name === 'x-gzip'
      ? createGunzip()
      : name === 'deflate'
        ? createInflate()
        : name === 'br'
          ? createBrotliDecompress()
          : undefined;
  return decoder ? pipeline(readable, decoder, () => {}) : readable;
}

/** A translator's text as bytes (upstream pieces are bytes already). */
function asBytes(piece: string | Uint8Array): Uint8Array {
  return typeof piece === 'string' ? Buffer.from(piece) : piece;
}

/**
 * Pumps until the upstream body ends (and then ends the response), fails, or the client
 * leaves. Never throws.
 */
export function pumpResponse(options: PumpOptions): Promise<PumpOutcome> {
  const { out, signal, tap, translator, transform } = options;
  const readable = decodedBody(options.source, options.contentEncoding);
  /** What arrived since the last write, sent joined at setImmediate (or with the end). */
  let pending: Uint8Array[] = [];
  let flushScheduled = false;
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

    /** The pending pieces as one, emptied; undefined when there are none. */
    const takePending = (): Uint8Array | undefined => {
      if (pending.length === 0) return undefined;
      const joined = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
      pending = [];
      return joined;
    };
    const clientGone = (): boolean => {
      if (!out.destroyed && !out.writableEnded) return false;
      finish({ completed: false, error: new Error('client connection closed') });
      return true;
    };
    const firstByte = (): void => {
      if (sentAny) return;
      sentAny = true;
      options.onFirstByte();
    };

    function flush(): void {
      flushScheduled = false;
      if (settled) return;
      const joined = takePending();
      if (joined === undefined || clientGone()) return;
      firstByte();
      if (!out.write(joined)) {
        // Backpressure: hold upstream until the client's socket drains.
        readable.pause();
        out.once('drain', onDrain);
      }
    }
    /** Relays converted (or unconverted) bytes: the tap, the translator, then the next write. */
    function relay(chunk: Uint8Array): void {
      tap.push(chunk);
      const converted = translator ? translator.push(chunk) : chunk;
      if (converted === null || converted.length === 0) return;
      pending.push(asBytes(converted));
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
    }
    /** The transform ended the body early: the upstream body is let go and the answer ends. */
    function transformEnded(): void {
      readable.off('data', onData);
      readable.off('end', onEnd);
      readable.off('error', onError);
      readable.off('close', onClose);
      readable.on('error', () => {});
      readable.destroy();
      finishBody(false);
    }
    function onData(chunk: Uint8Array): void {
      try {
        if (transform === undefined) return relay(chunk);
        const converted = transform.push(chunk);
        if (converted !== undefined && converted.length > 0) relay(converted);
        if (transform.ended === true) transformEnded();
      } catch (error) {
        finish({ completed: false, error });
      }
    }
    function onDrain(): void {
      if (!settled) readable.resume();
    }
    function onEnd(): void {
      finishBody(true);
    }
    /** The body is complete (`endTransform`: its end still to be told to the transform): the rest goes out with the end. */
    function finishBody(endTransform: boolean): void {
      try {
        if (endTransform && transform !== undefined) {
          const last = transform.end();
          if (last !== undefined && last.length > 0) relay(last);
        }
        const tail = translator?.end();
        if (tail && tail.length > 0) pending.push(asBytes(tail));
        const last = takePending();
        if (clientGone()) return;
        if (last !== undefined) firstByte();
        const end = (): void => {
          // The client may have left while the end waited.
          if (settled || clientGone()) return;
          try {
            // The last bytes and the end of the response in one write (chunked: with the terminator).
            if (last !== undefined) out.end(last);
            else out.end();
            finish({ completed: true });
          } catch (error) {
            finish({ completed: false, error });
          }
        };
        if (options.beforeEnd) options.beforeEnd(end);
        else end();
      } catch (error) {
        finish({ completed: false, error });
      }
    }
    /** Upstream failed: what already arrived still goes to the client, then the pump stops. */
    function upstreamFailed(error: unknown): void {
      if (settled) return;
      const rest = takePending();
      if (rest !== undefined && !out.destroyed && !out.writableEnded) {
        firstByte();
        out.write(rest);
      }
      finish({ completed: false, error });
    }
    function onError(error: Error): void {
      upstreamFailed(error);
    }
    function onClose(): void {
      // 'close' before 'end': the body was cut (destroyed without an error event).
      if (!readable.readableEnded) upstreamFailed(readable.errored ?? new Error('upstream body closed early'));
    }
    function onAbort(): void {
      finish({ completed: false, error: signal.reason instanceof Error ? signal.reason : new Error('aborted') });
    }

    // The relay aborts the signal when the client goes away.
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    if (options.head !== undefined && options.head.length > 0) {
      try {
        relay(options.head);
      } catch (error) {
        return finish({ completed: false, error });
      }
    }
    if (transform?.ended === true) return transformEnded();
    readable.on('end', onEnd);
    readable.on('error', onError);
    readable.on('close', onClose);
    if (readable.readableEnded) return onEnd();
    readable.on('data', onData);
  });
}
