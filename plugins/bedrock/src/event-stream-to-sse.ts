/**
 * Bedrock's `application/vnd.amazon.eventstream` answer as Anthropic SSE, one event per
 * frame as frames arrive (nothing is held back beyond an incomplete frame).
 *
 * A frame is `total length (4) | headers length (4) | prelude CRC (4) | headers | payload
 * | message CRC (4)`; frames may be split across network chunks or several may share
 * one, so complete frames are cut out by their length and decoded (CRCs checked) with
 * `@smithy/eventstream-codec`. A `chunk` event's payload is `{"bytes": "<base64 of the
 * Anthropic event JSON>"}`: that JSON becomes `event: <its type>` + `data: <the JSON as
 * sent>`. An exception frame (`:message-type: exception`, `:exception-type:
 * throttlingException`, ...) or an error frame becomes Anthropic's `event: error` and
 * ends the stream; when it is the first frame, the core reads that event as the error
 * answer it stands for and fails over (the protocol's `streamStartError`).
 */
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { anthropicErrorJson, anthropicTypeOf, exceptionName } from './bedrock-errors.js';

const toUtf8 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
const fromUtf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');

/** One codec for every stream: `decode` keeps no state between calls. */
const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** Length of the prelude (total length, headers length, prelude CRC). */
const PRELUDE_BYTES = 12;
/** A frame larger than this is not Bedrock's: the stream is reported broken. */
const MAX_FRAME_BYTES = 24 * 1024 * 1024;
const EVENT_TYPE = /^\s*\{\s*"type"\s*:\s*"([^"\\]+)"/;

/** The event stream could not be decoded (a bad CRC, an oversized frame, a cut frame). */
export class EventStreamDecodeError extends Error {}

function headerString(headers: Record<string, { type: string; value: unknown }>, name: string): string | undefined {
  const header = headers[name];
  return header && typeof header.value === 'string' ? header.value : undefined;
}

function sseEvent(type: string, data: string): string {
  return `event: ${type}\ndata: ${data}\n\n`;
}

function eventType(json: string): string {
  const match = EVENT_TYPE.exec(json);
  if (match) return match[1]!;
  try {
    const parsed = JSON.parse(json) as { type?: unknown };
    return typeof parsed.type === 'string' ? parsed.type : 'message';
  } catch {
    return 'message';
  }
}

const BYTES_FIELD = '{"bytes":"';

/**
 * The base64 `bytes` of a chunk payload. Bedrock writes `{"bytes":"<base64>","p":"..."}`:
 * base64 has no quote or escape, so the value ends at the next quote; any other layout
 * is parsed as JSON.
 */
function chunkBytes(payload: string): string | undefined {
  if (payload.startsWith(BYTES_FIELD)) {
    const end = payload.indexOf('"', BYTES_FIELD.length);
    if (end > 0) return payload.slice(BYTES_FIELD.length, end);
  }
  try {
    const bytes = (JSON.parse(payload) as { bytes?: unknown }).bytes;
    return typeof bytes === 'string' ? bytes : undefined;
  } catch {
    return undefined;
  }
}

/** What a decoded frame becomes: SSE text, and whether the stream ends with it. */
interface FrameOutput {
  text: string;
  final: boolean;
}

function frameToSse(frame: Uint8Array): FrameOutput {
  const message = codec.decode(frame);
  const headers = message.headers as Record<string, { type: string; value: unknown }>;
  const messageType = headerString(headers, ':message-type') ?? 'event';
  const payload = toUtf8(message.body);
  if (messageType === 'event') {
    if (headerString(headers, ':event-type') !== 'chunk') return { text: '', final: false };
    const bytes = chunkBytes(payload);
    if (bytes === undefined) return { text: '', final: false };
    const json = Buffer.from(bytes, 'base64').toString('utf8');
    return { text: sseEvent(eventType(json), json), final: false };
  }
  // An exception (modelled error) or error (unmodelled) frame: the stream is over.
  const exception = headerString(headers, ':exception-type') ?? headerString(headers, ':error-code');
  let detail = headerString(headers, ':error-message') ?? '';
  try {
    const parsed = JSON.parse(payload) as { message?: unknown; Message?: unknown };
    const text = parsed.message ?? parsed.Message;
    if (typeof text === 'string') detail = text;
  } catch {
    // The payload is not JSON: keep the header's message.
  }
  const name = exceptionName(exception);
  const type = anthropicTypeOf(name, 500);
  const text = `Bedrock ${exception ?? 'stream error'}: ${detail || 'no message'}`;
  return { text: sseEvent('error', anthropicErrorJson(type, text)), final: true };
}

/**
 * Decodes an event-stream body into Anthropic SSE text, yielding each frame's event as
 * soon as its last byte arrived. A stream that is cut inside a frame, or that does not
 * decode, throws {@link EventStreamDecodeError} (the core ends the client's stream with
 * the protocol's error frame).
 */
export async function* eventStreamToSse(
  body: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
): AsyncGenerator<Buffer> {
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of body) {
    const bytes =
      typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    pending = pending.length === 0 ? bytes : Buffer.concat([pending, bytes]);
    let out = '';
    let offset = 0;
    let final = false;
    while (pending.length - offset >= PRELUDE_BYTES) {
      const total = pending.readUInt32BE(offset);
      if (total < PRELUDE_BYTES + 4 || total > MAX_FRAME_BYTES)
        throw new EventStreamDecodeError(`bad event-stream frame length ${total}`);
      if (pending.length - offset < total) break;
      let result: FrameOutput;
      try {
        result = frameToSse(pending.subarray(offset, offset + total));
      } catch (error) {
        throw new EventStreamDecodeError('an event-stream frame did not decode', { cause: error });
      }
      offset += total;
      out += result.text;
      if (result.final) {
        final = true;
        break;
      }
    }
    pending = offset === 0 ? pending : pending.subarray(offset);
    if (out !== '') yield Buffer.from(out, 'utf8');
    if (final) return;
  }
  if (pending.length > 0) throw new EventStreamDecodeError('the event stream ended inside a frame');
}
