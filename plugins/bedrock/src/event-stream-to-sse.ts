/**
 * Bedrock's `application/vnd.amazon.eventstream` answer as Anthropic SSE, one event per
 * frame as frames arrive (nothing is held back beyond an incomplete frame).
 *
 * A frame is `total length (4) | headers length (4) | prelude CRC (4) | headers | payload
 * | message CRC (4)`; frames may be split across network chunks or several may share
 * one, so complete frames are cut out by their length, their CRCs checked with Node's
 * native CRC-32, and their headers decoded with `@smithy/eventstream-codec`. A `chunk`
 * event's payload is `{"bytes": "<base64 of the Anthropic event JSON>"}`: that JSON
 * becomes `event: <its type>` + `data: <the JSON as sent>`. An exception frame
 * (`:message-type: exception`, `:exception-type: throttlingException`, ...) or an error
 * frame becomes Anthropic's `event: error` and ends the stream; when it is the first
 * frame, the core reads that event as the error answer it stands for and fails over (the
 * protocol's `streamStartError`).
 *
 * This is the hot path of every streamed Bedrock request (one frame per token delta), so
 * it works on bytes: an event is assembled from slices of the decoded JSON without a
 * string round trip, and the header block, the same three headers on every chunk frame,
 * is decoded once per stream and then recognised by its bytes.
 */
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { HeaderMarshaller } from '@smithy/eventstream-codec';
import type { BodyTransform } from '@switchyard/plugin-api';
import { anthropicErrorJson, anthropicTypeOf, exceptionName } from './bedrock-errors.js';
import { SseOutput } from './sse-output.js';

type FrameHeaders = Record<string, { type: string; value: unknown }>;

const toUtf8 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
const fromUtf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');

/** The codec's header decoder; it keeps no state between calls. */
const headerMarshaller = new HeaderMarshaller(toUtf8, fromUtf8);

/** Length of the prelude (total length, headers length, prelude CRC). */
const PRELUDE_BYTES = 12;
/** Prelude plus the message CRC: the smallest frame. */
const FRAME_OVERHEAD = PRELUDE_BYTES + 4;
/** A frame larger than this is not Bedrock's: the stream is reported broken. */
const MAX_FRAME_BYTES = 24 * 1024 * 1024;

const BYTES_FIELD = Buffer.from('{"bytes":"', 'latin1');
const QUOTE = 0x22;

/**
 * The base64 of `{"type":"message_stop` (21 bytes, a whole number of base64 groups): a
 * chunk whose text starts with it carries the last event, where Bedrock adds its own
 * token counts (`amazon-bedrock-invocationMetrics`).
 */
const MESSAGE_STOP_BASE64 = Buffer.from('{"type":"message_stop', 'utf8').toString('base64');

/** The event stream could not be decoded (a bad CRC, an oversized frame, a cut frame). */
export class EventStreamDecodeError extends Error {}

function headerString(headers: FrameHeaders, name: string): string | undefined {
  const header = headers[name];
  return header && typeof header.value === 'string' ? header.value : undefined;
}

