/**
 * What an adapter repeats when it asks upstream for a usage chunk the client did not ask
 * for (and must hide it), or adds one the client expects: cut the relayed event stream
 * into frames without changing their bytes, drop the frames it must hide, add text at
 * the end, and read usage from everything upstream sent.
 */
import type { UpstreamResponse } from './account-type.js';
import { createSseParser, type SseEvent } from './sse.js';
import type { StreamUsageTap, Usage } from './usage.js';
import { upstreamResponse } from './upstream-response.js';

/** One complete frame of an event stream as upstream sent it. */
export interface SseFrame {
  /** The frame's bytes, its closing blank line included, exactly as sent. */
  readonly bytes: Uint8Array;
  /** The event the frame dispatches, or undefined for a frame of comments only. */
  readonly event: SseEvent | undefined;
}

/** What {@link transformSseFrames} does to a stream. */
export interface SseFrameTransform {
  /** Whether a frame reaches the client (default: every frame). */
  keep?(frame: SseFrame): boolean;
  /**
   * Text added after upstream's last frame (e.g. a usage chunk the client asked for), given
   * what `usageTap` read; not called when the client left before the end.
   */
  end?(usage: Usage | null): string | Uint8Array;
  /**
   * Reads usage from every byte upstream sent, dropped frames included. Its result becomes
   * the response's `usage`, so the core counts it instead of tapping the filtered stream.
   */
  usageTap?: StreamUsageTap;
}

const LF = 0x0a;
const CR = 0x0d;

/** True when `headers` announce an event stream. */
function isEventStream(headers: UpstreamResponse['headers']): boolean {
  const type = headers['content-type'];
  return String(Array.isArray(type) ? type[0] : (type ?? '')).includes('text/event-stream');
}

/**
 * Cuts bytes into SSE frames (each ending with a blank line: LF, CRLF or CR line ends),
 * across chunk boundaries, without copying or changing the bytes of a frame.
 */
class FrameCutter {
  private pending: Buffer = Buffer.alloc(0);
  /** Where scanning resumes in `pending`, and where its current line starts. */
  private scan = 0;
  private lineStart = 0;

  /** The frames `chunk` completes. */
  push(chunk: Uint8Array): Buffer[] {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.pending = this.pending.length === 0 ? bytes : Buffer.concat([this.pending, bytes]);
    return this.cut(false);
  }

  /** Whatever is left after the last frame (a last frame without its blank line), or undefined. */
  end(): Buffer | undefined {
    const frames = this.cut(true);
    const rest = this.pending.length > 0 ? this.pending : undefined;
    this.pending = Buffer.alloc(0);
    const all = rest ? [...frames, rest] : frames;
    return all.length === 0 ? undefined : Buffer.concat(all);
  }

  private cut(ended: boolean): Buffer[] {
    const frames: Buffer[] = [];
    const buf = this.pending;
    let frameStart = 0;
    let i = this.scan;
    while (i < buf.length) {
      const byte = buf[i]!;
      if (byte !== LF && byte !== CR) {
        i++;
        continue;
      }
      // A CR as the last byte may be the first half of a CRLF: wait for the next chunk.
      if (byte === CR && i + 1 === buf.length && !ended) break;
      const lineEnd = byte === CR && buf[i + 1] === LF ? i + 2 : i + 1;
      if (i === this.lineStart && i > frameStart) {
        // An empty line closes the frame.
        frames.push(buf.subarray(frameStart, lineEnd));
        frameStart = lineEnd;
      }
      this.lineStart = lineEnd;
      i = lineEnd;
    }
    // A blank line with no frame before it (a stray separator) stays with the next frame.
    this.pending = buf.subarray(frameStart);
    this.scan = i - frameStart;
    this.lineStart -= frameStart;
    return frames;
  }
}

/**
 * A successful streamed answer with frames dropped (`keep`), text added at the end
 * (`end`) and usage read from what upstream sent (`usageTap`). The frames that stay
 * reach the client byte for byte, each as soon as it is complete. An answer that is not
 * a successful event stream (an error, a JSON answer) is returned unchanged.
 *
 * @example
 * // Asked upstream for a usage-only chunk the client did not want: hide it, count it.
 * return transformSseFrames(response, {
 *   keep: ({ event }) => !isUsageOnlyChunk(event),
 *   usageTap: myUsageCodec.createStreamTap(),
 * });
 */
export function transformSseFrames(response: UpstreamResponse, transform: SseFrameTransform): UpstreamResponse {
  if (response.status < 200 || response.status >= 300 || !isEventStream(response.headers)) return response;
  const { keep, end, usageTap } = transform;
  let settle: (usage: Usage | null) => void = () => {};
  const usage = usageTap ? new Promise<Usage | null>((resolve) => (settle = resolve)) : undefined;
  const source = response.body as AsyncIterable<Uint8Array>;

  async function* transformed(): AsyncGenerator<Uint8Array> {
    const cutter = new FrameCutter();
    let event: SseEvent | undefined;
    const parser = createSseParser((parsed) => (event = parsed));
    const kept = (bytes: Buffer, last = false): boolean => {
      if (!keep) return true;
      event = undefined;
      parser.push(bytes);
      if (last) parser.end();
      return keep({ bytes, event });
    };
    let finished = false;
    try {
      for await (const chunk of source) {
        usageTap?.push(chunk);
        const out = cutter.push(chunk).filter((frame) => kept(frame));
        if (out.length > 0) yield out.length === 1 ? out[0]! : Buffer.concat(out);
      }
      // A last frame without its blank line still counts as a frame.
      const rest = cutter.end();
      if (rest && kept(rest, true)) yield rest;
      finished = true;
      const tapped = usageTap ? usageTap.end() : null;
      settle(tapped);
      const added = end?.(tapped);
      if (added !== undefined && added.length > 0) yield typeof added === 'string' ? Buffer.from(added, 'utf8') : added;
    } finally {
      if (!finished) settle(usageTap ? usageTap.end() : null);
    }
  }

  return upstreamResponse({
    status: response.status,
    headers: response.headers,
    body: transformed(),
    ...(usage ? { usage } : response.usage ? { usage: response.usage } : {}),
  });
}
