/**
 * The plumbing every SSE usage tap repeats: parse the relayed bytes into events, hand
 * each to the codec's reader, and never let an odd stream break the relay.
 */
import { createSseParser, type SseEvent, type SseParserOptions } from './sse.js';
import type { StreamUsageTap, Usage } from './usage.js';

/**
 * A `StreamUsageTap` over a server-sent-events stream. It never throws: a failure while
 * parsing or reading an event is ignored (the events before it still count), and a
 * failing `result` yields `null`.
 *
 * @param onEvent - Called once per complete event, in order; reads what it needs (model,
 *   usage fields) into the caller's state.
 * @param result - Called once at the end, after the last event; the usage seen, or `null`
 *   when there was none.
 * @param options - Parser options; name the events that carry usage in `events` and the
 *   others are skipped without being decoded (most of a stream is content).
 * @returns The tap to return from a codec's `createStreamTap`.
 */
export function createSseUsageTap(
  onEvent: (event: SseEvent) => void,
  result: () => Usage | null,
  options?: SseParserOptions,
): StreamUsageTap {
  const parser = createSseParser(onEvent, options);
  return {
    push(chunk) {
      try {
        parser.push(chunk);
      } catch {
        // An odd stream yields no usage; it never breaks the relay.
      }
    },
    end() {
      try {
        parser.end();
      } catch {
        // as above
      }
      try {
        return result();
      } catch {
        return null;
      }
    },
  };
}