/** Whether `bytes[at..]` starts with `prefix` (a plain loop: cheaper than a native call for a few bytes). */
function hasPrefixAt(bytes: Buffer, at: number, end: number, prefix: Buffer): boolean {
  if (end - at < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false;
  return true;
}

/**
 * The base64 text of the chunk payload `bytes[start..end]`'s `bytes` field. Bedrock
 * writes `{"bytes":"<base64>","p":"..."}`: base64 has no quote or escape, so the value
 * ends at the next quote; any other layout is parsed as JSON.
 */
function chunkBase64(bytes: Buffer, start: number, end: number): string | undefined {
  if (hasPrefixAt(bytes, start, end, BYTES_FIELD)) {
    const quote = bytes.indexOf(QUOTE, start + BYTES_FIELD.length);
    if (quote > 0 && quote < end) return bytes.toString('latin1', start + BYTES_FIELD.length, quote);
  }
  try {
    const value = (JSON.parse(bytes.toString('utf8', start, end)) as { bytes?: unknown }).bytes;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The Anthropic error event an exception or error frame stands for. */
function errorEvent(headers: FrameHeaders, payload: Buffer): Buffer {
  const exception = headerString(headers, ':exception-type') ?? headerString(headers, ':error-code');
  let detail = headerString(headers, ':error-message') ?? '';
  try {
    const parsed = JSON.parse(payload.toString('utf8')) as { message?: unknown; Message?: unknown };
    const text = parsed.message ?? parsed.Message;
    if (typeof text === 'string') detail = text;
  } catch {
    // The payload is not JSON: keep the header's message.
  }
  const type = anthropicTypeOf(exceptionName(exception), 500);
  const text = `Bedrock ${exception ?? 'stream error'}: ${detail || 'no message'}`;
  return Buffer.from(`event: error\ndata: ${anthropicErrorJson(type, text)}\n\n`, 'utf8');
}

/**
 * Checks the prelude CRC of a frame whose rest is still to come: the length it carries is
 * what the decoder waits for, so a corrupt one must not be trusted (a complete frame is
 * covered by its message CRC).
 *
 * @throws EventStreamDecodeError when the prelude CRC does not match.
 */
function checkPrelude(bytes: Buffer, at: number): void {
  if (crc32(bytes.subarray(at, at + 8)) !== bytes.readUInt32BE(at + 8)) {
    throw new EventStreamDecodeError('an event-stream prelude checksum does not match');
  }
}

const EMPTY = Buffer.alloc(0);

/** A decoded header block, with what the decoder asks of it. */
interface HeaderBlock {
  bytes: Buffer;
  headers: FrameHeaders;
  /** `:message-type` (`event` when absent). */
  messageType: string;
  /** An event frame whose `:event-type` is `chunk`: the Anthropic events. */
  isChunk: boolean;
}

/**
 * The last header block decoded, kept with its bytes and reused while the next frame's
 * block is equal: chunk frames all carry the same three headers, in every stream, so the
 * block is decoded about once per process. (Decoding is synchronous: one stream at a time
 * uses it.)
 */
let lastHeaderBlock: HeaderBlock = { bytes: EMPTY, headers: {}, messageType: 'event', isChunk: false };

function headerBlockAt(bytes: Buffer, start: number, end: number): HeaderBlock {
  const last = lastHeaderBlock;
  if (last.bytes.length === end - start && bytes.compare(last.bytes, 0, last.bytes.length, start, end) === 0) return last;
  const block = Buffer.from(bytes.subarray(start, end));
  const headers = headerMarshaller.parse(new DataView(block.buffer, block.byteOffset, block.byteLength)) as FrameHeaders;
  const messageType = headerString(headers, ':message-type') ?? 'event';
  lastHeaderBlock = {
    bytes: block,
    headers,
    messageType,
    isChunk: messageType === 'event' && headerString(headers, ':event-type') === 'chunk',
  };
  return lastHeaderBlock;
}

/** One stream's frame decoder. */
class FrameDecoder {
  constructor(private readonly onMessageStop: ((eventJson: string) => void) | undefined) {}

  /**
   * Decodes the frame `bytes[at..at + total]`, appending its SSE to `out`; true
   * when the frame ends the stream. Offsets, not views, so a frame costs few objects.
   */
  decode(bytes: Buffer, at: number, total: number, out: SseOutput): boolean {
    const headersLength = bytes.readUInt32BE(at + 4);
    if (FRAME_OVERHEAD + headersLength > total) throw new Error(`headers length ${headersLength} exceeds the frame`);
    // The message CRC covers every byte before it, the prelude and its CRC included, so
    // once it matches the prelude is as sent; the prelude's own CRC is checked on its own
    // only while the rest of the frame is still to come (see checkPrelude).
    const end = at + total - 4;
    if (crc32(bytes.subarray(at, end)) !== bytes.readUInt32BE(end)) throw new Error('the message checksum does not match');
    const payloadStart = at + PRELUDE_BYTES + headersLength;
    const block = headerBlockAt(bytes, at + PRELUDE_BYTES, payloadStart);
    if (block.messageType !== 'event') {
      // An exception (modelled error) or error (unmodelled) frame: the stream is over.
      out.append(errorEvent(block.headers, bytes.subarray(payloadStart, end)));
      return true;
    }
    if (!block.isChunk) return false;
    const base64 = chunkBase64(bytes, payloadStart, end);
    if (base64 === undefined) return false;
    out.appendBase64Event(base64);
    if (this.onMessageStop !== undefined && base64.startsWith(MESSAGE_STOP_BASE64)) {
      this.onMessageStop(Buffer.from(base64, 'base64').toString('utf8'));
    }
    return false;
  }
}

/**
 * Decodes an event stream pushed to it a network chunk at a time: each push returns the
 * SSE of the frames that chunk completed (nothing is held back but an incomplete frame).
 * Synchronous, so relaying a chunk costs no promise; the adapter hands it to the core as
 * the answer's body transform, which applies it where it reads the upstream body.
 */
export class EventStreamToSseDecoder implements BodyTransform {
  private readonly frames: FrameDecoder;
  private pending: Buffer = EMPTY;
  private finished = false;

  /** `onMessageStop` gets the JSON text of the stream's `message_stop` event (Bedrock's token counts are in it). */
  constructor(onMessageStop?: (eventJson: string) => void) {
    this.frames = new FrameDecoder(onMessageStop);
  }

  /** True once a frame ended the stream (an exception or error frame): later bytes are ignored. */
  get ended(): boolean {
    return this.finished;
  }

  /**
   * The SSE of the frames `chunk` completed, undefined when none.
   *
   * @throws EventStreamDecodeError when a frame does not decode.
   */
  push(chunk: Uint8Array): Buffer | undefined {
    if (this.finished) return undefined;
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const pending = this.pending.length === 0 ? bytes : Buffer.concat([this.pending, bytes]);
    const out = new SseOutput(pending.length);
    let offset: number;
    try {
      offset = this.decodeFrames(pending, out);
    } catch (error) {
      out.discard();
      throw error;
    }
    // Keep only the incomplete frame; a copy, so the chunk it came in is not held alive.
    this.pending =
      this.finished || offset === pending.length ? EMPTY : offset === 0 ? pending : Buffer.from(pending.subarray(offset));
    return out.bytes();
  }

  /** Decodes the complete frames at the start of `pending` into `out`; where the first incomplete one starts. */
  private decodeFrames(pending: Buffer, out: SseOutput): number {
    let offset = 0;
    while (pending.length - offset >= PRELUDE_BYTES) {
      const total = pending.readUInt32BE(offset);
      if (total < FRAME_OVERHEAD || total > MAX_FRAME_BYTES)
        throw new EventStreamDecodeError(`bad event-stream frame length ${total}`);
      if (pending.length - offset < total) {
        checkPrelude(pending, offset);
        break;
      }
      try {
        this.finished = this.frames.decode(pending, offset, total, out);
      } catch (error) {
        throw new EventStreamDecodeError('an event-stream frame did not decode', { cause: error });
      }
      offset += total;
      if (this.finished) break;
    }
    return offset;
  }

  /**
   * The upstream body ended.
   *
   * @throws EventStreamDecodeError when it ended inside a frame.
   */
  end(): undefined {
    if (!this.finished && this.pending.length > 0) throw new EventStreamDecodeError('the event stream ended inside a frame');
    return undefined;
  }
}

/**
 * An event-stream body as a stream of Anthropic SSE: each network chunk's complete
 * frames are converted as it arrives, with backpressure (the body pauses while the SSE
 * side is full). A stream cut inside a frame, or that does not decode, errors with
 * {@link EventStreamDecodeError} (the core ends the client's stream with the protocol's
 * error frame); after a frame that ends the stream the body is let go. `onMessageStop`
 * gets the `message_stop` event's JSON text.
 */
export function eventStreamToSse(
  body: Readable | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  onMessageStop?: (eventJson: string) => void,
): Readable {
  const source = body instanceof Readable ? body : Readable.from(body, { objectMode: false });
  const decoder = new EventStreamToSseDecoder(onMessageStop);
  let done = false;
  const sse = new Readable({
    read() {
      if (!done && source.isPaused()) source.resume();
    },
    destroy(error, callback) {
      done = true;
      source.destroy();
      callback(error);
    },
  });
  const fail = (error: Error): void => {
    if (done) return;
    done = true;
    sse.destroy(error);
  };
  const finish = (): void => {
    done = true;
    sse.push(null);
  };
  const onData = (chunk: Uint8Array): void => {
    if (done) return;
    let out: Buffer | undefined;
    try {
      out = decoder.push(chunk);
    } catch (error) {
      return fail(error as Error);
    }
    if (out !== undefined && !sse.push(out)) source.pause();
    if (decoder.ended) {
      finish();
      source.destroy();
    }
  };
  // What already arrived with the headers is decoded now, so the SSE side has its first
  // events buffered when the core reads the stream's start (its synchronous path, no
  // waiting for a 'readable' event).
  if (source.readableLength > 0 && !source.readableFlowing) {
    let chunk: Uint8Array | null;
    while (!done && !source.isPaused() && (chunk = source.read() as Uint8Array | null) !== null) onData(chunk);
  }
  source.on('data', onData);
  source.on('end', () => {
    if (done) return;
    try {
      decoder.end();
    } catch (error) {
      return fail(error as Error);
    }
    finish();
  });
  source.on('error', fail);
  source.on('close', () => {
    // Closed before its end: the body was cut.
    if (!source.readableEnded) fail(new EventStreamDecodeError('the event stream was cut'));
  });
  return sse;
}
