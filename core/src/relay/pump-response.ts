/**
 * Moves an upstream response body to the client as it arrives: decoded when upstream
 * compressed it, seen by the usage tap, converted by a stream translator when one
 * applies, with backpressure, and stopped at once when the client goes away.
 */
import { once } from 'node:events';
import { pipeline, type Readable, type Writable } from 'node:stream';
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

function decoded(source: Readable | AsyncIterable<Uint8Array>, encoding: string | undefined): AsyncIterable<Uint8Array> {
  const name = encoding?.trim().toLowerCase();
  const decoder =
    name === 'gzip' || name === 'x-gzip' ? createGunzip() : name === 'deflate' ? createInflate() : name === 'br' ? createBrotliDecompress() : undefined;
  if (!decoder || !('pipe' in source)) return source;
  return pipeline(source, decoder, () => {});
}

async function write(out: Writable, chunk: string | Uint8Array, signal: AbortSignal): Promise<void> {
  if (out.destroyed || out.writableEnded) throw new Error('client connection closed');
  if (out.write(chunk)) return;
  await once(out, 'drain', { signal });
}

/** Pumps until the upstream body ends, fails, or the client leaves. Never throws. */
export async function pumpResponse(options: PumpOptions): Promise<PumpOutcome> {
  const { out, signal, tap, translator } = options;
  let sentAny = false;
  const send = async (chunk: string | Uint8Array | null): Promise<void> => {
    if (chunk === null || chunk.length === 0) return;
    if (!sentAny) {
      sentAny = true;
      options.onFirstByte();
    }
    await write(out, chunk, signal);
  };
  try {
    for await (const chunk of decoded(options.source, options.contentEncoding)) {
      tap.push(chunk);
      await send(translator ? translator.push(chunk) : chunk);
    }
    if (translator) await send(translator.end());
    return { completed: true };
  } catch (error) {
    return { completed: false, error };
  }
}
