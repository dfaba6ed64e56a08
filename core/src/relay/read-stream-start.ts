/**
 * Reads a streamed answer up to its first server-sent event before anything is sent to
 * the client, so that a protocol's `streamStartError` can turn a failure reported as the
 * first event into a failover. What was read is put back at the head of the same stream
 * (`unshift`): the pump then reads the body as if nothing happened, with no extra stream
 * and no extra work per chunk.
 *
 * This runs once per streamed answer of such a protocol, so the usual case is cheap: the
 * first chunk is taken synchronously when it already arrived, and when the protocol names
 * the events it reads (`streamStartEvents`), a first event named otherwise is recognised
 * from its `event:` line alone, without parsing or decoding anything.
 *
 * With an adapter's body transform, each chunk is converted here as it is read, and what
 * was read cannot go back into the upstream body: it is handed on converted (`head`).
 */
import { Readable } from 'node:stream';
import { createSseParser, type BodyTransform, type SseEvent } from '@switchyard/plugin-api';

/** What {@link readStreamStart} found. */
export interface StreamStart {
  /** The body to relay: `body` with what was read put back (or, when it already ended, those bytes). */
  body: Readable;
  /** The first event when it is one to read; undefined when it is not, or the body ended without one. */
  first: SseEvent | undefined;
  /**
   * With a transform: the converted bytes read so far, to relay before the rest of `body`
   * (which is then the upstream body, unconverted, maybe ended).
   */
  head?: Buffer;
}

/**
 * Destroys a body nobody will read. An undici body destroyed before its end emits an
 * abort error: listened to here, so it cannot surface as an uncaught exception.
 */
export function discardBody(body: Readable): void {
  body.on('error', () => {});
  body.destroy();
}

const LF = 0x0a;
const CR = 0x0d;
const EVENT_FIELD = Buffer.from('event:');

/**
 * The name on the first line of `chunk` when that line is an `event:` field, else
 * undefined (a `data:` line, a comment or a BOM first, or the line is not complete).
 */
function leadingEventName(chunk: Buffer): string | undefined {
  if (chunk.length <= EVENT_FIELD.length || chunk.compare(EVENT_FIELD, 0, EVENT_FIELD.length, 0, EVENT_FIELD.length) !== 0)
    return undefined;
  const lineEnd = chunk.indexOf(LF, EVENT_FIELD.length);
  if (lineEnd < 0) return undefined;
  const from = chunk[EVENT_FIELD.length] === 0x20 ? EVENT_FIELD.length + 1 : EVENT_FIELD.length;
  const to = chunk[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
  return chunk.toString('utf8', from, Math.max(from, to));
}

/** Finds the first event in the bytes pushed to it; `done` once it is known (read, or not one to read). */
class FirstEventReader {
  done = false;
  first: SseEvent | undefined;
  private readonly chunks: Buffer[] = [];
  private parser: ReturnType<typeof createSseParser> | undefined;

  constructor(private readonly names: readonly string[] | undefined) {}

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    if (this.parser === undefined && this.chunks.length === 1 && this.names !== undefined) {
      const name = leadingEventName(chunk);
      if (name !== undefined && !this.names.includes(name)) {
        this.done = true;
        return;
      }
    }
    this.parser ??= createSseParser((event) => {
      if (this.done) return;
      this.done = true;
      this.first = event;
    });
    this.parser.push(chunk);
  }

  /** The body ended: a last event without its blank line still counts. */
  end(): void {
    this.parser?.end();
    this.done = true;
  }

  /** Every byte pushed, as one buffer (undefined for none). */
  bytes(): Buffer | undefined {
    if (this.chunks.length === 0) return undefined;
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
  }
}

/**
 * Reads `body` (paused mode) until its first event is known. `names`: the event names
 * worth reading (see `ProtocolDefinition.streamStartEvents`); undefined reads any. Rejects
 * when the body fails before it (a reset; the upstream idle timeout of a stream whose
 * first event never comes) or when `signal` aborts (the client left). Never waits for
 * more than the first event: a normal stream goes on at once.
 */
export async function readStreamStart(
  body: Readable,
  signal: AbortSignal,
  names: readonly string[] | undefined,
  transform?: BodyTransform,
): Promise<StreamStart> {
  const reader = new FirstEventReader(names);
  /** Reads `chunk` (converted first when a transform applies); true once the start is known. */
  const take = (chunk: Buffer): boolean => {
    if (transform === undefined) {
      reader.push(chunk);
      return reader.done;
    }
    const converted = transform.push(chunk);
    if (converted !== undefined) reader.push(asBuffer(converted));
    if (transform.ended === true) reader.end();
    return reader.done;
  };
  // Usually the first chunk came with the headers: no waiting, no listeners.
  if (body.readableLength > 0) {
    const chunk = body.read() as Buffer | null;
    try {
      if (chunk !== null && take(chunk)) return putBack(body, reader, transform);
    } catch (error) {
      discardBody(body);
      throw error;
    }
  }
  return new Promise<StreamStart>((resolve, reject) => {
    const stop = (): void => {
      body.off('readable', onReadable);
      body.off('end', onEnd);
      body.off('error', onError);
      body.off('close', onClose);
      signal.removeEventListener('abort', onAbort);
    };
    function onReadable(): void {
      let chunk: Buffer | null;
      try {
        while (!reader.done && (chunk = body.read() as Buffer | null) !== null) take(chunk);
      } catch (error) {
        stop();
        discardBody(body);
        reject(error as Error);
        return;
      }
      if (!reader.done) return;
      stop();
      resolve(putBack(body, reader, transform));
    }
    function onEnd(): void {
      stop();
      reader.end();
      // Converted bytes cannot go back: the ended body is handed on with them (the pump ends the transform).
      if (transform !== undefined) return resolve(putBack(body, reader, transform));
      // Nothing can be put back into an ended stream: relay the bytes read from a fresh one.
      const bytes = reader.bytes();
      resolve({ body: Readable.from(bytes ? [bytes] : [], { objectMode: false }), first: reader.first });
    }
    function onError(error: Error): void {
      stop();
      reject(error);
    }
    function onClose(): void {
      if (body.readableEnded) return;
      stop();
      reject(body.errored ?? new Error('upstream body closed before its first event'));
    }
    function onAbort(): void {
      stop();
      discardBody(body);
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    }

    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    body.on('end', onEnd);
    body.on('error', onError);
    body.on('close', onClose);
    body.on('readable', onReadable);
  });
}

function putBack(body: Readable, reader: FirstEventReader, transform: BodyTransform | undefined): StreamStart {
  const bytes = reader.bytes();
  if (transform !== undefined)
    return bytes === undefined ? { body, first: reader.first } : { body, first: reader.first, head: bytes };
  if (bytes !== undefined) body.unshift(bytes);
  return { body, first: reader.first };
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
